package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A sync that creates nothing ({@code creates(false)}), its pairs given by a key function the host
 * keeps (as a correlation does), told to revisit pairs whose keys changed outside it, and to forget
 * a pair linked by mistake.
 */
class SyncExistingPairsTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private final StateStore state = StateStore.inMemory();
  private final Map<String, String> aToB = new HashMap<>();
  private final Map<String, String> bToA = new HashMap<>();
  private final BidirectionalSync sync = BidirectionalSync.builder().name("pairs").sideA(crm).sideB(erp)
      .mapping(UnaryOperator.identity(), UnaryOperator.identity())
      .scopes(ScopeCriteria.all(), ScopeCriteria.all())
      .keys(r -> aToB.getOrDefault(r.key(), "none-" + r.key()), r -> bToA.getOrDefault(r.key(), "none-" + r.key()))
      .creates(false)
      .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
      .retry(RetryPolicy.immediate(2))
      .state(state).build();

  private static List<Change<Fields>> upsert(String key, long version, Object... fields) {
    return List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields))));
  }

  private void pair(String a, String b) {
    aToB.put(a, b);
    bToA.put(b, a);
  }

  @Test
  void aRecordOnOneSideOnly_isLeftThere_andCountedSkipped() {
    crm.write(upsert("a-1", 1, "name", "Ada"));
    erp.write(upsert("b-2", 1, "name", "Bob"));
    SyncReport round = sync.round();
    assertEquals(0, round.written(), round.summary());
    assertEquals(1, crm.size());
    assertEquals(1, erp.size());
    assertEquals(1, round.a().skipped(), round.summary());
    assertEquals(1, round.b().skipped(), round.summary());
  }

  @Test
  void aPairMadeOutsideTheSync_isSyncedOnceRevisited_thoughNeitherRecordChanged() {
    crm.write(upsert("a-1", 1, "name", "Ada"));
    erp.write(upsert("b-9", 2, "name", "Ada Lovelace"));
    assertEquals(0, sync.round().written());
    pair("a-1", "b-9");
    assertEquals(0, sync.round().written(), "no change in either feed: the pair is not looked at");

    sync.revisit(List.of("a-1"), List.of("b-9"));
    SyncReport revisited = sync.round();

    assertEquals(1, revisited.a().updated(), revisited.summary());
    assertEquals(Fields.of("name", "Ada Lovelace"), crm.get("a-1").payload(), "side B changed later");
    assertEquals(Link.State.LINKED, StoredLinks.byA(state, "pairs", List.of("a-1")).get("a-1").state());
  }

  @Test
  void aForgottenPair_letsEitherRecordBePairedAnew() {
    crm.write(upsert("a-1", 1, "name", "Ada"));
    erp.write(upsert("b-9", 1, "name", "Ada"));
    erp.write(upsert("b-8", 1, "name", "Ada L."));
    pair("a-1", "b-9");
    sync.round();
    assertEquals("b-9", StoredLinks.byA(state, "pairs", List.of("a-1")).get("a-1").bKey());

    sync.unlink(List.of("a-1"));
    assertNull(StoredLinks.byA(state, "pairs", List.of("a-1")).get("a-1"), "forgotten");
    aToB.clear();
    bToA.clear();
    pair("a-1", "b-8");
    sync.revisit(List.of("a-1"), List.of("b-8"));
    SyncReport anew = sync.round();

    assertEquals(List.of(), anew.failures(), "no 'linked already' for the forgotten pair");
    assertEquals("b-8", StoredLinks.byA(state, "pairs", List.of("a-1")).get("a-1").bKey());
    assertEquals(Fields.of("name", "Ada"), erp.get("b-9").payload(), "the record it was paired with is left as it was");
  }
}
