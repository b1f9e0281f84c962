package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import java.util.function.BiFunction;

/** A rule given by its description and its scoring function. */
record DescribedRule(String description, java.util.Set<String> fields, BiFunction<Fields, Fields, Score> scoring) implements MatchRule {

  @Override
  public Score score(Fields a, Fields b) {
    return scoring.apply(a, b);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public java.util.Set<String> fields() {
    return fields;
  }

  @Override
  public String toString() {
    return description;
  }
}
