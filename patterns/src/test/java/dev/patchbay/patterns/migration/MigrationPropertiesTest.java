package dev.patchbay.patterns.migration;

import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.core.report.RunReport;

import static org.quicktheories.QuickTheory.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.Source;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.connectors.testkit.Seeds;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** M1 to M6 of docs/promises.md, over generated data, batch sizes, transient faults and crashes. */
class MigrationPropertiesTest {

  /**
   * The generated inputs of one example; the rest derives from {@code seed}. With more than one
   * writer or with read-ahead, threads interleave as they will: the seed then fixes the data, the
   * faults and the settings, not the order in which concurrent writes meet a planned crash.
   */
  record Scenario(int records, int batchSize, int transientPercent, int crashes, long seed, boolean readAhead,
                  int writers) {

    /** Batches read but not yet checkpointed, at most. */
    int batchesInFlight() {
      return writers + (readAhead ? 1 : 0);
    }
  }

  private static Gen<Scenario> scenarios() {
    Gen<long[]> crashesAndSeed = integers().between(0, 5).zip(longs().all(), (c, s) -> new long[] {c, s});
    return integers().between(0, 2_000).zip(integers().between(1, 300), integers().between(0, 30), crashesAndSeed,
        (n, b, t, cs) -> new Scenario(n, b, t, (int) cs[0], cs[1], ((cs[1] >>> 5) & 1) == 1,
            1 + (int) Math.floorMod(cs[1] >>> 7, 3L)));
  }

  /** Where a planned crash happens. */
  enum Point { AFTER_READ, MID_BATCH_WRITE, AFTER_WRITE_BEFORE_ACK, AFTER_OUTCOMES_BEFORE_CHECKPOINT,
    DURING_CHECKPOINT_WRITE, AFTER_CHECKPOINT }

  @Test
  void m1_m2_m3_m5_crashedAndResumedRuns_endWithTheTransformedInScopeSourceOrReportedFailures() {
    qt().withFixedSeed(Seeds.seed("migration M1 M2 M3 M5")).withExamples(150).forAll(scenarios()).checkAssert(this::crashResumeAndCheck);
  }

  private void crashResumeAndCheck(Scenario s) {
    Random random = new Random(s.seed());
    List<Envelope<Fields>> data = Cases.generate(s.records(), random);
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    source.putAll(data);
    InMemoryStore<Fields> target = InMemoryStore.create("target");

    // The destination already holds stale copies of some records and records of its own.
    Map<String, Envelope<Fields>> expected = new TreeMap<>();
    List<Envelope<Fields>> before = new ArrayList<>();
    for (Envelope<Fields> record : data) {
      if (random.nextInt(10) == 0) {
        before.add(record.withPayload(Fields.of("title", "stale")));
      }
    }
    for (int i = 0; i < random.nextInt(20); i++) {
      before.add(Envelope.of("own-" + i, Fields.of("title", "kept")));
    }
    target.putAll(before);
    before.forEach(r -> expected.put(r.key(), r));

    // Expected outcome: in-scope records transformed, unless the transform or the destination rejects them.
    Set<String> expectedFailed = new HashSet<>();
    Set<String> destinationRejects = new HashSet<>();
    long outOfScope = 0;
    for (Envelope<Fields> record : data) {
      if (!Cases.OPEN_OR_CLOSED.includes(record)) {
        outOfScope++;
        continue;
      }
      Envelope<Fields> mapped = Cases.transformed(record);
      if (mapped == null) {
        expectedFailed.add(record.key());
      } else if (random.nextInt(100) == 0) {
        destinationRejects.add(record.key());
        expectedFailed.add(record.key());
      } else {
        expected.put(mapped.key(), mapped);
      }
    }
    long desired = s.records() - outOfScope - expectedFailed.size();

    // Plan the faults and crashes.
    int writeCalls = s.records() / s.batchSize() + 2;
    Faults.Builder sourceFaults = Faults.builder();
    Faults.Builder targetFaults = Faults.builder().seed(s.seed())
        .transientWriteFailures(s.transientPercent() / 100.0)
        .lostAcknowledgements(s.transientPercent() / 300.0);
    destinationRejects.forEach(targetFaults::rejectKey);
    Set<Long> crashOutcomes = new HashSet<>();
    Set<Long> crashBeforeSave = new HashSet<>();
    Set<Long> crashAfterSave = new HashSet<>();
    List<Point> planned = new ArrayList<>();
    for (int c = 0; c < s.crashes(); c++) {
      Point point = Point.values()[random.nextInt(Point.values().length)];
      planned.add(point);
      switch (point) {
        case AFTER_READ -> sourceFaults.crashAt(Faults.CrashPoint.READ, 1 + random.nextInt(Math.max(1, s.records())));
        case MID_BATCH_WRITE -> targetFaults.crashAt(Faults.CrashPoint.WRITE_PARTIAL, 1 + random.nextInt(writeCalls));
        case AFTER_WRITE_BEFORE_ACK -> targetFaults.crashAt(Faults.CrashPoint.WRITE_UNACKED, 1 + random.nextInt(writeCalls));
        case AFTER_OUTCOMES_BEFORE_CHECKPOINT -> crashOutcomes.add(1L + random.nextInt(Math.max(1, s.records())));
        case DURING_CHECKPOINT_WRITE -> crashBeforeSave.add(1L + random.nextInt(writeCalls));
        case AFTER_CHECKPOINT -> crashAfterSave.add(1L + random.nextInt(writeCalls));
      }
    }
    Faulty<Fields> faultySource = Faulty.around(source);
    Faulty<Fields> faultyTarget = Faulty.around(target);
    faultySource.inject(sourceFaults.build());
    faultyTarget.inject(targetFaults.build());
    CrashingState checkpoints = new CrashingState(StateStore.inMemory(), crashBeforeSave, crashAfterSave, () -> { });
    CrashingCapture capture = new CrashingCapture(crashOutcomes);

    // Run, and after every crash run again, as a restarted process would.
    RunReport report = null;
    int crashed = 0;
    for (int attempt = 0; attempt <= s.crashes() + 1 && report == null; attempt++) {
      try {
        report = migration(faultySource, faultyTarget, s, checkpoints, capture).run();
      } catch (SimulatedCrash e) {
        crashed++;
      }
    }
    assertNotNull(report, "a run completes after " + crashed + " crashes " + planned);

    // M1: nothing lost; each failure reported once, with its stage.
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(expected, target.snapshot(), "destination after " + crashed + " crashes " + planned);
    List<String> failedKeys = report.failures().stream().map(Outcome.Failed::key).toList();
    assertEquals(failedKeys.size(), new HashSet<>(failedKeys).size(), "each failure listed once: " + failedKeys);
    assertEquals(expectedFailed, new HashSet<>(failedKeys));
    assertEquals(s.records(), report.counts().read(), "every record counted once as read");
    assertTrue(report.counts().balanced(), "read = sum of outcomes: " + report.counts());
    assertEquals(outOfScope, report.counts().skipped());
    assertTrue(report.reconciliation().holds(), report.summary());
    assertEquals(desired, report.reconciliation().desired());
    assertEquals(expectedFailed.size(), report.reconciliation().failedExcluded());

    // M3: at most the batches in flight were re-read (the reconciliation reads the source once more).
    long migrationReads = source.recordsRead() - s.records();
    assertTrue(migrationReads <= s.records() + (long) crashed * s.batchSize() * s.batchesInFlight(),
        migrationReads + " records read by the migration over " + crashed + " crashes, batch size " + s.batchSize()
            + ", " + s.batchesInFlight() + " batches in flight");

    // M2: running again changes nothing.
    Map<String, Envelope<Fields>> after = target.snapshot();
    Faults.Builder rerunFaults = Faults.builder().seed(s.seed()).transientWriteFailures(s.transientPercent() / 100.0);
    destinationRejects.forEach(rerunFaults::rejectKey);
    faultyTarget.inject(rerunFaults.build());
    faultySource.inject(Faults.none());
    RunReport again = migration(faultySource, faultyTarget, s, StateStore.inMemory(), ResultCapture.none()).run();
    assertEquals(RunStatus.COMPLETED, again.status(), again.summary());
    assertEquals(0, again.counts().created() + again.counts().updated(), again.summary());
    assertEquals(desired, again.counts().unchanged());
    assertEquals(after, target.snapshot());
  }

  @Test
  void m4_recordsReadButNotYetDecided_neverExceedTheBatchesInFlight() {
    qt().withFixedSeed(Seeds.seed("migration M4")).withExamples(100).forAll(scenarios()).checkAssert(s -> {
      InMemoryStore<Fields> source = InMemoryStore.create("legacy");
      source.putAll(Cases.generate(s.records(), new Random(s.seed())));
      AtomicLong decided = new AtomicLong();
      AtomicLong mostInFlight = new AtomicLong();
      Source<Fields> watched = source.peek(r ->
          mostInFlight.accumulateAndGet(source.recordsRead() - decided.get(), Math::max));
      RunReport report = Migration.builder().name("legacy-cases").source(watched)
          .scope(Cases.OPEN_OR_CLOSED).transform(Cases.TO_TARGET).destination(InMemoryStore.create("target"))
          .resultCapture(o -> decided.incrementAndGet()).batchSize(s.batchSize()).failureLimit(Long.MAX_VALUE)
          .readAhead(s.readAhead()).writers(s.writers()).reconcile(false).build().run();
      assertEquals(s.records(), report.counts().read());
      assertTrue(mostInFlight.get() <= (long) s.batchSize() * s.batchesInFlight(),
          mostInFlight.get() + " records held at once with batch size " + s.batchSize() + ", " + s.batchesInFlight()
              + " batches in flight");
    });
  }

  @Test
  void m6_dryRun_plansExactlyTheWritesARunMakes_andWritesNothing() {
    qt().withFixedSeed(Seeds.seed("migration M6")).withExamples(100).forAll(scenarios()).checkAssert(s -> {
      Random random = new Random(s.seed());
      List<Envelope<Fields>> data = Cases.generate(s.records(), random);
      InMemoryStore<Fields> source = InMemoryStore.create("legacy");
      source.putAll(data);
      InMemoryStore<Fields> target = InMemoryStore.create("target");
      List<Envelope<Fields>> before = new ArrayList<>();
      for (Envelope<Fields> record : data) {
        Envelope<Fields> mapped = Cases.transformed(record);
        int pick = random.nextInt(10);
        if (mapped != null && pick == 0) {
          before.add(mapped);                                       // already migrated
        } else if (pick == 1) {
          before.add(record.withPayload(Fields.of("title", "stale")));  // stale
        }
      }
      target.putAll(before);
      Map<String, Envelope<Fields>> initial = target.snapshot();
      StateStore checkpoints = StateStore.inMemory();

      Plan<RunReport> plan = migration(source, target, s, checkpoints, ResultCapture.none()).dryRun(target);
      assertEquals(initial, target.snapshot(), "a dry run writes nothing");
      try (NamedState saved = checkpoints.open("legacy-cases")) {
        assertTrue(saved.progress(w -> { }).isEmpty(), "a dry run saves no checkpoint");
      }
      assertEquals(RunStatus.PLANNED, plan.report().status());

      Map<String, Outcome> outcomes = new HashMap<>();
      RunReport run = migration(source, target, s, checkpoints, outcomes(outcomes)).run();
      Map<String, Envelope<?>> creates = new TreeMap<>();
      Map<String, Envelope<?>> updates = new TreeMap<>();
      outcomes.forEach((key, o) -> {
        if (o instanceof Outcome.Created) {
          creates.put(key, target.get(key));
        } else if (o instanceof Outcome.Updated) {
          updates.put(key, target.get(key));
        }
      });
      assertEquals(creates, written(plan, PlannedWrite.Action.CREATE));
      assertEquals(updates, written(plan, PlannedWrite.Action.UPDATE));
      assertEquals(run.counts(), plan.report().counts());
      assertEquals(run.failures(), plan.report().failures());
    });
  }

  private static Map<String, Envelope<?>> written(Plan<RunReport> plan, PlannedWrite.Action action) {
    Map<String, Envelope<?>> m = new TreeMap<>();
    plan.writes().stream().filter(w -> w.action() == action).forEach(w -> m.put(w.record().key(), w.record()));
    return m;
  }

  private static ResultCapture outcomes(Map<String, Outcome> into) {
    return o -> into.put(o.key(), o);
  }

  static <D extends Destination<Fields> & Lookup<Fields>> Migration<Fields, Fields> migration(Source<Fields> source,
      D target,
      Scenario s, StateStore checkpoints, ResultCapture capture) {
    return Migration.builder()
        .name("legacy-cases")
        .source(source)
        .scope(Cases.OPEN_OR_CLOSED)
        .transform(Cases.TO_TARGET)
        .destination(target)
        .resultCapture(capture)
        .batchSize(s.batchSize())
        .readAhead(s.readAhead())
        .writers(s.writers())
        .failureLimit(Long.MAX_VALUE)
        .retry(RetryPolicy.immediate(60))
        .state(checkpoints)
        .build();
  }

  /** Crashes at the n-th outcome captured: after the batch is written, before its checkpoint. */
  static final class CrashingCapture implements ResultCapture {
    private final Set<Long> at;
    private long seen;

    CrashingCapture(Set<Long> at) {
      this.at = new HashSet<>(at);
    }

    @Override
    public void capture(Outcome outcome) {
      if (at.remove(++seen)) {
        throw new SimulatedCrash("crash after outcome " + seen + ", before the checkpoint");
      }
    }
  }

}
