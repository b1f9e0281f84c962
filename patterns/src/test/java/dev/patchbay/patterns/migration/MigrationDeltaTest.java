package dev.patchbay.patterns.migration;

import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.core.report.RunReport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** M7: what a delta migration does with changes and deletes, and with deletes of records it never wrote. */
class MigrationDeltaTest {

  private final InMemoryStore<Fields> source = InMemoryStore.create("legacy");
  private final InMemoryStore<Fields> target = InMemoryStore.create("target");
  private final StateStore state = StateStore.inMemory();
  private final List<Outcome> outcomes = new ArrayList<>();

  /** Open cases only, each under the key "case-" + its legacy key. */
  private Migration<Fields, Fields> delta(DeletePolicy deletes) {
    return Migration.builder().name("cases").changesOf(source, deletes)
        .scope(ScopeCriteria.where("open cases", r -> r.payload().get("status").equals("open")))
        .transform(r -> Envelope.of("case-" + r.key(), r.payload())).destination(target).state(state)
        .resultCapture(outcomes::add).build();
  }

  private static Change<Fields> upsert(String key, String status) {
    return Change.upsert(Envelope.of(key, Fields.of("status", status)));
  }

  @Test
  void deletesPropagate_toWhatTheMigrationWrote_andNeverToARecordItDidNotWrite() {
    source.write(List.of(upsert("1", "open"), upsert("2", "open"), upsert("3", "closed")));
    target.write(List.of(Change.upsert(Envelope.of("case-3", Fields.of("status", "the target's own")))));
    assertEquals(RunStatus.COMPLETED, delta(DeletePolicy.PROPAGATE).run().status());
    assertEquals(Set.of("case-1", "case-2", "case-3"), target.snapshot().keySet());

    source.write(List.of(Change.delete("1"), Change.delete("3"), upsert("2", "open again")));
    outcomes.clear();
    RunReport second = delta(DeletePolicy.PROPAGATE).run();

    assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
    assertEquals(3, second.counts().read(), "the three changes, not the table: " + second.summary());
    assertEquals(1, second.counts().deleted(), second.summary());
    assertEquals(List.of(Outcome.deleted("case-1"),   // in the order of the changes
        new Outcome.Skipped("3", "deleted at the source; never written here: nothing to delete"),
        new Outcome.Skipped("2", "out of scope (open cases)")), outcomes);
    assertEquals(Set.of("case-2", "case-3"), target.snapshot().keySet(), "the target's own case-3 is kept");
    assertEquals(Fields.of("status", "the target's own"), target.get("case-3").payload());

    assertEquals(null, second.resumedFrom(), "a run after a completed one starts afresh from its position");
    assertTrue(second.findings().stream().noneMatch(f -> f.startsWith("resumed")), second.findings().toString());
    assertEquals(0, delta(DeletePolicy.PROPAGATE).run().counts().read(), "nothing changed: nothing read");
  }

  @Test
  void aDeltaRunCutShort_resumesFromItsCheckpoint_andSaysSo() {
    source.write(List.of(upsert("1", "open"), upsert("2", "open"), upsert("3", "open")));
    Migration<Fields, Fields> failing = Migration.builder().name("cases").changesOf(source, DeletePolicy.PROPAGATE)
        .scope(ScopeCriteria.where("open cases", r -> r.payload().get("status").equals("open"))).transform(r -> Envelope.of("case-" + r.key(), r.payload()))
        .destination(batch -> {
          if (batch.stream().anyMatch(c -> c.key().equals("case-3"))) {
            throw new IllegalStateException("the destination went away");
          }
          return target.write(batch);
        }).batchSize(1).state(state).build();
    assertEquals(RunStatus.FAILED, failing.run().status());

    RunReport resumed = delta(DeletePolicy.PROPAGATE).run();

    assertEquals(RunStatus.COMPLETED, resumed.status(), resumed.summary());
    assertTrue(resumed.resumedFrom() != null, "resumed from the checkpoint after case-2");
    assertEquals(3, resumed.counts().read(), "the whole run, each change once: " + resumed.summary());
    assertEquals(Set.of("case-1", "case-2", "case-3"), target.snapshot().keySet());
  }

  @Test
  void deletesIgnored_areCountedAsSkipped_andLeaveTheDestination() {
    source.write(List.of(upsert("1", "open")));
    delta(DeletePolicy.IGNORE).run();
    source.write(List.of(Change.delete("1")));
    outcomes.clear();

    RunReport second = delta(DeletePolicy.IGNORE).run();

    assertEquals(List.of(new Outcome.Skipped("1", "deleted at the source; DeletePolicy.IGNORE leaves the destination's"
        + " record")), outcomes);
    assertTrue(target.snapshot().containsKey("case-1"));
    assertEquals(1, second.counts().skipped());
  }

  @Test
  void aDryRunOfADelta_plansTheDeletes() {
    source.write(List.of(upsert("1", "open"), upsert("2", "open")));
    delta(DeletePolicy.PROPAGATE).run();
    source.write(List.of(Change.delete("1")));

    Plan<RunReport> plan = delta(DeletePolicy.PROPAGATE).dryRun(target);

    assertEquals(List.of(new PlannedWrite<>("destination", PlannedWrite.Action.DELETE, "case-1", target.get("case-1"))), plan.writes());
    assertTrue(target.snapshot().containsKey("case-1"), "a dry run writes nothing");
  }
}
