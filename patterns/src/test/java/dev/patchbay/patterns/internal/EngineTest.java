package dev.patchbay.patterns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.RunListener;
import dev.patchbay.patterns.RunProgress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The engine's parts that the patterns' tests reach only through a pattern: progress lines, events, the planning destination. */
class EngineTest {

  @Test
  void aProgressLine_saysTheCountTheShareTheRateAndTheTimeLeft() {
    RunProgress half = new RunProgress("migration", "m", RunProgress.Phase.RECONCILING, 600_000, OptionalLong.of(1_000_000),
        Duration.ofSeconds(12));
    assertEquals("600,000 records of 1,000,000 (60 %), 50,000/s, about 8 s left", Engine.describe(half));
    RunProgress open = new RunProgress("migration", "m", RunProgress.Phase.WRITING, 1_500, OptionalLong.empty(),
        Duration.ofMillis(500));
    assertEquals("1,500 records, 3,000/s", Engine.describe(open));
    RunProgress none = new RunProgress("sync", "s", RunProgress.Phase.WRITING, 0, OptionalLong.of(0), Duration.ZERO);
    assertEquals("0 records of 0 (100 %), 0/s", Engine.describe(none));
  }

  /** What a listener heard, by event. */
  private static final class Heard implements RunListener {
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger conflicts = new AtomicInteger();
    final List<RunProgress> progress = new ArrayList<>();

    @Override
    public void retried() {
      retried.incrementAndGet();
    }

    @Override
    public void conflict() {
      conflicts.incrementAndGet();
    }

    @Override
    public void progress(RunProgress p) {
      progress.add(p);
    }
  }

  private static Engine<Report> engine(Duration progressEvery) {
    Settings settings = new Settings("Test");
    settings.progressEvery(progressEvery);
    return new Engine<>("test", "t", "Test 't'", StateStore.inMemory(), ResultCapture.none(), settings);
  }

  @Test
  void retriesConflictsAndProgress_reachTheListeners_andAnOuterEnginesThroughItsForwarding() {
    Engine<Report> outer = engine(Duration.ofSeconds(10));
    Engine<Report> inner = engine(Duration.ofSeconds(10));
    Heard heardOuter = new Heard();
    Heard heardInner = new Heard();
    outer.listen(heardOuter);
    inner.listen(heardInner);
    inner.listen(outer.forwarding());
    AtomicInteger calls = new AtomicInteger();
    long before = System.nanoTime();
    inner.run("busy", run -> {
      run.retrying(RetryPolicy.immediate(3)).call(() -> {
        if (calls.getAndIncrement() == 0) {
          throw new TransientException("once");
        }
        return null;
      });
      run.conflict();
      run.phase(RunProgress.Phase.WRITING, OptionalLong.of(10));
      run.advanced(4);
      run.advanced(6);
      return null;
    });
    long took = System.nanoTime() - before;
    for (Heard h : List.of(heardInner, heardOuter)) {
      assertEquals(1, h.retried.get());
      assertEquals(1, h.conflicts.get());
      assertEquals(List.of(4L, 10L), h.progress.stream().map(RunProgress::records).toList());
      assertTrue(h.progress.get(1).elapsed().toNanos() <= took, "elapsed within the run: " + h.progress.get(1).elapsed());
    }
  }

  @Test
  void aPlanningDestination_overOneThatCannotBeRead_plansUpserts_andDeletesOfKeysItCannotSee() {
    List<PlannedWrite<?>> writes = new ArrayList<>();
    Destination<Fields> queue = batch -> {
      throw new AssertionError("a plan never writes");
    };
    Planning<Fields> plan = Planning.of("queue", queue, new Retrying("t", RetryPolicy.none()), writes);
    Envelope<Fields> a = new Envelope<>("a", 1, Fields.of("n", 1));
    List<Outcome> outcomes = plan.write(List.of(Change.upsert(a), Change.delete("b")));
    assertEquals(List.of(Outcome.updated("a"), Outcome.deleted("b")), outcomes);
    assertEquals(List.of(new PlannedWrite<>("queue", PlannedWrite.Action.UPSERT, "a", a),
        new PlannedWrite<>("queue", PlannedWrite.Action.DELETE, "b", null)), writes);
    assertEquals("Planning[queue]", plan.toString());
  }

  @Test
  void aPlanningDestination_remembersWhatItPlanned_acrossBatches() {
    InMemoryStore<Fields> held = InMemoryStore.create("held");
    Envelope<Fields> old = new Envelope<>("k", 1, Fields.of("n", 1));
    held.write(List.of(Change.upsert(old)));
    List<PlannedWrite<?>> writes = new ArrayList<>();
    AtomicInteger lookups = new AtomicInteger();
    Planning<Fields> plan = new Planning<>("d", keys -> {
      lookups.incrementAndGet();
      return held.lookup(keys);
    }, new Retrying("t", RetryPolicy.none()), writes);
    Envelope<Fields> newer = new Envelope<>("k", 2, Fields.of("n", 2));
    assertEquals(List.of(Outcome.updated("k")), plan.write(List.of(Change.upsert(newer))));
    assertEquals(List.of(Outcome.unchanged("k")), plan.write(List.of(Change.upsert(newer))), "as the plan left it");
    assertEquals(List.of(Outcome.deleted("k")), plan.write(List.of(Change.delete("k"))));
    assertEquals(List.of(Outcome.unchanged("k")), plan.write(List.of(Change.delete("k"))), "deleted by the plan already");
    assertEquals(List.of(Outcome.created("k")), plan.write(List.of(Change.upsert(newer))));
    assertEquals(1, lookups.get(), "what the plan wrote is never read again");
    assertEquals(List.of(PlannedWrite.Action.UPDATE, PlannedWrite.Action.DELETE, PlannedWrite.Action.CREATE),
        writes.stream().map(PlannedWrite::action).toList());
    assertEquals(newer, writes.get(1).record(), "a delete shows the record the destination would hold then: the planned update");
    assertNull(held.lookup(List.of("x")).get("x"));
  }

  @Test
  void theRecordStep_skipsFailsOrMaps_andThrowsWhatIsNotTheRecords() {
    RecordStep<Fields, Fields> step = new RecordStep<>(dev.patchbay.core.ScopeCriteria.where("even", r -> {
      if (r.key().equals("bad-scope")) {
        throw new IllegalStateException("no such column: n");
      }
      return ((Integer) r.payload().get("n")) % 2 == 0;
    }), r -> switch (r.key()) {
      case "null" -> null;
      case "data" -> throw dev.patchbay.core.DataException.field("n", "is odd");
      case "down" -> throw new TransientException("timeout");
      default -> r;
    }, dev.patchbay.patterns.ReasonDetail.CLASS_AND_STATE);
    assertEquals(new Outcome.Skipped("one", "out of scope (even)"), step.apply(new Envelope<>("one", 1, Fields.of("n", 1))).outcome());
    assertEquals(new Outcome.Failed("bad-scope", dev.patchbay.core.Stage.SCOPE, null, "IllegalStateException"),
        step.apply(new Envelope<>("bad-scope", 1, Fields.of("n", 2))).outcome());
    assertEquals(new Outcome.Failed("null", dev.patchbay.core.Stage.TRANSFORM, null, "transform returned null"),
        step.apply(new Envelope<>("null", 1, Fields.of("n", 2))).outcome());
    assertEquals(new Outcome.Failed("data", dev.patchbay.core.Stage.TRANSFORM, "n", "is odd"),
        step.apply(new Envelope<>("data", 1, Fields.of("n", 2))).outcome());
    Envelope<Fields> kept = new Envelope<>("two", 1, Fields.of("n", 2));
    assertEquals(kept, step.apply(kept).mapped());
    assertNull(step.apply(kept).outcome());
    RecordStep.Transient down = org.junit.jupiter.api.Assertions.assertThrows(RecordStep.Transient.class,
        () -> step.apply(new Envelope<>("down", 1, Fields.of("n", 2))));
    assertEquals("the transform", down.where());
    assertEquals("down", down.key());
    assertEquals("timeout", down.getCause().getMessage());
  }
}
