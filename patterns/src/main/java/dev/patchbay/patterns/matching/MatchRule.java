package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToDoubleBiFunction;

/**
 * Whether two records, one of each system, are the same entity: a score with its explanation.
 * Rules are values: {@link #describe()} says what a rule compares, for reports and the catalog.
 * A rule is symmetric: {@code score(a, b)} and {@code score(b, a)} are equal (correlating A with B
 * links what correlating B with A links). Both records are in one vocabulary (side B's mapped
 * into side A's terms) before they are scored.
 */
public interface MatchRule {

  /** How alike {@code a} and {@code b} are, field by field. */
  Score score(Fields a, Fields b);

  /**
   * {@code score(a, b).value()}, without the explanation: what a correlation asks of every candidate
   * pair (it explains only those it keeps). A rule may answer it faster; the value must be the same.
   */
  default double value(Fields a, Fields b) {
    return score(a, b).value();
  }

  /**
   * The fields the rule reads, where it knows them; empty where it does not (a custom rule). A
   * correlation whose rule and blocking both name their fields holds only those fields of each
   * record in memory.
   */
  default java.util.Set<String> fields() {
    return java.util.Set.of();
  }

  /** What the rule compares, in a sentence: "exact on surname, date_of_birth (normalised)". */
  String describe();

  /**
   * Alike (score 1) where every one of {@code fields} has a value on both sides and the values are
   * equal once {@link Normalized normalised} (case, accents, punctuation, whitespace), else 0: a
   * composite key. A record missing one of them matches nothing.
   *
   * @throws IllegalArgumentException where no field is named
   */
  static MatchRule exact(String... fields) {
    if (fields.length == 0) {
      throw new IllegalArgumentException("an exact match rule needs at least one field");
    }
    List<String> names = List.of(fields);
    String description = "exact on " + String.join(", ", names) + " (normalised)";
    return new DescribedRule(description, new java.util.LinkedHashSet<>(names), (a, b) -> {
      List<Score.Comparison> parts = new ArrayList<>(names.size());
      boolean all = true;
      for (String f : names) {
        String x = Normalized.text(a.get(f));
        String y = Normalized.text(b.get(f));
        String level = x == null || y == null ? "missing" : x.equals(y) ? "equal" : "else";
        all &= level.equals("equal");
        parts.add(new Score.Comparison(f, level, 0));
      }
      return new Score(all ? 1 : 0, parts);
    });
  }

  /**
   * A rule of the host's: {@code score} must be symmetric (the same for both orders); its score
   * is explained only by {@code description}.
   */
  static MatchRule custom(String description, ToDoubleBiFunction<Fields, Fields> score) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(score, "score");
    return new DescribedRule(description, java.util.Set.of(), (a, b) -> new Score(score.applyAsDouble(a, b), List.of()));
  }
}
