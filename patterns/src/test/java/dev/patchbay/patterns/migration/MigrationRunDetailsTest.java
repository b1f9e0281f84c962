package dev.patchbay.patterns.migration;

import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.core.report.RunReport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.LogCapture;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a run says of itself: how it starts (afresh, resuming from checkpoint #N, after a delta's
 * last completed run) in its log and findings, the checkpoint numbers across runs, the report handed
 * to the result capture (a dry run's never), and the names of its threads.
 */
class MigrationRunDetailsTest {

  private LogCapture log;

  @BeforeEach
  void capture() {
    log = LogCapture.of(Migration.class, Level.INFO);
  }

  @AfterEach
  void release() {
    log.close();
  }

  private List<String> lines(Level level) {
    return log.lines(level);
  }

  private static InMemoryStore<Fields> source(int n) {
    InMemoryStore<Fields> s = InMemoryStore.create("src");
    List<Envelope<Fields>> records = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      records.add(Envelope.of("k" + i, Fields.of("n", i)));
    }
    s.putAll(records);
    return s;
  }

  /** A destination that refuses (a setup-free, non-transient failure) the write holding {@code key}, while {@code failing}. */
  private static Destination<Fields> failingAt(InMemoryStore<Fields> target, String key, boolean[] failing) {
    return batch -> {
      if (failing[0] && batch.stream().anyMatch(c -> c.key().equals(key))) {
        throw new IllegalStateException("destination down");
      }
      return target.write(batch);
    };
  }

  @Test
  void aRunThatStopsIsResumedFromItsLastCheckpoint_numberedAcrossRuns_andSaysSo() {
    InMemoryStore<Fields> target = InMemoryStore.create("dst");
    StateStore state = StateStore.inMemory();
    boolean[] failing = {true};
    Migration.Builder<Fields, Fields> b = Migration.builder().name("details").source(source(5)).scope(ScopeCriteria.all()).transform(Transform.identity())
        .destination(failingAt(target, "k3", failing)).batchSize(1).state(state).retry(RetryPolicy.none());
    RunReport first = b.build().run();
    assertEquals(RunStatus.FAILED, first.status());
    assertEquals(List.of("Migration 'details' starting from the beginning"), lines(Level.INFO));
    assertEquals(2, first.batches());
    assertEquals("Migration 'details' stopped: the destination failed: IllegalStateException: destination down",
        first.message(), "by default the report keeps the system's message");
    RunReport terse = Migration.builder().name("terse").source(source(5)).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(failingAt(InMemoryStore.create("t"), "k1", failing))
        .reasonDetail(ReasonDetail.CLASS_AND_STATE).build().run();
    assertEquals("Migration 'terse' stopped: the destination failed: IllegalStateException", terse.message());

    log.clear();
    failing[0] = false;
    RunReport second = b.build().run();
    assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
    assertTrue(second.findings().get(0).startsWith("resumed from checkpoint #2 saved at "), second.findings().toString());
    assertTrue(lines(Level.INFO).get(0).startsWith("Migration 'details' resuming from checkpoint #2 saved at "),
        lines(Level.INFO).toString());
    assertEquals(5, second.counts().read(), "the whole migration's counts: " + second.summary());
  }

  @Test
  void aDeltaMigrationNumbersItsCheckpointsOnAfterACompletedRun() {
    InMemoryStore<Fields> src = source(3);
    InMemoryStore<Fields> target = InMemoryStore.create("dst");
    StateStore state = StateStore.inMemory();
    boolean[] failing = {false};
    Migration.Builder<Fields, Fields> b = Migration.builder().name("delta-details").changesOf(src, DeletePolicy.PROPAGATE)
        .scope(ScopeCriteria.all()).transform(Transform.identity()).destination(failingAt(target, "k2", failing)).batchSize(1).state(state).retry(RetryPolicy.none());
    assertEquals(RunStatus.COMPLETED, b.build().run().status());   // checkpoints #1 to #3, completed as #4
    src.putAll(List.of(Envelope.of("k1", Fields.of("n", 10)), Envelope.of("k2", Fields.of("n", 20))));
    log.clear();
    failing[0] = true;
    RunReport second = b.build().run();   // k1 as #5, then k2 fails
    assertEquals(RunStatus.FAILED, second.status());
    assertEquals(List.of("Migration 'delta-details' reading the changes after its last completed run"), lines(Level.INFO));
    failing[0] = false;
    RunReport third = b.build().run();
    assertTrue(third.findings().get(0).startsWith("resumed from checkpoint #5 saved at "), third.findings().toString());
    assertEquals(Fields.of("n", 20), target.get("k2").payload());
  }

  /** A destination holding what it is given, but for field {@code email}, which it writes in capitals. */
  private static class Shouting<T> implements Destination<T>, dev.patchbay.core.Lookup<T> {
    final InMemoryStore<T> held = InMemoryStore.create("shouting");
    final java.util.function.UnaryOperator<T> shout;
    int lookups;

    Shouting(java.util.function.UnaryOperator<T> shout) {
      this.shout = shout;
    }

    @Override
    public List<Outcome> write(List<Change<T>> batch) {
      List<Change<T>> changed = new ArrayList<>();
      for (Change<T> c : batch) {
        changed.add(c instanceof Change.Upsert<T> u ? Change.upsert(u.record().withPayload(shout.apply(u.record().payload()))) : c);
      }
      return held.write(changed);
    }

    @Override
    public java.util.Map<String, Envelope<T>> lookup(java.util.Collection<String> keys) {
      lookups++;
      return held.lookup(keys);
    }
  }

  @Test
  void theReconciliationReadsTheDestinationABatchAtATime_andNamesTheFieldsThatDiffer() {
    Shouting<Fields> dest = new Shouting<>(f -> f.get("n").equals(3) ? f.with("n", 33) : f);
    RunReport report = Migration.builder().name("rec").source(source(10)).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(dest).batchSize(5).reconcile(true).build().run();
    assertEquals(2, dest.lookups, "10 records, batches of 5: two reads by key");
    assertEquals(List.of(new dev.patchbay.core.report.Reconciliation.Difference("k3", Set.of("n"))),
        report.reconciliation().differences(), report.summary());
    assertEquals(9, report.reconciliation().matched());
  }

  @Test
  void theReconciliationCountsEveryDifference_andKeepsASampleOfAtMostAHundredOfEach() {
    // 330 records: a third arrive altered, a third are lost (the destination answers, keeps nothing), a third arrive as sent.
    Shouting<Fields> dest = new Shouting<>(f -> (int) f.get("n") % 3 == 0 ? f.with("n", -1) : f) {
      @Override
      public List<Outcome> write(List<Change<Fields>> batch) {
        List<Outcome> answered = new ArrayList<>();
        List<Change<Fields>> kept = new ArrayList<>();
        for (Change<Fields> c : batch) {
          answered.add(Outcome.created(c.key()));
          if (Integer.parseInt(c.key().substring(1)) % 3 != 1) {
            kept.add(c);
          }
        }
        super.write(kept);
        return answered;
      }
    };
    RunReport report = Migration.builder().name("rec").source(source(330)).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(dest).reconcile(true).build().run();
    dev.patchbay.core.report.Reconciliation r = report.reconciliation();
    assertEquals(330, r.desired(), report.summary());
    assertEquals(110, r.matched(), report.summary());
    assertEquals(110, r.differing(), report.summary());
    assertEquals(110, r.missing(), report.summary());
    assertEquals(dev.patchbay.core.report.Reconciliation.SAMPLE, r.differences().size());
    assertEquals(dev.patchbay.core.report.Reconciliation.SAMPLE, r.missingKeys().size());
    assertTrue(r.missingKeys().stream().allMatch(k -> Integer.parseInt(k.substring(1)) % 3 == 1), r.missingKeys().toString());
  }

  @Test
  void aPayloadThatIsNotFieldsDiffersAsAWhole() {
    InMemoryStore<String> texts = InMemoryStore.create("texts");
    texts.putAll(List.of(Envelope.of("a", "alpha"), Envelope.of("b", "beta")));
    Shouting<String> dest = new Shouting<>(t -> t.equals("beta") ? "BETA" : t);
    RunReport report = Migration.builder().name("texts").source(texts).scope(ScopeCriteria.all())
        .transform(Transform.<String>identity()).destination(dest).reconcile(true).build().run();
    assertEquals(List.of(new dev.patchbay.core.report.Reconciliation.Difference("b", Set.of("payload"))),
        report.reconciliation().differences(), report.summary());
    assertEquals(1, report.reconciliation().matched());
  }

  @Test
  void theResultCaptureGetsTheRunsReport_butNotADryRuns() {
    List<Report> reports = new ArrayList<>();
    List<Outcome> outcomes = new ArrayList<>();
    ResultCapture capture = new ResultCapture() {
      @Override
      public void capture(Outcome outcome) {
        outcomes.add(outcome);
      }

      @Override
      public void report(Report report) {
        reports.add(report);
      }
    };
    InMemoryStore<Fields> target = InMemoryStore.create("dst");
    Migration<Fields, Fields> m = Migration.builder().name("captured").source(source(3)).scope(ScopeCriteria.all()).transform(Transform.identity()).destination(target)
        .resultCapture(capture).build();
    Plan<RunReport> plan = m.dryRun(target);
    assertEquals(RunStatus.PLANNED, plan.report().status());
    assertEquals(List.of(), reports, "a dry run reports to its caller only");
    assertEquals(List.of(), outcomes);
    RunReport report = m.run();
    assertEquals(List.of(report), reports);
    assertEquals(3, outcomes.size());
  }

  @Test
  void aDryRunThatWouldCrossTheFailureLimitSaysSoAtWarn() {
    InMemoryStore<Fields> target = InMemoryStore.create("dst");
    Transform<Fields, Fields> rejecting = r -> {
      throw DataException.field("n", "rejected");
    };
    Plan<RunReport> plan = Migration.builder().name("dry").source(source(4)).scope(ScopeCriteria.all()).transform(rejecting).transformVersion("rejecting-1")
        .destination(target).failureLimit(1).build().dryRun(target);
    assertEquals(RunStatus.PLANNED, plan.report().status());
    assertEquals(List.of("Dry run of 'dry' starting from the beginning"), lines(Level.INFO));
    assertEquals(1, lines(Level.WARN).size(), lines(Level.WARN).toString());
    assertTrue(lines(Level.WARN).get(0).startsWith("Dry run of 'dry' would stop: 2 records failed"), lines(Level.WARN).toString());
    assertEquals(List.of(), lines(Level.ERROR));
  }

  @Test
  void theRunsThreadsAreNamedAfterIt() {
    Set<String> writers = Collections.synchronizedSet(new TreeSet<>());
    Set<String> readers = Collections.synchronizedSet(new TreeSet<>());
    InMemoryStore<Fields> src = source(400);
    InMemoryStore<Fields> target = InMemoryStore.create("dst");
    RunReport report = Migration.builder().name("named")
        .source(after -> {
          Cursor<Fields> inner = src.read(after);
          Iterator<Envelope<Fields>> watched = new Iterator<>() {
            @Override
            public boolean hasNext() {
              return inner.hasNext();
            }

            @Override
            public Envelope<Fields> next() {
              readers.add(Thread.currentThread().getName());
              return inner.next();
            }
          };
          return Cursor.over(watched, after, r -> Checkpoint.at(r.key()));
        })
        .scope(ScopeCriteria.all()).transform(Transform.identity())
        .destination((List<Change<Fields>> batch) -> {
          writers.add(Thread.currentThread().getName());
          sleep();
          return target.write(batch);
        })
        .batchSize(10).writers(2).readAhead(true).build().run();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(Set.of("patchbay-migration-named-writer-1", "patchbay-migration-named-writer-2"), writers);
    assertEquals(Set.of("patchbay-migration-named-reader"), readers);
    assertEquals(400, target.size());
  }

  @Test
  void aBatchThatCrossesTheFailureLimitIsTheLastRead_withWritersInFlight() {
    InMemoryStore<Fields> target = InMemoryStore.create("dst");
    Transform<Fields, Fields> rejectSixth = r -> {
      if (r.key().equals("k14")) {   // the sixth in key order: k1, k10 ... k13, k14
        throw DataException.field("n", "rejected");
      }
      return r;
    };
    RunReport report = Migration.builder().name("limit").source(source(20)).scope(ScopeCriteria.all())
        .transform(rejectSixth).destination(target).batchSize(5).writers(2).failureLimit(0).build().run();
    assertEquals(RunStatus.FAILED, report.status(), report.summary());
    assertEquals(6, report.counts().read(), "the first batch, and the failing record of the second: " + report.summary());
    assertEquals(5, target.size(), "nothing after the failing record was read or written");
  }

  private static void sleep() {
    try {
      Thread.sleep(2);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
