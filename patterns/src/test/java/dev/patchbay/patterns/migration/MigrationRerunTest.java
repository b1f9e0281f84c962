package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A completed full copy clears its state: the next run reads the whole source again. */
class MigrationRerunTest {

  @Test
  void afterACompletedRun_theNextStartsFromTheBeginning_andFindsWhatWasAdded() {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    StateStore state = StateStore.inMemory();
    source.putAll(List.of(Envelope.of("a", Fields.of("n", 1)), Envelope.of("b", Fields.of("n", 2))));
    Migration<Fields, Fields> m = Migration.builder().name("copy").source(source).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(target).state(state).build();
    m.run();
    try (NamedState held = state.open("copy")) {
      assertEquals(Optional.empty(), held.progress(w -> { }), "a completed run leaves no progress");
    }
    source.putAll(List.of(Envelope.of("0", Fields.of("n", 0))));   // before every key read so far

    RunReport again = m.run();

    assertEquals(3, again.counts().read(), again.summary());
    assertEquals(1, again.counts().created(), again.summary());
    assertEquals(2, again.counts().unchanged(), again.summary());
    assertEquals(null, again.resumedFrom());
  }
}
