package dev.patchbay.patterns.matching;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/** A comparator by a level function over both values, raw and normalised; a missing value is neutral. */
final class Levels implements FieldComparator {

  /** The level of two values, each given raw and {@link Normalized normalised} (never null here). */
  @FunctionalInterface
  interface Closeness {
    int level(Object a, String x, Object b, String y);
  }

  private final String name;
  private final List<String> levels;
  private final Closeness closeness;

  private Levels(String name, List<String> between, Closeness closeness) {
    List<String> all = new ArrayList<>(between.size() + 2);
    all.add("equal");
    all.addAll(between);
    all.add("else");
    this.name = name;
    this.levels = List.copyOf(all);
    this.closeness = closeness;
  }

  /** Levels "equal", {@code between}, "else", by {@code closeness}. */
  static Levels of(String name, List<String> between, Closeness closeness) {
    return new Levels(name, between, closeness);
  }

  /**
   * Levels "equal", {@code between}, "else", by a function of the two normalised texts, called
   * with them in one fixed order, so that the level cannot depend on which side is which.
   */
  static Levels ofText(String name, List<String> between, BiFunction<String, String, Integer> levelOf) {
    return new Levels(name, between, (a, x, b, y) -> x.compareTo(y) <= 0 ? levelOf.apply(x, y) : levelOf.apply(y, x));
  }

  @Override
  public int level(Object a, Object b) {
    String x = Normalized.text(a);
    String y = Normalized.text(b);
    return x == null || y == null ? NEUTRAL : closeness.level(a, x, b, y);
  }

  @Override
  public List<String> levels() {
    return levels;
  }

  @Override
  public String toString() {
    return name + " " + levels;
  }
}
