package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.Score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Checkpoint;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What a correlation holds between rounds: forgotten whole on a reset, its review queue best first, its counts. */
class KnownTest {

  private final Known known = new Known(() -> new Linkage(CorrelationTest.RULE, Blocking.field("surname"),
      new Decisions.Thresholds(10, 4, 1, List.of())));

  private static ReviewItem item(String a, String b, double score, ReviewItem.Reason reason) {
    return new ReviewItem(a, b, new Score(score, List.of()), reason, null);
  }

  @Test
  void aReset_forgetsEverything_soTheNextRoundReadsBothSidesAfresh() {
    Linkage first = known.linkage;
    known.built = true;
    known.positionA = Checkpoint.at("7");
    known.positionB = Checkpoint.at("9");
    known.linkedA.put("n1", "s1");
    known.linkedB.put("s1", "n1");
    known.ambiguousA.add("n2");
    known.ambiguousB.add("s2");
    known.review(new Linkage.Touched(), List.of(item("n3", "s3", 5, ReviewItem.Reason.BETWEEN_THRESHOLDS)));

    known.reset();

    assertFalse(known.built);
    assertEquals(Checkpoint.start(), known.positionA);
    assertEquals(Checkpoint.start(), known.positionB);
    assertTrue(known.linkedA.isEmpty() && known.linkedB.isEmpty(), "links " + known.linkedA + " " + known.linkedB);
    assertTrue(known.ambiguousA.isEmpty() && known.ambiguousB.isEmpty(), "ambiguous " + known.ambiguousA + " " + known.ambiguousB);
    assertEquals(List.of(), known.queue());
    assertNotSame(first, known.linkage, "a new linkage, empty");
    assertEquals(0, known.linkage.size(true) + known.linkage.size(false));
  }

  @Test
  void theQueue_isBestFirst_thenByKeys_andAReviewReplacesOnlyItsRegionsPairs() {
    known.review(new Linkage.Touched(), List.of(
        item("n2", "s9", 6, ReviewItem.Reason.BETWEEN_THRESHOLDS),
        item("n1", "s5", 8, ReviewItem.Reason.AMBIGUOUS),
        item("n1", "s2", 6, ReviewItem.Reason.BETWEEN_THRESHOLDS),
        item("n1", "s1", 6, ReviewItem.Reason.BETWEEN_THRESHOLDS)));
    assertEquals(List.of("n1-s5", "n1-s1", "n1-s2", "n2-s9"), keys(known.queue()));

    known.review(new Linkage.Touched(Set.of("n2"), Set.of()), List.of(item("n2", "s3", 9, ReviewItem.Reason.BETWEEN_THRESHOLDS)));
    assertEquals(List.of("n2-s3", "n1-s5", "n1-s1", "n1-s2"), keys(known.queue()), "n2's pairs replaced, the rest kept");
    known.review(new Linkage.Touched(Set.of(), Set.of("s5", "s1")), List.of());
    assertEquals(List.of("n2-s3", "n1-s2"), keys(known.queue()), "a region of side B takes its records' pairs out");
  }

  @Test
  void inReview_countsARecordOnce_andNotWhereItIsLinkedOrAmbiguous_orItsOnlyPairIsAmbiguous() {
    known.review(new Linkage.Touched(), List.of(
        item("n1", "s1", 6, ReviewItem.Reason.BETWEEN_THRESHOLDS),
        item("n1", "s2", 6, ReviewItem.Reason.BETWEEN_THRESHOLDS),
        item("n2", "s3", 6, ReviewItem.Reason.REQUIRED_FIELD_DIFFERS),
        item("n3", "s4", 6, ReviewItem.Reason.BETWEEN_THRESHOLDS),
        item("n4", "s5", 9, ReviewItem.Reason.AMBIGUOUS)));
    assertEquals(3, known.inReview(true), "n1 once, n2, n3");
    assertEquals(4, known.inReview(false), "s1 to s4; s5 is only ambiguous");
    known.linkedA.put("n2", "s9");
    known.ambiguousA.add("n3");
    known.linkedB.put("s1", "n8");
    known.ambiguousB.add("s2");
    assertEquals(1, known.inReview(true), "n2 linked, n3 ambiguous: n1 is left");
    assertEquals(2, known.inReview(false), "s1 linked, s2 ambiguous: s3, s4 left");
  }

  private static List<String> keys(List<ReviewItem> queue) {
    return queue.stream().map(i -> i.aKey() + "-" + i.bKey()).toList();
  }
}
