package dev.patchbay.patterns.matching;

import java.util.List;
import java.util.Objects;

/**
 * How alike a rule found two records: the score (a weight in bits for {@link FellegiSunter}, 1 or 0
 * for an exact rule, what a custom rule says) and, field by field, how it got there.
 *
 * @param value  the score; higher is more alike
 * @param fields one comparison a field the rule looked at, in the rule's order
 */
public record Score(double value, List<Comparison> fields) {

  public Score {
    fields = List.copyOf(Objects.requireNonNull(fields, "fields"));
  }

  /**
   * One field's part of a score.
   *
   * @param field  the field's name
   * @param level  the comparison level the two values fell in ("Jaro-Winkler at least 0.92"), or
   *               "missing" where either side had no value
   * @param weight what it added to the score (0 where missing)
   */
  public record Comparison(String field, String level, double weight) {
    public Comparison {
      Objects.requireNonNull(field, "field");
      Objects.requireNonNull(level, "level");
    }
  }
}
