package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.FieldComparator;
import dev.patchbay.patterns.matching.FellegiSunter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A correlation of two hospitals' patients, end to end over in-memory systems: it links the shared
 * patients, syncs their phone numbers and nothing else, never creates a patient, ends a link that
 * no longer holds, leaves twins ambiguous, and keeps a person's decisions over later rounds and a
 * restart.
 */
class CorrelationTest {

  private final InMemoryStore<Fields> north = InMemoryStore.create("north");
  private final InMemoryStore<Fields> south = InMemoryStore.create("south");
  private final StateStore state = StateStore.inMemory();

  /** Given name, surname and date of birth; 6 bits an equal field, 3 a close name, -4 a different one. */
  static final MatchRule RULE = FellegiSunter.builder()
      .field("given", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.06, 0.04}, new double[] {0.0141, 0.0075, 0.9784})
      .field("surname", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.06, 0.04}, new double[] {0.0141, 0.0075, 0.9784})
      .field("dob", FieldComparator.exact(), new double[] {0.95, 0.05}, new double[] {0.0148, 0.9852})
      .build();

  private Correlation correlation() {
    return correlation(state);
  }

  private Correlation correlation(StateStore store) {
    return Correlation.builder().name("patients").sideA(north).sideB(south)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(RULE)
        .blocking(Blocking.field("surname").or(Blocking.field("dob")))
        .thresholds(10, 4)
        .ambiguityMargin(1)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .retry(RetryPolicy.immediate(2))
        .state(store)
        .build();
  }

  private static void put(InMemoryStore<Fields> side, String key, long version, Object... fields) {
    side.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }

  private void hospitals() {
    put(north, "n1", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    put(north, "n2", 1, "given", "Grace", "surname", "Hopper", "dob", "1906-12-09", "phone", "0222");
    put(north, "n3", 1, "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "phone", "0333");
    put(south, "s1", 1, "given", "ada", "surname", "LOVELACE", "dob", "1815-12-10", "phone", "0111", "ward", "7");
    put(south, "s2", 2, "given", "Grace", "surname", "Hoper", "dob", "1906-12-09", "phone", "0999", "ward", "3");
    put(south, "s4", 1, "given", "Edsger", "surname", "Dijkstra", "dob", "1930-05-11", "phone", "0444", "ward", "1");
  }

  @Test
  void linksTheSharedPatients_syncsTheirPhones_andCreatesNoOne() {
    hospitals();
    Correlation patients = correlation();
    CorrelationReport first = patients.round();
    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(2, first.linking().linkedCount(), first.summary());
    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey());
    assertEquals("s2", patients.linkOfA("n2").orElseThrow().bKey(), "a typo in the surname is still the same patient");
    assertTrue(patients.linkOfA("n3").isEmpty(), "Turing is only in the north");
    assertTrue(patients.linkOfB("s4").isEmpty(), "Dijkstra is only in the south");
    assertEquals(3, north.size(), "no one created in the north");
    assertEquals(3, south.size(), "no one created in the south");
    assertEquals("0999", north.get("n2").payload().get("phone"), "the newer phone (south, version 2) wins the first pairing");
    assertEquals(new CorrelationReport.SideCounts(3, 2, 0, 0, 1), first.linking().a(), first.summary());
    assertEquals(new CorrelationReport.SideCounts(3, 2, 0, 0, 1), first.linking().b(), first.summary());
    assertEquals(first.linking().compared(), first.linking().histogram().total());

    put(north, "n1", 5, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0777");
    CorrelationReport second = patients.round();
    assertEquals(1, second.sync().b().updated(), second.summary());
    assertEquals(Fields.of("given", "ada", "surname", "LOVELACE", "dob", "1815-12-10", "phone", "0777", "ward", "7"),
        south.get("s1").payload(), "the phone, and nothing else, is carried over");
    assertEquals(0, second.linking().linkedCount());
    assertEquals(0, patients.round().sync().written(), "then quiet");
  }

  @Test
  void aLinkThatNoLongerHolds_isEndedAndReported_andNoLongerSynced() {
    hospitals();
    Correlation patients = correlation();
    patients.round();
    put(south, "s1", 3, "given", "Augusta", "surname", "King", "dob", "1815-12-10", "phone", "0111", "ward", "7");
    CorrelationReport changed = patients.round();
    assertEquals(1, changed.linking().endedCount(), changed.summary());
    assertEquals("n1", changed.linking().ended().get(0).aKey());
    assertTrue(changed.linking().ended().get(0).reason().contains("no longer links"), changed.linking().ended().get(0).reason());
    assertTrue(patients.linkOfA("n1").isEmpty());
    put(north, "n1", 6, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0888");
    CorrelationReport after = patients.round();
    assertEquals(0, after.sync().written(), after.summary());
    assertEquals("0111", south.get("s1").payload().get("phone"), "an ended link carries nothing");
  }

  @Test
  void aLinkEnds_whenABetterPairTakesItsRecord_orATwinMakesItAmbiguous_sayingWhich() {
    put(north, "n1", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    put(south, "s1", 1, "given", "Adah", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    Correlation patients = correlation();
    patients.round();
    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey());
    put(south, "s9", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    CorrelationReport better = patients.round();
    assertEquals("s9", patients.linkOfA("n1").orElseThrow().bKey(), better.summary());
    assertEquals(List.of(new CorrelationReport.Ended("n1", "s1", "a pair scoring higher took one of its records")),
        better.linking().ended());
    put(south, "s8", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    CorrelationReport twin = patients.round();
    assertTrue(patients.linkOfA("n1").isEmpty(), twin.summary());
    assertEquals(List.of(new CorrelationReport.Ended("n1", "s9",
        "one of its records has two candidates too close to call now (ambiguous)")), twin.linking().ended());
  }

  @Test
  void aDeletedPatientEndsTheLink_andDeletesNothingOnTheOtherSide() {
    hospitals();
    Correlation patients = correlation();
    patients.round();
    north.write(List.of(Change.delete("n2")));
    CorrelationReport after = patients.round();
    assertEquals(1, after.linking().endedCount(), after.summary());
    assertTrue(after.linking().ended().get(0).reason().contains("gone"));
    assertEquals(0, after.sync().written(), after.summary());
    assertEquals(3, south.size(), "the south keeps its patient");
  }

  @Test
  void twinsAreAmbiguous_reported_notLinked_andAPersonDecides() {
    hospitals();
    put(south, "s5", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0555", "ward", "9");
    Correlation patients = correlation();
    CorrelationReport first = patients.round();
    assertTrue(patients.linkOfA("n1").isEmpty(), first.summary());
    assertEquals(1, first.linking().a().ambiguous(), first.summary());
    List<ReviewItem> queue = patients.reviewQueue();
    assertEquals(2, queue.size(), queue.toString());
    assertTrue(queue.stream().allMatch(i -> i.reason() == ReviewItem.Reason.AMBIGUOUS && i.aKey().equals("n1")));
    assertEquals(3, queue.get(0).score().fields().size(), "explained field by field");

    CrosswalkLink asserted = patients.assertLink("n1", "s5", "checked the chart, ticket 42");
    assertEquals(CrosswalkLink.MadeBy.PERSON, asserted.by());
    put(north, "n1", 7, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0123");
    CorrelationReport second = patients.round();
    assertEquals("0123", south.get("s5").payload().get("phone"), second.summary());
    assertEquals("0111", south.get("s1").payload().get("phone"), "the twin is untouched");

    Correlation restarted = correlation();   // a new process: everything is read afresh
    CorrelationReport third = restarted.round();
    assertEquals("s5", restarted.linkOfA("n1").orElseThrow().bKey(), third.summary());
    assertEquals(0, third.linking().endedCount(), third.summary());
    assertEquals(0, third.sync().written(), third.summary());
  }

  @Test
  void aRejectedLinkStaysRejected_overRoundsAndARestart() {
    hospitals();
    Correlation patients = correlation();
    patients.round();
    patients.rejectLink("n2", "s2", "different people: checked");
    assertTrue(patients.linkOfA("n2").isEmpty());
    CorrelationReport after = patients.round();
    assertTrue(patients.linkOfA("n2").isEmpty(), after.summary());
    put(north, "n2", 9, "given", "Grace", "surname", "Hopper", "dob", "1906-12-09", "phone", "0000");
    patients.round();
    assertEquals("0999", south.get("s2").payload().get("phone"), "nothing reaches the rejected pair");
    Correlation restarted = correlation();
    restarted.round();
    assertTrue(restarted.linkOfA("n2").isEmpty());
  }

  @Test
  void aPairBetweenTheThresholdsWaitsForReview_andAnAssertedOneIsSynced() {
    put(north, "n1", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    put(south, "s1", 1, "given", "Ada", "surname", "Lovelace", "dob", "1816-01-01", "phone", "0999");
    Correlation patients = correlation();
    CorrelationReport first = patients.round();
    assertTrue(patients.linkOfA("n1").isEmpty());
    assertEquals(1, first.linking().review(), first.summary());
    assertEquals(ReviewItem.Reason.BETWEEN_THRESHOLDS, patients.reviewQueue().get(0).reason());
    assertEquals(1, first.linking().a().review());
    patients.assertLink("n1", "s1", null);
    CorrelationReport second = patients.round();
    assertEquals(1, second.sync().written(), second.summary());
    assertEquals(north.get("n1").payload().get("phone"), south.get("s1").payload().get("phone"));
    assertEquals(0, patients.reviewQueue().size());
  }

  @Test
  void theQueue_isBestFirst_andARoundReplacesOnlyThePairsOfTheRecordsItLookedAt() {
    put(north, "n1", 1, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0111");
    put(south, "s1", 1, "given", "Ada", "surname", "Lovelace", "dob", "1816-01-01", "phone", "0999");   // 7.7 bits
    put(north, "n2", 1, "given", "Grace", "surname", "Hopper", "dob", "1906-12-09", "phone", "0222");
    put(south, "s2", 1, "given", "Grase", "surname", "Hopper", "dob", "1907-01-01", "phone", "0888");   // 4.7 bits
    Correlation patients = correlation();
    patients.round();
    assertEquals(List.of("n1", "n2"), patients.reviewQueue().stream().map(ReviewItem::aKey).toList(), "best first");
    put(south, "s1", 2, "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "phone", "0999");   // now 18 bits
    CorrelationReport after = patients.round();
    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey(), after.summary());
    assertEquals(List.of("n2"), patients.reviewQueue().stream().map(ReviewItem::aKey).toList(),
        "n1's pair left the queue; n2's, not looked at, stayed");
  }

  @Test
  void theBuilderNamesWhatIsMissing() {
    SetupException e = assertThrows(SetupException.class, () -> Correlation.builder().name("p").sideA(north).build());
    assertEquals("Correlation 'p' needs side B, a mapping, scopes, a match rule, a blocking, thresholds and a conflict policy",
        e.getMessage());
    for (java.util.function.UnaryOperator<Correlation.Builder> twice : List.<java.util.function.UnaryOperator<Correlation.Builder>>of(
        b -> b.sideA(north).sideA(south), b -> b.sideB(north).sideB(south),
        b -> b.scopes(ScopeCriteria.all(), ScopeCriteria.all()).scopes(ScopeCriteria.all(), ScopeCriteria.all()),
        b -> b.mapping(f -> f, f -> f).mapping(f -> f, f -> f), b -> b.views(f -> f, f -> f).views(f -> f, f -> f),
        b -> b.rule(RULE).rule(RULE), b -> b.blocking(Blocking.field("dob")).blocking(Blocking.field("dob")),
        b -> b.thresholds(10, 4).thresholds(10, 4), b -> b.ambiguityMargin(1).ambiguityMargin(1),
        b -> b.conflicts(ConflictPolicy.manual()).conflicts(ConflictPolicy.manual()))) {
      SetupException again = assertThrows(SetupException.class, () -> twice.apply(Correlation.builder().name("p")));
      assertTrue(again.getMessage().startsWith("Correlation 'p': "), again.getMessage());
      assertTrue(again.getMessage().contains("already set"), again.getMessage());
    }
    Correlation.builder().name("p").thresholds(5, 5).ambiguityMargin(0);   // at the bounds: taken
    assertThrows(SetupException.class, () -> Correlation.builder().name("p").ambiguityMargin(-0.001));
    SetupException order = assertThrows(SetupException.class, () -> Correlation.builder().name("p").thresholds(2, 5));
    assertTrue(order.getMessage().contains("review threshold (5.0) must not be above the link threshold (2.0)"));
  }

  @Test
  void aSideReadInChunks_andReadAgainWhereItFailsTransiently_linksAsOneWholeReadWould() {
    hospitals();
    for (int i = 0; i < 40; i++) {   // more changes than a chunk holds, some of them the same record's
      put(north, "n" + (10 + i % 20), 1 + i, "given", "Nobody", "surname", "Else" + i % 20, "dob", "2000-01-01", "phone", "9");
    }
    dev.patchbay.patterns.FlakyFeed clean = new dev.patchbay.patterns.FlakyFeed(north);
    CorrelationReport whole = chunked(clean, 7, StateStore.inMemory()).plan().report();
    dev.patchbay.patterns.FlakyFeed flaky = new dev.patchbay.patterns.FlakyFeed(north).failNext(2);
    Correlation chunked = chunked(flaky, 7, StateStore.inMemory());

    CorrelationReport first = chunked.round();

    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertTrue(clean.reads.get() > 2, "read in chunks of 7: " + clean.reads.get());
    assertEquals(clean.reads.get() + 2, flaky.reads.get(), "two chunks read again");
    assertEquals("s1", chunked.linkOfA("n1").orElseThrow().bKey());
    assertEquals("s2", chunked.linkOfA("n2").orElseThrow().bKey());
    assertEquals(whole.linking().a(), first.linking().a(), first.summary());
    assertEquals(new CorrelationReport.SideCounts(23, 2, 0, 0, 21), first.linking().a(), first.summary());
    assertEquals("0999", north.get("n2").payload().get("phone"));
  }

  private Correlation chunked(dev.patchbay.patterns.FlakyFeed sideA, int batchSize, StateStore state) {
    return Correlation.builder().name("patients").sideA(sideA).sideB(south)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(RULE)
        .blocking(Blocking.field("surname").or(Blocking.field("dob"))).thresholds(10, 4).ambiguityMargin(1)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).retry(RetryPolicy.immediate(3))
        .batchSize(batchSize).state(state).build();
  }

  @Test
  void aLinkThatEnds_saysWhy_inTheReportAndItsFindings() {
    hospitals();
    put(north, "n5", 1, "given", "Alan", "surname", "Kay", "dob", "1940-05-17", "phone", "0555");
    put(south, "s5", 1, "given", "Alan", "surname", "Kay", "dob", "1940-05-17", "phone", "0555", "ward", "2");
    Correlation patients = correlation();
    CorrelationReport first = patients.round();
    assertEquals(3, first.linking().linkedCount(), first.summary());
    assertEquals("n1", patients.linkOfB("s1").orElseThrow().aKey());
    assertEquals("n5", patients.linkOfB("s5").orElseThrow().aKey());

    south.write(List.of(Change.delete("s1")));
    put(north, "n2", 2, "given", "Zed", "surname", "Hopper", "dob", "1906-12-09", "phone", "0222");   // still compared, lower
    put(north, "n5", 2, "given", "Alan", "surname", "Quay", "dob", "1941-01-01", "phone", "0555");   // no longer compared
    CorrelationReport second = patients.round();

    java.util.Map<String, String> why = new java.util.HashMap<>();
    second.linking().ended().forEach(e -> why.put(e.aKey() + "-" + e.bKey(), e.reason()));
    assertEquals(3, second.linking().endedCount(), second.summary());
    assertEquals("side B's record is gone (deleted, or out of scope)", why.get("n1-s1"));
    String lower = why.get("n2-s2");
    assertTrue(lower.matches("the rule no longer links it: it scores \\d+\\.\\d{3}, below the link threshold 10\\.0"), lower);
    assertTrue(Double.parseDouble(lower.split(" ")[8].replace(",", "")) < 10, lower);
    assertTrue(why.get("n5-s5").startsWith("the rule no longer links it: it scores below "), why.get("n5-s5"));
    assertTrue(second.findings().contains("the link of 'n1' (side A) and 's1' (side B) ended: side B's record is gone (deleted,"
        + " or out of scope)"), second.findings().toString());
    assertTrue(patients.linkOfB("s5").isEmpty());
    assertTrue(patients.linkOfA("n1").isEmpty());
  }

  @Test
  void aRecordWithTwoCandidatesTooCloseToCall_isCountedAmbiguous_neitherLinkedNorUnlinked() {
    hospitals();
    put(south, "s6", 1, "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "phone", "0666", "ward", "4");
    put(south, "s7", 1, "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "phone", "0777", "ward", "5");
    Correlation patients = correlation();

    CorrelationReport first = patients.round();

    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertTrue(patients.linkOfA("n3").isEmpty(), "two equal candidates: no link");
    assertEquals(new CorrelationReport.SideCounts(3, 2, 0, 1, 0), first.linking().a(), first.summary());
    assertEquals(new CorrelationReport.SideCounts(5, 2, 0, 0, 3), first.linking().b(), "each of s6 and s7 has one candidate: "
        + first.summary());
  }

  @Test
  void aRecordLinkedToNothing_isNeverWrittenOver_aRecordOfTheSameKeyOnTheOtherSide() {
    hospitals();
    // the same key on both sides, two different people: n3 (Turing) in the north, "n3" (Dijkstra's colleague) in the south
    put(south, "n3", 1, "given", "Adriaan", "surname", "van Wijngaarden", "dob", "1916-11-02", "phone", "0313", "ward", "9");
    put(north, "s4", 1, "given", "Niklaus", "surname", "Wirth", "dob", "1934-02-15", "phone", "0414");
    Correlation patients = correlation();

    CorrelationReport first = patients.round();
    put(north, "n3", 2, "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "phone", "0888");
    put(south, "s4", 2, "given", "Edsger", "surname", "Dijkstra", "dob", "1930-05-11", "phone", "0999", "ward", "1");
    CorrelationReport second = patients.round();

    assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
    assertTrue(patients.linkOfA("n3").isEmpty() && patients.linkOfB("n3").isEmpty(), first.summary());
    assertEquals("0313", south.get("n3").payload().get("phone"), "A's unlinked n3 never reaches B's n3");
    assertEquals("0414", north.get("s4").payload().get("phone"), "B's unlinked s4 never reaches A's s4");
    assertEquals(0, second.sync().written(), second.summary());
  }

  @Test
  void aHigherThresholdLinksNoMore() {
    hospitals();
    Correlation lax = correlation();
    lax.round();
    Correlation strict = Correlation.builder().name("strict").sideA(north).sideB(south)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(RULE)
        .blocking(Blocking.field("surname").or(Blocking.field("dob"))).thresholds(17, 4)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();
    strict.round();
    assertFalse(strict.linkOfA("n2").isPresent(), "the surname typo scores below 17");
    assertEquals("s1", strict.linkOfA("n1").orElseThrow().bKey());
    assertNull(strict.linkOfA("n3").orElse(null));
  }
}
