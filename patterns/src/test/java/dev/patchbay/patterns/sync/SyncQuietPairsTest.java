package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** S2 at its cheapest: the sync's own writes coming back are settled from the feed alone, no side read by key. */
class SyncQuietPairsTest {

  /** A side that counts the keys it is asked to read. */
  private record Counting(InMemoryStore<Fields> store, List<String> looked) implements ChangeFeed<Fields>, Lookup<Fields>,
      Destination<Fields> {
    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      return store.changes(after);
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      looked.addAll(keys);
      return store.lookup(keys);
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      return store.write(batch);
    }
  }

  @Test
  void theRoundAfterCreates_readsTheEchoesFromTheFeeds_andLooksNothingUp() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    crm.write(List.of(Change.upsert(Envelope.of("a-1", Fields.of("name", "Ada")))));
    permits.write(List.of(Change.upsert(Envelope.of("b-1", Fields.of("name", "Bob")))));
    List<String> lookedA = new ArrayList<>();
    List<String> lookedB = new ArrayList<>();
    Set<Outcome> captured = new HashSet<>();
    BidirectionalSync sync = BidirectionalSync.builder().name("quiet").sideA(new Counting(crm, lookedA))
        .sideB(new Counting(permits, lookedB)).mapping(UnaryOperator.identity(), UnaryOperator.identity())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).keys(Envelope::key, Envelope::key)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).resultCapture(captured::add).build();

    sync.round();
    assertEquals(Set.of(Outcome.created("a-1"), Outcome.created("b-1")), captured, "both sides' writes captured");
    lookedA.clear();
    lookedB.clear();

    SyncReport echoes = sync.round();

    assertEquals(0, echoes.written(), echoes.summary());
    assertEquals(1, echoes.a().read(), "the copy of Bob came back: " + echoes.summary());
    assertEquals(1, echoes.b().read(), "the copy of Ada came back: " + echoes.summary());
    assertEquals(List.of(), lookedA, "no record of side A read by key");
    assertEquals(List.of(), lookedB, "no record of side B read by key");
  }
}
