package dev.patchbay.patterns.sync;

import dev.patchbay.core.report.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.state.StateStore;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A write a side refuses is reported, and its pair is not settled as if written: it is tried again every round. */
class SyncRefusedWritesTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> permits = InMemoryStore.create("permits");
  private final Faulty<Fields> faultyCrm = Faulty.around(crm);
  private final Faulty<Fields> faultyPermits = Faulty.around(permits);
  private final StateStore state = StateStore.inMemory();
  private final BidirectionalSync sync = SyncPropertiesTest.sync(faultyCrm, faultyPermits, state, 5_000);

  @Test
  void aRefusedCreate_isReportedEveryRound_leftUnlinked_andWrittenOnceTheSideTakesIt() {
    crm.write(List.of(Change.upsert(new Envelope<>("a-1", 1, Fields.of("name", "Ada"))),
        Change.upsert(new Envelope<>("a-2", 1, Fields.of("name", "Grace")))));
    faultyPermits.inject(Faults.builder().rejectWrite(1).build());   // the first change permits is sent, and its key ever after

    SyncReport first = sync.round();

    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(1, first.failures().size(), first.summary());
    Outcome.Failed refused = first.failures().get(0);
    assertEquals(Stage.WRITE, refused.stage());
    assertEquals("rejected by 'permits' (injected)", refused.reason());
    assertEquals(1, first.b().created(), "one create taken, one refused: " + first.summary());
    assertEquals(1, first.b().failed(), "the refused create counted at side B: " + first.summary());
    assertEquals(0, first.a().failed(), first.summary());
    assertEquals(1, permits.size());
    Map<String, Link> links = StoredLinks.byA(state, "crm-permits", List.of("a-1", "a-2"));
    assertEquals(1, links.values().stream().filter(l -> l.state() == Link.State.LINKED).count(), links.toString());
    Link pending = links.values().stream().filter(l -> l.state() != Link.State.LINKED).findFirst().orElseThrow();
    assertEquals(Link.State.PENDING, pending.state(), "the refused create is not settled as if written");
    assertEquals(refused.key(), pending.bKey());

    SyncReport again = sync.round();
    assertEquals(List.of(refused), again.failures(), "still refused, and reported again: " + again.summary());
    assertEquals(1, permits.size());

    faultyPermits.inject(Faults.none());
    SyncReport taken = sync.round();
    assertEquals(List.of(), taken.failures(), taken.summary());
    assertEquals(1, taken.b().created(), taken.summary());
    assertEquals(2, permits.size(), "written once the side takes it, once");
    assertTrue(permits.snapshot().containsKey(refused.key()));
    assertEquals(0, sync.round().written(), "then quiet");
  }
}
