package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** S5: a round that dies between creating a record and recording its link. */
class SyncCreatesTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> permits = InMemoryStore.create("permits");
  private final CrashingState links = new CrashingState(StateStore.inMemory(), Set.of(), Set.of(), () -> { });
  private final BidirectionalSync sync = SyncPropertiesTest.sync(crm, permits, links, 5_000);   // random keys on the other side

  /** The CRM gets Ada; the round creates her in permits and dies before the link is saved. */
  private void createdThenCrashed() {
    crm.write(List.of(Change.upsert(new Envelope<>("a-1", 1, Fields.of("name", "Ada", "email", "ada@example.org")))));
    links.crashBefore(2);   // the first save holds the pending link, the second the settled one
    assertThrows(SimulatedCrash.class, sync::round);
    assertEquals(1, permits.size(), "the create was written");
  }

  @Test
  void theNextRound_linksTheRecordItCreated_insteadOfCreatingAnother() {
    createdThenCrashed();
    String created = permits.snapshot().keySet().iterator().next();

    SyncReport report = sync.round();

    assertEquals(0, report.written(), report.summary());
    assertEquals(Set.of(created), permits.snapshot().keySet(), "still the one copy");
    assertEquals(created, StoredLinks.byA(links, "crm-permits", List.of("a-1")).get("a-1").bKey());
    assertEquals(Link.State.LINKED, StoredLinks.byA(links, "crm-permits", List.of("a-1")).get("a-1").state());
  }

  @Test
  void aCreateWhoseOriginWasDeletedMeanwhile_isDeleted_notCopiedBack() {
    createdThenCrashed();
    crm.write(List.of(new Change.Delete<>("a-1", 2)));

    SyncReport report = sync.round();

    assertEquals(1, report.b().deleted(), report.summary());
    assertEquals(0, permits.size());
    assertEquals(0, crm.size(), "not brought back to the CRM");
    assertEquals(0, sync.round().written());
  }
}
