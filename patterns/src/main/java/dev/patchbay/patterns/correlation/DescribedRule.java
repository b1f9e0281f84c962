package dev.patchbay.patterns.correlation;

import dev.patchbay.core.Fields;
import java.util.function.BiFunction;

/** A rule given by its description and its scoring function. */
record DescribedRule(String description, BiFunction<Fields, Fields, Score> scoring) implements MatchRule {

  @Override
  public Score score(Fields a, Fields b) {
    return scoring.apply(a, b);
  }

  @Override
  public String describe() {
    return description;
  }

  @Override
  public String toString() {
    return description;
  }
}
