package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Source;
import dev.patchbay.core.Stage;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.RetryPolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class MigrationBadRecordsTest {

  private final InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
  private final InMemoryStore<Fields> target = InMemoryStore.create("target");
  private final Faulty<Fields> faulty = Faulty.around(target);
  private final Map<String, Integer> transformed = new HashMap<>();
  private final Map<String, Integer> written = new HashMap<>();

  private void seed(int n, Set<Integer> overLimit, Set<Integer> withoutEmail) {
    List<Envelope<Fields>> records = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Fields f = Fields.of("id", "c" + i, "title", "Case " + i, "status", "open", "amount", overLimit.contains(i) ? 9_999 : i);
      if (!withoutEmail.contains(i)) {
        f = f.with("email", "c" + i + "@example.org");
      }
      records.add(Envelope.of(key(i), f));
    }
    legacy.putAll(records);
  }

  private static String key(int i) {
    return String.format("case-%05d", i);
  }

  private Migration.Builder<Fields, Fields> migration(Source<Fields> source) {
    Transform<Fields, Fields> counting = record -> {
      transformed.merge(record.key(), 1, Integer::sum);
      return Cases.TO_TARGET.apply(record);
    };
    CountingTarget countingTarget = new CountingTarget();
    return Migration.builder()
        .name("legacy-cases")
        .source(source)
        .scope(ScopeCriteria.all())
        .transform(counting)
        .destination(countingTarget);
  }

  /** The target, counting the writes of each key; still a Lookup, so runs reconcile. */
  private final class CountingTarget implements Destination<Fields>, Lookup<Fields> {
    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      batch.forEach(c -> written.merge(c.key(), 1, Integer::sum));
      return faulty.write(batch);
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      return target.lookup(keys);
    }
  }

  @Test
  void badRecords_areEachReportedOnceWithKeyStageFieldAndReason_triedOnce_andTheRestMigrates() {
    seed(10, Set.of(3), Set.of(5));
    faulty.inject(Faults.builder().rejectKey(key(7)).build());

    RunReport report = migration(legacy).batchSize(4).retry(RetryPolicy.immediate(3)).build().run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(List.of(
        new Outcome.Failed(key(3), Stage.TRANSFORM, "amount", "exceeds the limit of 9900"),
        new Outcome.Failed(key(5), Stage.TRANSFORM, "email", "required field is missing"),
        new Outcome.Failed(key(7), Stage.WRITE, null, "rejected by 'target' (injected)")),
        report.failures());
    assertEquals(Map.of(key(3), 1, key(5), 1), Map.of(key(3), transformed.get(key(3)), key(5), transformed.get(key(5))),
        "a rejected record is transformed once");
    assertEquals(1, written.get(key(7)), "a record the destination rejects is written once");
    assertNull(written.get(key(3)));
    assertEquals(7, target.size());
    assertEquals(10, report.counts().read());
    assertEquals(7, report.counts().created());
    assertEquals(3, report.counts().failed());
    assertTrue(report.reconciliation().holds(), report.summary());
    assertEquals(3, report.reconciliation().failedExcluded());
  }

  @Test
  void aRecordTheSourceCannotRead_isReportedAtRead_andTheRestMigrates() {
    seed(10, Set.of(), Set.of());
    Source<Fields> malformedLine = legacy.peek(r -> {
      if (r.key().equals(key(4))) {
        throw DataException.field("amount", "'12,5' is not a whole number").forKey("legacy.csv:6");
      }
    });

    RunReport report = migration(malformedLine).batchSize(3).build().run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(List.of(new Outcome.Failed("legacy.csv:6", Stage.READ, "amount", "'12,5' is not a whole number")),
        report.failures());
    assertEquals(10, report.counts().read());
    assertEquals(9, report.counts().created());
    assertTrue(report.counts().balanced());
    assertTrue(report.reconciliation().holds(), report.summary());
    assertEquals(1, report.reconciliation().failedExcluded());
  }

  @Test
  void pastTheFailureLimit_theRunStopsFailed_namingTheLimit_withACheckpointBeforeTheFirstUnprocessedRecord() {
    seed(20, Set.of(2, 6, 9), Set.of(4));
    StateStore checkpoints = StateStore.inMemory();

    RunReport first = migration(legacy).batchSize(5).failureLimit(2).state(checkpoints).build().run();

    assertEquals(RunStatus.FAILED, first.status());
    assertEquals("Migration 'legacy-cases' stopped: 3 records failed, more than the failure limit of 2;"
        + " the next run resumes after the last failed record", first.message());
    assertEquals(Checkpoint.at(key(6)), first.checkpoint());
    assertEquals(7, first.counts().read(), "records 0 to 6 were processed");
    assertEquals(Set.of(key(0), key(1), key(3), key(5)), target.snapshot().keySet(),
        "records before the one that crossed the limit are written, none after it");
    assertNull(transformed.get(key(7)), "record 7 was not processed");

    RunReport second = migration(legacy).batchSize(5).failureLimit(10).state(checkpoints).build().run();

    assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
    assertEquals(List.of(key(2), key(4), key(6), key(9)), second.failures().stream().map(Outcome.Failed::key).toList());
    assertEquals(20, second.counts().read());
    assertEquals(16, target.size());
    assertEquals(Checkpoint.at(key(6)), second.resumedFrom());
    assertTrue(second.counts().balanced());
    assertEquals(1, transformed.get(key(6)), "the record that crossed the limit is not processed again");
  }

  @Test
  void aSourceThatFailsMidRead_endsFailed_neverCompletedWithFewerRecords() {
    seed(12, Set.of(), Set.of());
    Source<Fields> failing = legacy.peek(r -> {
      if (r.key().equals(key(7))) {
        throw new IllegalStateException("connection reset");
      }
    });
    StateStore checkpoints = StateStore.inMemory();

    RunReport report = migration(failing).batchSize(5).state(checkpoints).build().run();

    assertEquals(RunStatus.FAILED, report.status());
    assertEquals("Migration 'legacy-cases' stopped: the source failed while reading after checkpoint #1;"
        + " the run did not reach the end of the data: IllegalStateException: connection reset", report.message());
    assertEquals(Checkpoint.at(key(4)), report.checkpoint());
    assertEquals(5, report.counts().read());
    assertNull(report.reconciliation());

    RunReport resumed = migration(legacy).batchSize(5).state(checkpoints).build().run();
    assertEquals(RunStatus.COMPLETED, resumed.status());
    assertEquals(12, resumed.counts().read());
    assertEquals(12, target.size());
  }

  @Test
  void transientWriteFailures_areRetried_andPastTheRetryLimit_theRunStopsFailed() {
    seed(6, Set.of(), Set.of());
    faulty.inject(Faults.builder().transientWriteFailures(1.0).build());

    RunReport report = migration(legacy).batchSize(5).retry(RetryPolicy.immediate(3)).build().run();

    assertEquals(RunStatus.FAILED, report.status());
    assertEquals("Migration 'legacy-cases' stopped: writing a batch of 5 failed 3 times, the retry limit;"
        + " last error: TransientException: 'target': write call 3 failed (injected)", report.message());
    assertEquals(2, report.retries());
    assertEquals(Checkpoint.start(), report.checkpoint(), "nothing was committed");
    assertEquals(0, target.size());
  }

  @Test
  void aTransformThatFailsTransiently_endsTheRunFailed_andARerunResumes() {
    seed(12, Set.of(), Set.of());
    StateStore checkpoints = StateStore.inMemory();
    Migration<Fields, Fields> flaky = Migration.builder()
        .name("legacy-cases").source(legacy).scope(ScopeCriteria.all())
        .transform(r -> {
          if (r.key().equals(key(8))) {
            throw new TransientException("address service timed out");
          }
          return Cases.TO_TARGET.apply(r);
        })
        .destination(faulty).batchSize(5).state(checkpoints).build();

    RunReport report = flaky.run();

    assertEquals(RunStatus.FAILED, report.status());
    assertEquals("Migration 'legacy-cases' stopped: the transform failed transiently on record 'case-00008':"
        + " TransientException: address service timed out", report.message());
    assertEquals(Checkpoint.at(key(4)), report.checkpoint());
    RunReport resumed = migration(legacy).batchSize(5).state(checkpoints).build().run();
    assertEquals(RunStatus.COMPLETED, resumed.status());
    assertEquals(12, target.size());
  }

  @Test
  void aSecondConcurrentRunOfTheSameMigration_isRefused() throws Exception {
    seed(3, Set.of(), Set.of());
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Migration<Fields, Fields> slow = Migration.builder()
        .name("legacy-cases").source(after -> {
          reading.countDown();
          try {
            release.await();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return legacy.read(after);
        })
        .scope(ScopeCriteria.all()).transform(Cases.TO_TARGET).destination(faulty).build();
    Thread first = new Thread(slow::run);
    first.start();
    reading.await();
    try {
      SetupException e = assertThrows(SetupException.class, slow::run);
      assertEquals("Migration 'legacy-cases' is already running; a migration runs once at a time", e.getMessage());
    } finally {
      release.countDown();
      first.join();
    }
    assertEquals(RunStatus.COMPLETED, slow.run().status(), "runs again once the first has ended");
  }

  @Test
  void transientWriteFailuresThatPass_areRetriedAndCounted() {
    seed(50, Set.of(), Set.of());
    faulty.inject(Faults.builder().seed(7).transientWriteFailures(0.3).lostAcknowledgements(0.1).build());

    RunReport report = migration(legacy).batchSize(5).retry(RetryPolicy.immediate(30)).build().run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertTrue(report.retries() > 0, "retries: " + report.retries());
    assertEquals(50, target.size());
    assertEquals(50, report.counts().created() + report.counts().unchanged(),
        "a batch whose acknowledgement was lost is found unchanged on retry: " + report.counts());
  }
}
