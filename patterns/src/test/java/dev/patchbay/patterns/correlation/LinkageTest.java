package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.matching.Blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Fields;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The global one-to-one assignment on scores given by a table: the best pairs across the whole
 * population win, a record torn between candidates of one score is ambiguous, and the result is
 * the same with the sides swapped.
 */
class LinkageTest {

  /** A rule that reads the score of a pair from a table keyed "aId|bId" (either order), else -50. */
  private static MatchRule table(Map<String, Double> scores) {
    return MatchRule.custom("table", (x, y) -> {
      Double s = scores.get(x.get("id") + "|" + y.get("id"));
      Double t = scores.get(y.get("id") + "|" + x.get("id"));
      return s != null ? s : t != null ? t : -50;
    });
  }

  private static final Blocking EVERYONE = Blocking.on("everyone", r -> "all");

  /** Links over records a0.. and b0.., with A and B as given or swapped. */
  private static Map<String, String> links(Map<String, Double> scores, int as, int bs, boolean swap, Decisions[] out) {
    Linkage linkage = new Linkage(table(scores), EVERYONE, new Decisions.Thresholds(10, 5, 1, List.of()));
    Linkage.Touched touched = new Linkage.Touched();
    for (int i = 0; i < as; i++) {
      linkage.put(!swap, "a" + i, Fields.of("id", "a" + i), s -> { }, touched);
    }
    for (int i = 0; i < bs; i++) {
      linkage.put(swap, "b" + i, Fields.of("id", "b" + i), s -> { }, touched);
    }
    Decisions d = linkage.assign(linkage.region(touched, Map.of(), Map.of()), Map.of(), Set.of());
    out[0] = d;
    Map<String, String> links = new TreeMap<>();
    d.links.forEach(c -> links.put(swap ? c.bKey() : c.aKey(), swap ? c.aKey() : c.bKey()));
    return links;
  }

  @Test
  void theBestPairsWinAcrossThePopulation_notRecordByRecord() {
    // a1's best is b1, but b1 is a0's better still: a0-b1, then a1 takes its next, b2.
    Map<String, Double> scores = Map.of("a0|b1", 20.0, "a1|b1", 18.0, "a1|b2", 15.0);
    Decisions[] d = new Decisions[1];
    assertEquals(Map.of("a0", "b1", "a1", "b2"), links(scores, 2, 3, false, d));
    assertEquals(Map.of("a0", "b1", "a1", "b2"), links(scores, 2, 3, true, d));
  }

  @Test
  void aRecordTornBetweenTwoFreeCandidatesOfOneScore_isAmbiguous_onEitherSide() {
    // a1 loses b1 to a0, then has b2 and b3 at 12 each: neither is taken, whichever side a1 is on.
    Map<String, Double> scores = Map.of("a0|b1", 20.0, "a1|b1", 18.0, "a1|b2", 12.0, "a1|b3", 12.0);
    Decisions[] d = new Decisions[1];
    assertEquals(Map.of("a0", "b1"), links(scores, 2, 4, false, d));
    assertEquals(Set.of("a1"), d[0].ambiguousA);
    assertEquals(Map.of("a0", "b1"), links(scores, 2, 4, true, d));
    assertEquals(Set.of("a1"), d[0].ambiguousB);
  }

  @Test
  void twoCandidatesWithinTheMargin_makeARecordAmbiguous_andItsCandidatesStayFree() {
    // a0 has b0 at 15 and b1 at 14.5 (margin 1): ambiguous; b1 then goes to a1 at 11.
    Map<String, Double> scores = Map.of("a0|b0", 15.0, "a0|b1", 14.5, "a1|b1", 11.0);
    Decisions[] d = new Decisions[1];
    assertEquals(Map.of("a1", "b1"), links(scores, 2, 2, false, d));
    assertEquals(Set.of("a0"), d[0].ambiguousA);
    assertEquals(2, d[0].ambiguous.size(), "both of a0's close candidates are reported");
  }

  @Test
  void aPairBetweenTheThresholdsIsQueued_notLinked() {
    Decisions[] d = new Decisions[1];
    assertEquals(Map.of(), links(Map.of("a0|b0", 7.0), 1, 1, false, d));
    assertEquals(1, d[0].review.size());
  }

  @Test
  void aRecordTakenOut_isNoCandidateForARecordFiledLater_andARecordPutAgainIsScoredAgain() {
    Linkage linkage = new Linkage(table(Map.of("a0|b0", 20.0, "a0|b1", 15.0)), EVERYONE,
        new Decisions.Thresholds(10, 5, 1, List.of()));
    Linkage.Touched touched = new Linkage.Touched();
    linkage.put(true, "a0", Fields.of("id", "a0"), s -> { }, touched);
    linkage.put(false, "b0", Fields.of("id", "b0"), s -> { }, touched);
    assertEquals(20.0, linkage.score("a0", "b0"));
    linkage.put(true, "a0", null, s -> { }, touched);   // deleted
    assertEquals(Double.NaN, linkage.score("a0", "b0"));
    List<Double> scored = new java.util.ArrayList<>();
    linkage.put(false, "b1", Fields.of("id", "b1"), scored::add, new Linkage.Touched());
    assertEquals(List.of(), scored, "nothing to compare b1 with: a0 is gone from the index too");
    Linkage.Touched again = new Linkage.Touched();
    linkage.put(true, "a0", Fields.of("id", "a0"), scored::add, again);
    assertEquals(2, scored.size(), "a0 back: scored against b0 and b1");
    assertEquals(Set.of("b0", "b1"), again.b(), "both touched");
  }

  @Test
  void theRegionOfAChange_isClosedOverCandidatePairsAndPresentLinks_eitherWay_andNoFurther() {
    // candidate pairs (floor 5): a0-b0, b0-a1, a1-b1 a chain; a2-b2 apart; a3 and b3 pair with no one.
    Map<String, Double> scores = Map.of("a0|b0", 12.0, "a1|b0", 8.0, "a1|b1", 11.0, "a2|b2", 15.0);
    Linkage linkage = new Linkage(table(scores), EVERYONE, new Decisions.Thresholds(10, 5, 1, List.of()));
    for (int i = 0; i < 4; i++) {
      linkage.put(true, "a" + i, Fields.of("id", "a" + i), s -> { }, new Linkage.Touched());
      linkage.put(false, "b" + i, Fields.of("id", "b" + i), s -> { }, new Linkage.Touched());
    }

    Linkage.Touched fromA = linkage.region(new Linkage.Touched(Set.of("a0"), Set.of()), Map.of(), Map.of());
    assertEquals(Set.of("a0", "a1"), fromA.a());
    assertEquals(Set.of("b0", "b1"), fromA.b());

    Linkage.Touched fromB = linkage.region(new Linkage.Touched(Set.of(), Set.of("b1")), Map.of(), Map.of());
    assertEquals(Set.of("a0", "a1"), fromB.a(), "from side B alike");
    assertEquals(Set.of("b0", "b1"), fromB.b());

    // a present link of a3 to b3 (a person's) brings b3 in, and b3's link to a3 brings a3 in: either way.
    Linkage.Touched linkedFromA = linkage.region(new Linkage.Touched(Set.of("a3"), Set.of()), Map.of("a3", "b3"), Map.of());
    assertEquals(new Linkage.Touched(Set.of("a3"), Set.of("b3")), linkedFromA);
    Linkage.Touched linkedFromB = linkage.region(new Linkage.Touched(Set.of(), Set.of("b3")), Map.of(), Map.of("b3", "a3"));
    assertEquals(new Linkage.Touched(Set.of("a3"), Set.of("b3")), linkedFromB);

    Linkage.Touched apart = linkage.region(new Linkage.Touched(Set.of("a2", "a0"), Set.of()), Map.of("a1", "b1"), Map.of());
    assertEquals(Set.of("a0", "a1", "a2"), apart.a());
    assertEquals(Set.of("b0", "b1", "b2"), apart.b());
    assertEquals(new Linkage.Touched(Set.of(), Set.of()), linkage.region(new Linkage.Touched(), Map.of("a3", "b3"), Map.of()),
        "nothing changed: nothing to reassign");
  }

  @Test
  void aRecordsCandidatesWithinTheMarginOfItsBest_areItsAmbiguousOnes_atTheMarginExactly_andNoneBelow() {
    // margin 1: a0's b0 (12) and b1 (11, exactly the margin below) are too close to call, b2 (6) is not among them;
    // b3's a1 (12) and a2 (11) alike on side B; a4-b4 (13) stands alone and links.
    Map<String, Double> scores = Map.of("a0|b0", 12.0, "a0|b1", 11.0, "a0|b2", 6.0,
        "a1|b3", 12.0, "a2|b3", 11.0, "a3|b3", 6.0, "a4|b4", 13.0);
    for (boolean swap : new boolean[] {false, true}) {
      Decisions[] d = new Decisions[1];
      Map<String, String> links = links(scores, 5, 5, swap, d);
      java.util.Set<String> ambiguous = new java.util.TreeSet<>();
      d[0].ambiguous.forEach(c -> ambiguous.add(swap ? c.bKey() + "|" + c.aKey() : c.aKey() + "|" + c.bKey()));
      assertEquals(Set.of("a0|b0", "a0|b1", "a1|b3", "a2|b3"), ambiguous, "swap " + swap);
      assertEquals(swap ? Set.of("b3") : Set.of("a0"), Set.copyOf(d[0].ambiguousA), "swap " + swap);
      assertEquals(swap ? Set.of("a0") : Set.of("b3"), Set.copyOf(d[0].ambiguousB), "swap " + swap);
      assertEquals(Map.of("a4", "b4"), links, "swap " + swap);
    }
  }
}
