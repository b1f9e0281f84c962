package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Records created apart on both sides under keys that match (the same customer number entered in
 * both systems before the first round): the round links them as one pair, equal ones without a
 * write, differing ones by the conflict policy; never two records, never a second create.
 */
class SyncCreatedApartTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private final StateStore state = StateStore.inMemory();
  private final BidirectionalSync sync = BidirectionalSync.builder().name("apart").sideA(crm).sideB(erp)
      .mapping(UnaryOperator.identity(), UnaryOperator.identity())
      .scopes(ScopeCriteria.all(), ScopeCriteria.all())
      .keys(Envelope::key, Envelope::key)
      .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
      .retry(RetryPolicy.immediate(2))
      .state(state).build();

  private static List<Change<Fields>> upsert(String key, long version, Object... fields) {
    return List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields))));
  }

  @Test
  void equalRecordsCreatedApartAreLinked_withoutAWrite_andEditsThenFlowAsUpdates() {
    crm.write(upsert("c-7", 1, "name", "Ada"));
    erp.write(upsert("c-7", 1, "name", "Ada"));
    SyncReport first = sync.round();
    assertEquals(0, first.written(), first.summary());
    assertEquals(Link.State.LINKED, StoredLinks.byA(state, "apart", List.of("c-7")).get("c-7").state(),
        "linked as one pair though nothing was written");
    crm.write(upsert("c-7", 2, "name", "Ada Lovelace"));
    SyncReport second = sync.round();
    assertEquals(1, second.b().updated(), second.summary());
    assertEquals(0, second.b().created(), second.summary());
    assertEquals(Fields.of("name", "Ada Lovelace"), erp.get("c-7").payload());
  }

  @Test
  void differingRecordsCreatedApartAreAConflict_settledByThePolicy() {
    crm.write(upsert("c-8", 10, "name", "Grace"));
    erp.write(upsert("c-8", 20, "name", "Grace Hopper"));   // changed later
    SyncReport first = sync.round();
    assertEquals(1, first.conflicts().size(), first.summary());
    assertEquals(1, first.a().updated(), "side B's later version taken: " + first.summary());
    assertEquals(Fields.of("name", "Grace Hopper"), crm.get("c-8").payload());
    assertEquals(1, crm.size());
    assertEquals(1, erp.size());
    assertEquals(0, sync.round().written(), "then quiet");
  }
}
