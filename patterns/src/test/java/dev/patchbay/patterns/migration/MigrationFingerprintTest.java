package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunStatus;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A migration stopped halfway and started again with another setup is refused, naming what changed. */
class MigrationFingerprintTest {

  @TempDir
  Path state;

  private final InMemoryStore<Fields> cases = InMemoryStore.create("cases");
  private final InMemoryStore<Fields> otherCases = InMemoryStore.create("archived-cases");
  private final InMemoryStore<Fields> target = InMemoryStore.create("target");
  private final Faulty<Fields> faulty = Faulty.around(target);

  MigrationFingerprintTest() {
    List<Change<Fields>> rows = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      rows.add(Change.upsert(Envelope.of(String.format("k%02d", i), Fields.of("name", "Name " + i))));
    }
    cases.write(rows);
    otherCases.write(rows);
  }

  private Migration.Builder<Fields, Fields> base(dev.patchbay.core.Source<Fields> source, String transformVersion) {
    return Migration.builder().name("cases").source(source).scope(ScopeCriteria.all())
        .transform(Transform.payload(f -> f.with("name", f.requireText("name").toUpperCase(Locale.ROOT))))
        .transformVersion(transformVersion).destination(faulty).batchSize(10).failureLimit(0)
        .state(StateStore.directory(state));
  }

  /** Kills the first run in its second batch's write, after checkpoint #1. */
  private void stopHalfway() {
    faulty.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_PARTIAL, 2).build());
    assertThrows(dev.patchbay.connectors.testkit.SimulatedCrash.class, () -> base(cases, "v1").build().run());
    faulty.inject(Faults.none());
  }

  @Test
  void resumingWithAnotherTransformOrSource_isRefused_namingWhatChanged_andHowToStartOver() {
    stopHalfway();

    SetupException transform = assertThrows(SetupException.class, () -> base(cases, "v2").build().run());
    assertEquals("Migration 'cases' cannot resume: its checkpoint #1 was saved by a run with another transform (was 'v1',"
        + " now 'v2'). Finish it as it was set up, or start over: clear its state (StateStore.open(\"cases\").clear())",
        transform.getMessage());
    SetupException source = assertThrows(SetupException.class, () -> base(otherCases, "v1").build().run());
    assertEquals("Migration 'cases' cannot resume: its checkpoint #1 was saved by a run with another source (was"
        + " 'InMemoryStore[cases]', now 'InMemoryStore[archived-cases]'). Finish it as it was set up, or start over:"
        + " clear its state (StateStore.open(\"cases\").clear())", source.getMessage());

    assertEquals(RunStatus.COMPLETED, base(cases, "v1").build().run().status(), "the same setup resumes");
    assertEquals(30, target.size());
  }

  @Test
  void startingOverAfterClearing_runsTheNewSetup() {
    stopHalfway();
    try (NamedState held = StateStore.directory(state).open("cases")) {
      held.clear();
    }

    assertEquals(RunStatus.COMPLETED, base(cases, "v2").build().run().status());
  }

  /**
   * Defect 19: a source wrapped by the library's own wrapper (Source.peek) described itself as a
   * lambda, which the fingerprint took to match anything: a resume against another source was
   * accepted. The wrapper now passes on the description of what it wraps.
   */
  @Test
  void resumingWithAnotherSourceBehindAWrapper_isRefused() {
    faulty.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_PARTIAL, 2).build());
    assertThrows(dev.patchbay.connectors.testkit.SimulatedCrash.class,
        () -> base(cases.peek(r -> { }), "v1").build().run());
    faulty.inject(Faults.none());

    SetupException source = assertThrows(SetupException.class, () -> base(otherCases.peek(r -> { }), "v1").build().run());
    assertEquals("Migration 'cases' cannot resume: its checkpoint #1 was saved by a run with another source (was"
        + " 'InMemoryStore[cases]', now 'InMemoryStore[archived-cases]'). Finish it as it was set up, or start over:"
        + " clear its state (StateStore.open(\"cases\").clear())", source.getMessage());
    assertEquals(RunStatus.COMPLETED, base(cases.peek(r -> { }), "v1").build().run().status());
  }
}
