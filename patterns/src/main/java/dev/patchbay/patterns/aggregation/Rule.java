package dev.patchbay.patterns.aggregation;

import java.util.List;
import java.util.function.BiFunction;

/** A survivorship rule of the library's, or a custom one: its description, whether it picks one record's value, the sources it names. */
final class Rule implements Survivorship {
  private final String description;
  private final boolean picksOne;
  private final boolean counts;
  private final List<String> sources;
  private final BiFunction<String, List<Candidate>, Survived> choose;

  Rule(String description, boolean picksOne, List<String> sources, BiFunction<String, List<Candidate>, Survived> choose) {
    this(description, picksOne, false, sources, choose);
  }

  /** @param counts whether the rule weighs how common a value is across all inputs (its candidates' {@code common}) */
  Rule(String description, boolean picksOne, boolean counts, List<String> sources,
      BiFunction<String, List<Candidate>, Survived> choose) {
    this.description = description;
    this.picksOne = picksOne;
    this.counts = counts;
    this.sources = sources;
    this.choose = choose;
  }

  @Override
  public Survived choose(String field, List<Candidate> candidates) {
    return choose.apply(field, candidates);
  }

  @Override
  public String describe() {
    return description;
  }

  /** Whether the value is one candidate's: a group's rule must be. */
  static boolean picksOne(Survivorship rule) {
    return !(rule instanceof Rule r) || r.picksOne;
  }

  /** Whether {@code rule} weighs how common a value is across all inputs (its candidates' {@code common}). */
  static boolean counts(Survivorship rule) {
    return rule instanceof Rule r && r.counts;
  }

  /** The sources {@code rule} names (a priority's). */
  static List<String> sources(Survivorship rule) {
    return rule instanceof Rule r ? r.sources : List.of();
  }

  @Override
  public String toString() {
    return description;
  }
}
