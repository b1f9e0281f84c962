package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Parameters;
import dev.patchbay.patterns.Plan;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** One composed migration serving many requests: each run's parameters choose its scope and transform, and its checkpoint. */
class MigrationParametersTest {

  private final InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
  private final InMemoryStore<Fields> cases = InMemoryStore.create("cases");
  private final StateStore state = StateStore.inMemory();
  /** Whether the destination refuses the next write: a run stopped part way. */
  private final AtomicBoolean down = new AtomicBoolean();

  MigrationParametersTest() {
    List<Change<Fields>> all = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      all.add(Change.upsert(new Envelope<>(String.format("c%02d", i), 1, Fields.of("region", i % 2 == 0 ? "north" : "south"))));
    }
    legacy.write(all);
  }

  private Migration<Fields, Fields> migration() {
    return Migration.builder().name("by-region").source(legacy)
        .scopeFor(p -> ScopeCriteria.where("region " + p.get("region"), r -> p.get("region").equals(r.payload().get("region"))))
        .transformFor(p -> Transform.<Fields, Fields>payload(f -> f.with("request", p.get("request"))))
        .transformVersion("stamp-request-1")
        .destination(batch -> {
          if (down.get()) {
            throw new IllegalStateException("destination down");
          }
          return cases.write(batch);
        })
        .batchSize(3).state(state).build();
  }

  @Test
  void eachRun_takesItsScopeAndTransformFromItsParameters() {
    Migration<Fields, Fields> m = migration();
    RunReport north = m.runWith(Parameters.of("region", "north", "request", "r1"));
    assertEquals(RunStatus.COMPLETED, north.status(), north.summary());
    assertEquals(10, north.counts().created());
    assertEquals(10, north.counts().skipped());
    assertEquals("r1", cases.get("c00").payload().get("request"));
    assertNull(cases.get("c01"), "a southern case is out of the northern run's scope");
    assertEquals("parameters: region=north, request=r1", north.findings().get(0));

    RunReport south = m.runWith(Parameters.of("request", "r2", "region", "south"));
    assertEquals(10, south.counts().created(), south.summary());
    assertEquals("r2", cases.get("c01").payload().get("request"));
    assertEquals("r1", cases.get("c00").payload().get("request"), "the southern run left the northern cases alone");
  }

  @Test
  void twoParameterSets_neverShareACheckpoint() {
    Migration<Fields, Fields> m = migration();
    Parameters north = Parameters.of("region", "north", "request", "r1");
    Parameters south = Parameters.of("region", "south", "request", "r2");
    down.set(false);
    List<Outcome> seen = new ArrayList<>();
    // the northern run stops after its first batch: the destination goes down
    Migration<Fields, Fields> flaky = Migration.builder().name("by-region").source(legacy)
        .scopeFor(p -> ScopeCriteria.where("region " + p.get("region"), r -> p.get("region").equals(r.payload().get("region"))))
        .transformFor(p -> Transform.<Fields, Fields>payload(f -> f.with("request", p.get("request"))))
        .transformVersion("stamp-request-1")
        .destination(batch -> {
          List<Outcome> out = cases.write(batch);
          seen.addAll(out);
          if (seen.size() >= 3) {
            down.set(true);
          }
          if (down.get() && seen.size() > 3) {
            throw new IllegalStateException("destination down");
          }
          return out;
        })
        .batchSize(3).state(state).build();
    RunReport stopped = flaky.runWith(north);
    assertEquals(RunStatus.FAILED, stopped.status(), stopped.summary());
    try (var held = state.open(north.stateName("by-region"))) {
      assertNotNull(held.progress(w -> { }).orElse(null), "the northern run's checkpoint");
    }

    down.set(false);
    RunReport other = m.runWith(south);
    assertEquals(RunStatus.COMPLETED, other.status(), other.summary());
    assertNull(other.resumedFrom(), "the southern run started afresh: the northern checkpoint is not its");
    assertEquals(10, other.counts().created() + other.counts().unchanged());

    RunReport resumed = m.runWith(north);
    assertEquals(RunStatus.COMPLETED, resumed.status(), resumed.summary());
    assertNotNull(resumed.resumedFrom(), "the northern run resumed its own checkpoint");
    assertEquals(20, cases.size());
  }

  @Test
  void aMissingParameter_isASetupErrorNamingIt() {
    Migration<Fields, Fields> m = migration();
    assertEquals("the run needs parameter 'request'; it was given region",
        assertThrows(SetupException.class, () -> m.runWith(Parameters.of("region", "north"))).getMessage());
    assertEquals("the run needs parameter 'region'; it was given none",
        assertThrows(SetupException.class, m::run).getMessage());
    assertEquals(0, cases.size());
  }

  @Test
  void aDryRunWithParameters_plansThatRunsWrites() {
    Plan<RunReport> plan = migration().planWith(Parameters.of("region", "south", "request", "r9"));
    assertEquals(RunStatus.PLANNED, plan.report().status());
    assertEquals(10, plan.writes().size());
    assertEquals(0, cases.size());
  }

  @Test
  void parameters_nameTheirRunsState_theSameForTheSameValues() {
    Parameters a = Parameters.of("region", "north", "since", "2026-01-01");
    Parameters b = Parameters.of("since", "2026-01-01", "region", "north");
    assertEquals(a, b);
    assertEquals(a.stateName("m"), b.stateName("m"));
    assertNotEquals(a.stateName("m"), Parameters.of("region", "south", "since", "2026-01-01").stateName("m"));
    assertEquals("m", Parameters.none().stateName("m"));
    assertEquals(18, a.stateName("m").length(), a.stateName("m"));
    assertEquals("a\\=b=c\\,d, x=y", Parameters.of("a=b", "c,d", "x", "y").toString());
    assertNotEquals(Parameters.of("a=b", "c").stateName("m"), Parameters.of("a", "b=c").stateName("m"));
    assertEquals("parameter 'k' is given twice",
        assertThrows(IllegalArgumentException.class, () -> Parameters.of("k", "1", "k", "2")).getMessage());
  }
}
