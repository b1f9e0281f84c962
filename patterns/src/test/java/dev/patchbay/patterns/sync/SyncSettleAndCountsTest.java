package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** What a settled conflict leaves in the state, and a round's counts over many chunks. */
class SyncSettleAndCountsTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> permits = InMemoryStore.create("permits");
  private final StateStore state = StateStore.inMemory();
  private final List<Outcome> captured = new ArrayList<>();

  private BidirectionalSync sync(ConflictPolicy policy, int batchSize) {
    return BidirectionalSync.builder().name("settle").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(Envelope::key, Envelope::key).conflicts(policy).batchSize(batchSize).state(state)
        .resultCapture(captured::add).build();
  }

  private static Change<Fields> put(String key, String city) {
    return Change.upsert(Envelope.of(key, Fields.of("city", city)));
  }

  @Test
  void aSettledConflict_isLinkedWithTheDecidedValues_noLongerRevisited_andItsWritesCaptured() {
    BidirectionalSync sync = sync(ConflictPolicy.manual(), 5_000);
    crm.write(List.of(put("k", "Napier")));
    sync.round();
    crm.write(List.of(put("k", "Auckland")));
    permits.write(List.of(put("k", "Dunedin")));
    Conflict parked = sync.round().conflicts().get(0).conflict();
    try (NamedState held = state.open("settle")) {
      assertTrue(new Links(held, w -> { }).position().againA().contains("k"), "parked: looked at again every round");
    }
    captured.clear();

    SyncReport settled = sync.settle(parked, Resolution.keep(Fields.of("city", "Wellington"), "a person's choice"));

    assertEquals(RunStatus.COMPLETED, settled.status(), settled.summary());
    assertEquals(List.of(Outcome.updated("k"), Outcome.updated("k")), captured, "both writes captured");
    try (NamedState held = state.open("settle")) {
      Links links = new Links(held, w -> { });
      Link link = links.byA(List.of("k")).get("k");
      assertEquals(Link.State.LINKED, link.state());
      assertEquals(Fields.of("city", "Wellington"), link.base(), "the link's base is the decision");
      assertFalse(links.position().againA().contains("k"), "no longer parked");
    }
    assertEquals(0, sync.round().written());
  }

  @Test
  void aRoundOfManyChunks_countsEveryChunk() {
    List<Change<Fields>> people = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      people.add(put(String.format("c-%02d", i), "city " + i));
    }
    crm.write(people);

    SyncReport report = sync(ConflictPolicy.lastWriterWins(java.time.Duration.ZERO, Side.A), 4).round();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(25, report.a().read(), report.summary());
    assertEquals(25, report.b().created(), report.summary());
    // side B's feed carries the round's own creates back, chunk by chunk (all but the last chunk's): left as they are
    assertEquals(24, report.b().read(), report.summary());
    assertEquals(25 + 24, report.a().unchanged(), "each record looked at, then its echo: " + report.summary());
    assertEquals(0, report.b().updated() + report.b().deleted() + report.a().created(), report.summary());
    assertEquals(25, permits.size());
  }

  @Test
  void keyFilter_holdsEveryKeyAdded_andFewOthers() {
    KeyFilter filter = new KeyFilter();
    for (int i = 0; i < 200_000; i++) {
      filter.add("a-" + i);
    }
    for (int i = 0; i < 200_000; i++) {
      assertTrue(filter.mightHold("a-" + i));
    }
    long others = 0;
    for (int i = 0; i < 200_000; i++) {
      if (filter.mightHold("b-" + i)) {
        others++;
      }
    }
    assertTrue(others <= 20, others + " of 200,000 keys never added were taken for added ones");
  }
}
