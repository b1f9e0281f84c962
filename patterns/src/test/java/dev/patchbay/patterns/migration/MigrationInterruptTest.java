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
import dev.patchbay.core.state.Progress;
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

  /**
   * The interrupt lands while the run's thread waits for a batch's write (two writers: the third
   * batch held at the destination, the fourth written, the pipeline full, and the thread can only
   * wait for the third): that write and the one after it, in flight, are settled and their
   * checkpoints saved before the run stops, as when the interrupt lands between batches.
   */
  @Test
  void anInterruptWhileWaitingForAWriteInFlight_settlesTheWritesInFlight_beforeTheRunStops() throws Exception {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    List<Change<Fields>> rows = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      rows.add(Change.upsert(Envelope.of(String.format("k%04d", i), Fields.of("n", i))));
    }
    source.write(rows);
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    java.util.concurrent.CountDownLatch fourthWritten = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    AtomicInteger batches = new AtomicInteger();
    Destination<Fields> gated = batch -> {
      int n = batches.incrementAndGet();
      if (n == 3) {
        try {
          release.await(10, TimeUnit.SECONDS);   // a writer's thread: the run's interrupt does not reach it
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      List<Outcome> written = target.write(batch);
      if (n == 4) {
        fourthWritten.countDown();
      }
      return written;
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
    Migration<Fields, Fields> m = Migration.builder().name("gated").source(source).scope(dev.patchbay.core.ScopeCriteria.all())
        .transform(dev.patchbay.core.Transform.<Fields>identity()).destination(gated).batchSize(50)
        .writers(2).readAhead(false).state(StateStore.directory(state)).resultCapture(capture).build();
    java.util.concurrent.atomic.AtomicReference<Thread> runThread = new java.util.concurrent.atomic.AtomicReference<>();
    ExecutorService pool = Executors.newSingleThreadExecutor(r -> {
      Thread t = new Thread(r);
      runThread.set(t);
      return t;
    });
    try {
      Future<?> run = pool.submit(m::run);
      assertTrue(fourthWritten.await(10, TimeUnit.SECONDS), "the fourth batch was written while the third is held");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (runThread.get().getState() != Thread.State.WAITING && runThread.get().getState() != Thread.State.TIMED_WAITING
          && System.nanoTime() < deadline) {
        Thread.sleep(5);   // the run's thread, the pipeline full, comes to wait for the third (however loaded the machine)
      }
      Thread.sleep(20);
      run.cancel(true);
      Thread.sleep(100);
      release.countDown();
      Report stopped = reports.poll(10, TimeUnit.SECONDS);
      assertEquals(RunStatus.STOPPED, stopped.status(), stopped.message());
      assertTrue(stopped.message().contains("its thread was interrupted; stopped at checkpoint #4"), stopped.message());
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
    try (NamedState held = StateStore.directory(state).open("gated")) {
      assertEquals(4L, held.progress(w -> { }).map(Progress::sequence).orElse(0L), "the writes in flight were settled and saved");
    }
    assertEquals(RunStatus.COMPLETED, m.run().status());
    assertEquals(500, target.size());
    assertEquals(10, batches.get(), "the next run went on after the fourth batch: no batch written twice");
  }
}
