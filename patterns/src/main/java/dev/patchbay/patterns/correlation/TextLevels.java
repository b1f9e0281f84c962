package dev.patchbay.patterns.correlation;

import java.util.List;
import java.util.function.BiFunction;

/** A comparator of normalised texts by a level function; missing values are neutral. */
final class TextLevels implements FieldComparator {
  private final String name;
  private final List<String> levels;
  private final BiFunction<String, String, Integer> levelOf;

  TextLevels(String name, List<String> levels, BiFunction<String, String, Integer> levelOf) {
    this.name = name;
    this.levels = List.copyOf(levels);
    this.levelOf = levelOf;
  }

  @Override
  public int level(Object a, Object b) {
    String x = Normalized.text(a);
    String y = Normalized.text(b);
    if (x == null || y == null) {
      return NEUTRAL;
    }
    // in a fixed order of the two, so that the level cannot depend on which side is which
    return x.compareTo(y) <= 0 ? levelOf.apply(x, y) : levelOf.apply(y, x);
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
