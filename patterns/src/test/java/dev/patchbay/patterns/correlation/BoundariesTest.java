package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.Normalized;
import dev.patchbay.patterns.matching.FieldComparator;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Fields;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

/** Every threshold is "at least" (or "at most"): a value exactly on it falls on its side. */
class BoundariesTest {

  private static MatchRule table(Map<String, Double> scores) {
    return MatchRule.custom("table", (x, y) -> scores.getOrDefault(x.get("id") + "|" + y.get("id"), -50.0));
  }

  private static Decisions assign(Map<String, Double> scores, int as, int bs, double margin) {
    Linkage linkage = new Linkage(table(scores), Blocking.on("everyone", r -> "all"),
        new Decisions.Thresholds(10, 5, margin, List.of()));
    Linkage.Touched touched = new Linkage.Touched();
    for (int i = 0; i < as; i++) {
      linkage.put(true, "a" + i, Fields.of("id", "a" + i), s -> { }, touched);
    }
    for (int i = 0; i < bs; i++) {
      linkage.put(false, "b" + i, Fields.of("id", "b" + i), s -> { }, touched);
    }
    return linkage.assign(linkage.region(touched, Map.of(), Map.of()), Map.of(), Set.of());
  }

  @Test
  void aScoreExactlyOnTheLinkThreshold_links_exactlyOnTheReviewThreshold_isQueued() {
    Decisions d = assign(Map.of("a0|b0", 10.0, "a1|b1", 5.0, "a2|b2", 4.999), 3, 3, 0);
    assertEquals(List.of("a0"), d.links.stream().map(Decisions.Candidate::aKey).toList());
    assertEquals(List.of("a1"), d.review.stream().map(Decisions.Candidate::aKey).toList(), "a2 is below the review threshold");
  }

  @Test
  void aSecondCandidateExactlyTheMarginBelow_isTooCloseToCall_oneJustBeyondIsNot() {
    Decisions close = assign(Map.of("a0|b0", 14.0, "a0|b1", 13.0), 1, 2, 1.0);
    assertEquals(Set.of("a0"), close.ambiguousA);
    assertEquals(List.of(), close.links);
    Decisions apart = assign(Map.of("a0|b0", 14.0, "a0|b1", 12.99), 1, 2, 1.0);
    assertEquals(Set.of(), apart.ambiguousA);
    assertEquals(List.of("b0"), apart.links.stream().map(Decisions.Candidate::bKey).toList());
  }

  @Test
  void comparatorLevels_includeTheirThresholds() {
    FieldComparator edits = FieldComparator.levenshtein(1, 3);
    assertEquals(1, edits.level("lovelace", "lovelaci"), "1 edit: at most 1");
    assertEquals(2, edits.level("lovelace", "lovxxxce"), "3 edits: at most 3");
    assertEquals(3, edits.level("lovelace", "loxxxxce"), "4 edits: else");
    FieldComparator days = FieldComparator.daysApart(1, 31);
    LocalDate d = LocalDate.of(2000, 1, 1);
    assertEquals(1, days.level(d, d.plusDays(1)));
    assertEquals(2, days.level(d, d.plusDays(31)));
    assertEquals(3, days.level(d, d.plusDays(32)));
    FieldComparator amounts = FieldComparator.numbersWithin(0.5);
    assertEquals(1, amounts.level("10.0", "10.5"));
    assertEquals(2, amounts.level("10.0", "10.51"));
    double s = new JaroWinklerSimilarity().apply("martha", "marhta");
    assertEquals(1, FieldComparator.jaroWinkler(s).level("martha", "marhta"), "similarity exactly the threshold: at least it");
    assertEquals(2, FieldComparator.jaroWinkler(Math.nextUp(s)).level("martha", "marhta"));
  }

  @Test
  void normalisedText_isInItsComparedForm_andNormalisingItAgainChangesNothing() {
    qt().withFixedSeed(Seeds.seed("normalised text")).withExamples(3_000)
        .forAll(strings().betweenCodePoints(0x20, 0x7e).ofLengthBetween(0, 8))
        .checkAssert(raw -> {
          String text = Normalized.text(raw);
          if (text != null) {
            assertTrue(text.matches("[a-z0-9]+( [a-z0-9]+)*"), "'" + raw + "' -> '" + text + "'");
            assertEquals(text, Normalized.text(text), "'" + raw + "'");
          }
          assertEquals(Normalized.text(" " + raw.toUpperCase(java.util.Locale.ROOT) + "  "), text, "'" + raw + "'");
        });
  }
}
