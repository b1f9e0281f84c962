package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.report.Progress;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 20: a run stopped by interrupting its thread ({@code Future.cancel(true)}) was reported as
 * "the checkpoint could not be saved: UncheckedIOException" (the interrupt closed the state file's
 * channel). Now it ends STOPPED at a saved checkpoint, says so, and the next run resumes there.
 */
class MigrationInterruptTest {

  @TempDir
  Path state;

  @Test
  void aRunWhoseThreadIsInterrupted_endsStoppedAtASavedCheckpoint_andTheNextRunResumesThere() throws Exception {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    List<Change<Fields>> rows = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      rows.add(Change.upsert(Envelope.of(String.format("k%04d", i), Fields.of("n", i))));
    }
    source.write(rows);
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    AtomicInteger writes = new AtomicInteger();
    Destination<Fields> slow = batch -> {
      writes.addAndGet(batch.size());
      long until = System.nanoTime() + 3_000_000;
      while (System.nanoTime() < until) {
        Thread.onSpinWait();   // busy, not sleeping: the interrupt lands wherever the run is
      }
      return target.write(batch);
    };
    BlockingQueue<Report> reports = new ArrayBlockingQueue<>(4);
    ResultCapture capture = new ResultCapture() {
      @Override
      public void capture(Outcome outcome) {
      }

      @Override
      public void report(Report report) {
        reports.add(report);
      }
    };
    Migration<Fields, Fields> m = Migration.builder().name("legacy").source(source).scope(dev.patchbay.core.ScopeCriteria.all()).transform(dev.patchbay.core.Transform.<Fields>identity())
        .destination(slow).batchSize(50)
        .state(StateStore.directory(state)).resultCapture(capture).build();
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<?> run = pool.submit(m::run);
      while (writes.get() < 500) {
        Thread.sleep(1);
      }
      run.cancel(true);
      Report stopped = reports.poll(10, TimeUnit.SECONDS);
      assertEquals(RunStatus.STOPPED, stopped.status(), stopped.message());
      assertTrue(stopped.message().contains("its thread was interrupted; stopped at checkpoint #"), stopped.message());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    long saved;
    try (NamedState held = StateStore.directory(state).open("legacy")) {
      saved = held.progress(w -> { }).map(Progress::sequence).orElse(0L);
    }
    assertTrue(saved >= 10, "the checkpoints before the stop were saved: #" + saved);
    int before = writes.get();
    assertEquals(RunStatus.COMPLETED, m.run().status());
    assertEquals(2_000, target.size());
    assertTrue(writes.get() - before <= 2_000 - saved * 50 + 50,
        "the next run resumed at the checkpoint: wrote " + (writes.get() - before) + " after #" + saved);
  }
}
