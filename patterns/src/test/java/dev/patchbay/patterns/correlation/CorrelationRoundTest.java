package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.matching.Blocking;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.FlakyFeed;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A correlation's round at its edges: a side that cannot be read, a quiet round, a dry run, two
 * instances of a service over one crosswalk, each side counted, scoped and viewed as its own, a
 * required field, links made between records the round did not read.
 */
class CorrelationRoundTest {

  private final InMemoryStore<Fields> north = InMemoryStore.create("north");
  private final InMemoryStore<Fields> south = InMemoryStore.create("south");
  private final StateStore state = StateStore.inMemory();

  private static void put(InMemoryStore<Fields> side, String key, long version, Object... fields) {
    side.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }

  private static Object[] patient(String given, String surname, String dob, String phone, Object... more) {
    Object[] f = new Object[8 + more.length];
    System.arraycopy(new Object[] {"given", given, "surname", surname, "dob", dob, "phone", phone}, 0, f, 0, 8);
    System.arraycopy(more, 0, f, 8, more.length);
    return f;
  }

  private static UnaryOperator<Fields> phone() {
    return f -> Fields.ofNullable("phone", f.get("phone"));
  }

  private Correlation.Builder builder(FlakyFeed sideA) {
    return builder(sideA, ScopeCriteria.all(), ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A));
  }

  private Correlation.Builder builder(FlakyFeed sideA, ScopeCriteria<Fields> scopeA, ConflictPolicy conflicts) {
    Correlation.Builder b = Correlation.builder().name("patients");
    if (sideA != null) {
      b.sideA(sideA);
    } else {
      b.sideA(north);
    }
    return b.sideB(south).mapping(phone(), phone())
        .scopes(scopeA, ScopeCriteria.all())
        .rule(CorrelationTest.RULE)
        .blocking(Blocking.field("surname").or(Blocking.field("dob")))
        .thresholds(10, 4).ambiguityMargin(1)
        .conflicts(conflicts)
        .state(state);
  }

  private void threePatients() {
    twoPatients();
    put(north, "n3", 1, patient("Alan", "Turing", "1912-06-23", "0333"));
    put(south, "s3", 1, patient("Alan", "Turing", "1912-06-23", "0333"));
  }

  private void twoPatients() {
    put(north, "n1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    put(north, "n2", 1, patient("Grace", "Hopper", "1906-12-09", "0222"));
    put(south, "s1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    put(south, "s2", 1, patient("Grace", "Hopper", "1906-12-09", "0222"));
  }

  @Test
  void aSideThatCannotBeRead_failsTheRound_writingNothing_andTheNextRoundReadsBothSidesAfresh() {
    threePatients();
    FlakyFeed flaky = new FlakyFeed(north);
    Correlation patients = builder(flaky).retry(RetryPolicy.immediate(1)).build();
    CorrelationReport first = patients.round();
    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    long comparedAtFirst = first.linking().compared();
    assertTrue(comparedAtFirst > 0);

    put(north, "n1", 2, patient("Ada", "Lovelace", "1815-12-10", "0777"));
    put(north, "n2", 2, patient("Grace", "Hopper", "1906-12-09", "0888"));
    flaky.failNext(1);   // one attempt only: the retry policy set here, not the default, decides
    CorrelationReport failed = patients.round();

    assertEquals(RunStatus.FAILED, failed.status(), failed.summary());
    assertTrue(failed.summary().startsWith("Correlation 'patients' round FAILED: a side could not be read or the crosswalk"
        + " saved; nothing was linked or written: "), failed.summary());
    assertNull(failed.linking());
    assertNull(failed.sync());
    assertEquals(List.of(), failed.failures());
    assertEquals(Map.of("a", EndpointCounts.zero(), "b", EndpointCounts.zero()), failed.endpoints());
    assertEquals(Map.of(), failed.details());
    assertEquals("0111", south.get("s1").payload().get("phone"), "nothing written");

    CorrelationReport next = patients.round();
    assertEquals(RunStatus.COMPLETED, next.status(), next.summary());
    assertEquals(comparedAtFirst, next.linking().compared(), "both sides read afresh: every pair compared again, n3's too");
    assertEquals(new CorrelationReport.SideCounts(3, 3, 0, 0, 0), next.linking().a(), next.summary());
    assertEquals("0777", south.get("s1").payload().get("phone"));
    assertEquals("0888", south.get("s2").payload().get("phone"));
  }

  @Test
  void aScopeThatFindsTheSetupWrong_throwsIt_andTheNextRoundReadsAfresh() {
    threePatients();
    AtomicBoolean broken = new AtomicBoolean(false);
    ScopeCriteria<Fields> scope = ScopeCriteria.where("ward known", r -> {
      if (broken.get()) {
        throw new SetupException("the scope reads a field the side does not have");
      }
      return true;
    });
    Correlation patients = builder(null, scope, ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();
    long comparedAtFirst = patients.round().linking().compared();
    put(north, "n1", 2, patient("Ada", "Lovelace", "1815-12-10", "0777"));
    broken.set(true);
    assertThrows(SetupException.class, patients::round);
    broken.set(false);
    CorrelationReport fixed = patients.round();
    assertEquals(RunStatus.COMPLETED, fixed.status(), fixed.summary());
    assertEquals(comparedAtFirst, fixed.linking().compared(), "both sides read again from their start, not n1's change only");
    assertEquals("0777", south.get("s1").payload().get("phone"));
  }

  @Test
  void aQuietRound_readsFromWhereTheLastEnded_comparesNothing_andSaysItWasQuiet() {
    twoPatients();
    Correlation patients = builder(null).build();
    List<RunProgress> progress = new CopyOnWriteArrayList<>();
    patients.listen(progress::add);
    CorrelationReport first = patients.round();
    RunProgress lastRead = progress.stream().filter(p -> p.name().equals("patients") && p.phase() == RunProgress.Phase.READING)
        .reduce((x, y) -> y).orElseThrow();
    assertEquals(4, lastRead.records(), "two changes a side, read");
    assertTrue(progress.stream().anyMatch(p -> p.name().equals("patients.sync")), "the sync's progress, forwarded: " + progress);
    assertTrue(first.linking().compared() > 0);
    assertEquals("Correlation[patients: " + north + " <-> " + south + ", " + CorrelationTest.RULE.describe() + "]",
        patients.toString());

    progress.clear();
    CorrelationReport quiet = patients.round();
    assertEquals(0, quiet.linking().compared(), quiet.summary());
    assertEquals(0, quiet.linking().linkedCount());
    assertEquals(new CorrelationReport.SideCounts(2, 2, 0, 0, 0), quiet.linking().a());
    assertEquals(0, progress.stream().filter(p -> p.name().equals("patients") && p.phase() == RunProgress.Phase.READING)
        .mapToLong(RunProgress::records).max().orElseThrow(), "nothing read");
    assertTrue(quiet.summary().startsWith("Correlation 'patients' round COMPLETED\n  compared 0 candidate pairs; 0 linked,"
        + " 0 links ended, 0 waiting for review\n  side A: 2 records: 2 linked, 0 in review, 0 ambiguous, 0 unmatched"),
        quiet.summary());
  }

  @Test
  void aDryRun_showsTheFirstWrites_makesNoLinkAndNoWrite_andTheRoundAfterDoesWhatItShowed() {
    twoPatients();
    put(south, "s2", 2, patient("Grace", "Hopper", "1906-12-09", "0999"));
    Correlation patients = builder(null).build();

    Plan<CorrelationReport> plan = patients.plan();

    assertEquals(2, plan.report().linking().linkedCount(), plan.report().summary());
    assertEquals(1, plan.writes().size(), plan.writes().toString());
    PlannedWrite<?> write = plan.writes().get(0);
    assertEquals("a", write.destination());
    assertEquals("n2", write.key());
    assertEquals(PlannedWrite.Action.UPDATE, write.action());
    assertEquals("0222", north.get("n2").payload().get("phone"), "nothing written");
    assertTrue(patients.links().isEmpty(), "nothing linked");

    CorrelationReport round = patients.round();
    assertEquals(2, round.linking().linkedCount(), "the round links what the dry run showed, read afresh: " + round.summary());
    assertEquals(1, round.sync().a().updated());
    assertEquals("0999", north.get("n2").payload().get("phone"));
  }

  @Test
  void aPersonsLinkMadeThroughAnotherInstance_holds_whenThisInstanceSeesItsSideARecordChange() {
    twoPatients();
    put(north, "n9", 1, patient("Mary", "Smith", "1990-01-01", "0900"));
    put(south, "s9", 1, patient("Marie", "Smyth", "1991-02-02", "0900"));
    Correlation first = builder(null).build();
    Correlation second = builder(null).build();
    first.round();
    second.round();
    first.assertLink("n9", "s9", "the same patient, moved");
    first.round();

    put(north, "n9", 2, patient("Mary", "Smith", "1990-01-01", "0901"));
    CorrelationReport seen = second.round();

    assertEquals(List.of(), seen.linking().ended(), seen.summary());
    assertEquals("n9", second.linkOfB("s9").orElseThrow().aKey());
    assertEquals("0901", south.get("s9").payload().get("phone"), "the pair is synced by the instance that saw the change");
  }

  @Test
  void aPersonsLinkMadeThroughAnotherInstance_holds_whenThisInstanceSeesOneOfItsRecordsChange() {
    twoPatients();
    put(north, "n9", 1, patient("Mary", "Smith", "1990-01-01", "0900"));
    put(south, "s9", 1, patient("Marie", "Smyth", "1991-02-02", "0900"));   // the rule never pairs them
    Correlation first = builder(null).build();
    Correlation second = builder(null).build();   // a second instance of the service, over the same crosswalk
    first.round();
    second.round();
    first.assertLink("n9", "s9", "the same patient, moved");
    first.round();

    put(south, "s9", 2, patient("Marie", "Smyth", "1991-02-02", "0901"));
    CorrelationReport seen = second.round();

    assertEquals(List.of(), seen.linking().ended(), seen.summary());
    assertEquals("s9", second.linkOfA("n9").orElseThrow().bKey());
    assertEquals(CrosswalkLink.MadeBy.PERSON, second.linkOfA("n9").orElseThrow().by());
    assertEquals("0901", north.get("n9").payload().get("phone"), "the pair is synced by the instance that saw the change");
    try (NamedState saved = state.open("patients")) {
      for (String pending : List.of(Crosswalk.TOUCHED_A, Crosswalk.TOUCHED_B, Crosswalk.UNLINK, Crosswalk.SYNC_A, Crosswalk.SYNC_B)) {
        assertEquals(java.util.Set.of(), Crosswalk.progress(saved).revisit(pending), "nothing left pending under " + pending);
      }
    }
  }

  @Test
  void eachSideIsScoped_viewedAndCounted_asItsOwn() {
    put(north, "n1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    put(north, "n2", 1, patient("Grace", "Hopper", "1906-12-09", "0222"));   // s2's date of birth differs: review
    put(north, "n3", 1, patient("Alan", "Turing", "1912-06-23", "0333"));    // two twins at B: ambiguous
    put(north, "n4", 1, patient("Barbara", "Liskov", "1939-11-07", "0444"));
    put(north, "n5", 1, patient("Donald", "Knuth", "1938-01-10", "0555"));
    put(north, "n7", 1, patient("Edsger", "Dijkstra", "1930-05-11", "0777", "test", "yes"));   // out of A's scope
    put(south, "s1", 1, "first", "Ada", "last", "Lovelace", "born", "1815-12-10", "phone", "0111");
    put(south, "s2", 1, "first", "Grace", "last", "Hopper", "born", "1907-01-01", "phone", "0222");
    put(south, "s3a", 1, "first", "Alan", "last", "Turing", "born", "1912-06-23", "phone", "0333");
    put(south, "s3b", 1, "first", "Alan", "last", "Turing", "born", "1912-06-23", "phone", "0334");
    put(south, "s6", 1, "first", "John", "last", "Backus", "born", "1924-12-03", "phone", "0666");
    put(south, "s7", 1, "first", "Edsger", "last", "Dijkstra", "born", "1930-05-11", "phone", "0777");
    Correlation patients = builder(null, ScopeCriteria.where("not a test patient", r -> !"yes".equals(r.payload().get("test"))),
            ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .views(f -> f, f -> Fields.ofNullable("given", f.get("first"), "surname", f.get("last"), "dob", f.get("born")))
        .build();

    CorrelationReport report = patients.round();

    assertEquals(new CorrelationReport.SideCounts(5, 1, 1, 1, 2), report.linking().a(), report.summary());
    assertEquals(new CorrelationReport.SideCounts(6, 1, 1, 0, 4), report.linking().b(), "s3a and s3b have one candidate each: "
        + report.summary());
    assertTrue(patients.linkOfB("s7").isEmpty(), "the test patient is out of side A's scope");
    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey());
  }

  @Test
  void aRequiredFieldThatDiffers_queuesThePair_andEndsALinkWhenItComesToDiffer() {
    put(north, "n1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111", "ward", "7"));
    put(south, "s1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111", "ward", "7"));
    put(north, "n4", 1, patient("Grace", "Hopper", "1906-12-09", "0222", "ward", "2"));
    put(south, "s4", 1, patient("Grace", "Hopper", "1906-12-09", "0222", "ward", "5"));
    put(north, "n5", 1, patient("Alan", "Kay", "1940-05-17", "0555"));   // no ward at A: differs too
    put(south, "s5", 1, patient("Alan", "Kay", "1940-05-17", "0555", "ward", "1"));
    Correlation patients = builder(null).require("ward").build();

    CorrelationReport first = patients.round();

    assertEquals(1, first.linking().linkedCount(), first.summary());
    List<ReviewItem> queue = patients.reviewQueue();
    assertEquals(List.of("n4/s4/ward", "n5/s5/ward"), queue.stream()
        .map(i -> i.aKey() + "/" + i.bKey() + "/" + i.detail()).sorted().toList());
    assertTrue(queue.stream().allMatch(i -> i.reason() == ReviewItem.Reason.REQUIRED_FIELD_DIFFERS), queue.toString());

    put(south, "s1", 2, patient("Ada", "Lovelace", "1815-12-10", "0111", "ward", "8"));
    CorrelationReport moved = patients.round();
    assertEquals(List.of(new CorrelationReport.Ended("n1", "s1", "the required field 'ward' differs now")),
        moved.linking().ended(), moved.summary());
  }

  @Test
  void aLinkEnds_whenAPairScoringHigherTakesItsSideBRecord() {
    put(north, "n1", 1, patient("Adah", "Lovelace", "1815-12-10", "0111"));
    put(south, "s1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    Correlation patients = builder(null).build();
    patients.round();
    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey());
    put(north, "n9", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    CorrelationReport better = patients.round();
    assertEquals("n9", patients.linkOfB("s1").orElseThrow().aKey(), better.summary());
    assertEquals(List.of(new CorrelationReport.Ended("n1", "s1", "a pair scoring higher took one of its records")),
        better.linking().ended());
  }

  @Test
  void aLinkMadeBetweenRecordsTheRoundDidNotRead_isSyncedInTheSameRound() {
    put(north, "n1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    put(south, "s1", 2, patient("Ada", "Lovelace", "1815-12-10", "0999"));
    put(south, "s2", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));   // a twin: n1 is ambiguous
    Correlation patients = builder(null).build();
    CorrelationReport twins = patients.round();
    assertEquals(0, twins.linking().linkedCount(), twins.summary());

    put(south, "s2", 2, patient("Bob", "Smith", "1950-01-01", "0111"));   // only s2 changes
    CorrelationReport linked = patients.round();

    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey(), linked.summary());
    assertEquals(1, linked.sync().a().updated(), linked.summary());
    assertEquals("0999", north.get("n1").payload().get("phone"), "the newer phone, carried over in the round that linked");
  }

  @Test
  void theSyncsFindings_areTheRoundsFindings() {
    put(north, "n1", 0, patient("Ada", "Lovelace", "1815-12-10", "0111"));   // a side that keeps no modification time
    put(south, "s1", 0, patient("Ada", "Lovelace", "1815-12-10", "0999"));
    Correlation patients = builder(null, ScopeCriteria.all(), ConflictPolicy.lastWriterWins(Duration.ofSeconds(1), Side.A))
        .build();
    CorrelationReport report = patients.round();
    assertTrue(report.sync().findings().stream().anyMatch(f -> f.contains("answered version 0")), report.summary());
    assertTrue(report.findings().containsAll(report.sync().findings()), report.findings().toString());
  }

  @Test
  void aBlockingKeyOrARuleThatNamesNoFields_seesEveryFieldOfTheRecords() {
    put(north, "n1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111", "postcode", "SW1A 1AA"));
    put(south, "s1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111", "postcode", "SW1A 2BB"));
    Correlation byDistrict = Correlation.builder().name("patients").sideA(north).sideB(south).mapping(phone(), phone())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(CorrelationTest.RULE)
        .blocking(Blocking.on("postcode district", f -> f.get("postcode") == null ? null : f.get("postcode").toString().split(" ")[0]))
        .thresholds(10, 4).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).state(state).build();
    assertEquals(1, byDistrict.round().linking().linkedCount(), "the key reads the postcode, which no rule names");

    Correlation byPhone = Correlation.builder().name("by phone").sideA(north).sideB(south).mapping(phone(), phone())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(MatchRule.custom("same phone", (x, y) -> java.util.Objects.equals(x.get("phone"), y.get("phone")) ? 20 : -20))
        .blocking(Blocking.field("surname"))
        .thresholds(10, 4).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).state(state).build();
    assertEquals(1, byPhone.round().linking().linkedCount(), "the rule reads the phone, which it does not name");
  }

  @Test
  void theReport_detailsTheMatchingAndTheSync_andGroupsTheSyncsFailures() {
    twoPatients();
    put(south, "s2", 2, patient("Grace", "Hopper", "1906-12-09", "0999"));
    UnaryOperator<Fields> toNorth = f -> {
      if ("0999".equals(f.get("phone"))) {
        throw dev.patchbay.core.DataException.field("phone", "not a number the north dials");
      }
      return Fields.ofNullable("phone", f.get("phone"));
    };
    Correlation patients = Correlation.builder().name("patients").sideA(north).sideB(south).mapping(phone(), toNorth)
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(CorrelationTest.RULE)
        .blocking(Blocking.field("surname")).thresholds(10, 4)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).state(state).build();

    CorrelationReport report = patients.round();

    assertEquals("correlation", report.pattern());
    assertEquals(1, report.failures().size(), report.summary());
    assertEquals("n2", report.failures().get(0).key());
    assertEquals(report.sync().failures(), report.failures());
    assertEquals(report.sync().endpoints(), report.endpoints());
    assertEquals(1, report.endpoints().get("a").failed() + report.endpoints().get("b").failed(), report.endpoints().toString());
    assertTrue(report.summary().contains("\n  failed: 1 x "), report.summary());
    assertTrue(report.summary().contains("\n  sync of linked pairs: wrote 0 to A, 0 to B, 0 conflicts"), report.summary());
    Map<String, Object> d = report.details();
    assertEquals(report.linking().compared(), d.get("compared"));
    assertEquals(2L, d.get("linkedCount"));
    assertEquals(0L, d.get("endedCount"));
    assertEquals(Map.of("records", 2L, "linked", 2L, "review", 0L, "ambiguous", 0L, "unmatched", 0L), d.get("sideA"));
    assertEquals(d.get("sideA"), d.get("sideB"));
    assertEquals(List.of("n1", "n2"), ((List<?>) d.get("linked")).stream().map(l -> ((Map<?, ?>) l).get("aKey")).sorted().toList());
    assertTrue(((List<?>) d.get("linked")).stream().allMatch(l -> "RULE".equals(((Map<?, ?>) l).get("by"))
        && ((Map<?, ?>) l).get("score") instanceof Double), d.toString());
    assertEquals(List.of(), d.get("ended"));
    assertEquals(0, d.get("review"));
    Map<?, ?> histogram = (Map<?, ?>) d.get("histogram");
    assertEquals(10.0, histogram.get("link"));
    assertEquals(4.0, histogram.get("review"));
    assertEquals(report.linking().histogram().counts(), histogram.get("counts"));
    assertEquals(report.sync().details(), d.get("sync"));
    assertEquals(Map.of("n1", "s1", "n2", "s2"), patients.links());
    assertTrue(patients.explain("n1", "s1").orElseThrow().value() >= 10);
    assertTrue(patients.explain("n1", "s2").orElseThrow().value() < 4, "any two records held are explained");
    assertTrue(patients.explain("n1", "s404").isEmpty(), "a record not held is not");
  }

  @Test
  void aPersonLinkingARecordAlreadyLinked_endsItsFormerLinks_onBothSides() {
    twoPatients();
    Correlation patients = builder(null).build();
    patients.round();
    patients.assertLink("n2", "s1", "the north mixed up two files");
    CorrelationReport after = patients.round();
    assertEquals("s1", patients.linkOfA("n2").orElseThrow().bKey(), after.summary());
    assertTrue(patients.linkOfA("n1").isEmpty(), "n1's link to s1 ended: " + after.summary());
    assertTrue(patients.linkOfB("s2").isEmpty(), "s2, n2's former partner, is linked to no one: " + after.summary());
  }

  @Test
  void aRoundEndingMoreLinksThanAReportLists_countsThemAll_andSaysWhyForTheFirstItLists() {
    int n = CorrelationReport.Linking.LISTED + 1;
    for (int i = 0; i < n; i++) {
      String dob = java.time.LocalDate.of(1900, 1, 1).plusDays(i).toString();
      put(north, "n" + i, 1, patient("Ada", "Surname" + i, dob, "0111"));
      put(south, "s" + i, 1, patient("Ada", "Surname" + i, dob, "0111"));
    }
    Correlation patients = builder(null).build();
    assertEquals(n, patients.round().linking().linkedCount());
    for (int i = 0; i < n; i++) {
      south.write(List.of(Change.delete("s" + i)));
    }
    CorrelationReport gone = patients.round();
    assertEquals(n, gone.linking().endedCount());
    assertEquals(CorrelationReport.Linking.LISTED, gone.linking().ended().size());
    assertEquals(CorrelationReport.Linking.LISTED, gone.findings().stream().filter(f -> f.contains("ended: side B's record is gone"))
        .count(), "a finding for each link listed, no more");
    assertEquals(10, gone.summary().lines().filter(l -> l.startsWith("  finding: the link of")).count(),
        "a person's summary shows the first ten findings: " + gone.summary());
  }

  @Test
  void aRecordLinkedToNothing_neverReachesARecordOfTheSameKeyThatIsLinkedToAnother() {
    twoPatients();
    put(north, "s1", 1, patient("Niklaus", "Wirth", "1934-02-15", "0414"));   // keyed like B's s1, which is Ada
    put(south, "n2", 1, patient("Edsger", "Dijkstra", "1930-05-11", "0515"));  // keyed like A's n2, which is Grace
    Correlation patients = builder(null).build();
    patients.round();
    assertEquals("s1", patients.linkOfA("n1").orElseThrow().bKey());
    assertTrue(patients.linkOfA("s1").isEmpty() && patients.linkOfB("n2").isEmpty());

    put(north, "s1", 2, patient("Niklaus", "Wirth", "1934-02-15", "0999"));
    put(south, "n2", 2, patient("Edsger", "Dijkstra", "1930-05-11", "0888"));
    CorrelationReport round = patients.round();

    assertEquals(RunStatus.COMPLETED, round.status(), round.summary());
    assertEquals(0, round.sync().written(), round.summary());
    assertEquals("0111", south.get("s1").payload().get("phone"), "Wirth's phone never reaches Ada, linked at B");
    assertEquals("0222", north.get("n2").payload().get("phone"), "Dijkstra's phone never reaches Grace, linked at A");
  }

  @Test
  void anAmbiguousPairScoringExactlyTheReviewThreshold_waitsForReview() {
    put(north, "n1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    put(south, "s1", 1, patient("Ada", "Lovelace", "1815-12-10", "0111"));
    put(south, "s2", 1, patient("Ada", "Lovelace", "1815-12-10", "0112"));
    double score = CorrelationTest.RULE.value(north.get("n1").payload(), south.get("s1").payload());
    Correlation patients = Correlation.builder().name("patients").sideA(north).sideB(south).mapping(phone(), phone())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(CorrelationTest.RULE).blocking(Blocking.field("surname"))
        .thresholds(score + 5, score).ambiguityMargin(1)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).state(state).build();
    patients.round();
    assertEquals(List.of("n1/s1/AMBIGUOUS", "n1/s2/AMBIGUOUS"), patients.reviewQueue().stream()
        .map(i -> i.aKey() + "/" + i.bKey() + "/" + i.reason()).sorted().toList(), "at the review threshold is in review");
  }

  @Test
  void aSyncRoundThatFailsToWrite_losesNothing_theNextRoundWritesWhatItCouldNot() {
    twoPatients();
    FlakyFeed northSide = new FlakyFeed(north);
    Correlation patients = builder(northSide).retry(RetryPolicy.immediate(1)).build();
    patients.round();
    put(south, "s1", 2, patient("Ada", "Lovelace", "1815-12-10", "0777"));
    northSide.writesFail = true;   // the north went away while the round wrote to it

    CorrelationReport failed = patients.round();

    assertEquals(RunStatus.FAILED, failed.status(), failed.summary());
    assertEquals("0111", north.get("n1").payload().get("phone"));
    northSide.writesFail = false;
    CorrelationReport next = patients.round();
    assertEquals(RunStatus.COMPLETED, next.status(), next.summary());
    assertEquals("0777", north.get("n1").payload().get("phone"), "the change the failed round read is written by the next");
  }
}
