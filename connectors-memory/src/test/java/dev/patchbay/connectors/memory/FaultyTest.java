package dev.patchbay.connectors.memory;

import dev.patchbay.connectors.testkit.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.TransientException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class FaultyTest {

  private static Envelope<Fields> rec(String key) {
    return new Envelope<>(key, 1, Fields.of("n", key));
  }

  @SafeVarargs
  private static List<Change<Fields>> upserts(Envelope<Fields>... records) {
    return Arrays.stream(records).map(Change::upsert).toList();
  }

  @Test
  void transientFailures_applyNothing_lostAcknowledgements_applyEverything() {
    InMemoryStore<Fields> failing = InMemoryStore.create("s");
    Faulty<Fields> faultyFailing = Faulty.around(failing);
    faultyFailing.inject(Faults.builder().transientWriteFailures(1.0).build());
    assertThrows(TransientException.class, () -> faultyFailing.write(upserts(rec("a"))));
    assertEquals(0, failing.size());

    InMemoryStore<Fields> unacked = InMemoryStore.create("s");
    Faulty<Fields> faultyUnacked = Faulty.around(unacked);
    faultyUnacked.inject(Faults.builder().lostAcknowledgements(1.0).build());
    TransientException e = assertThrows(TransientException.class, () -> faultyUnacked.write(upserts(rec("a"))));
    assertEquals("'s': acknowledgement of write call 1 lost (injected)", e.getMessage());
    assertEquals(1, unacked.size());
  }

  @Test
  void rejectTheNthWrite_andItsKeyEverAfter_passingTheOthersThrough() {
    InMemoryStore<Fields> store = InMemoryStore.create("s");
    Faulty<Fields> faulty = Faulty.around(store);
    faulty.inject(Faults.builder().rejectWrite(2).build());
    List<Outcome> first = faulty.write(upserts(rec("a"), rec("b"), rec("c")));
    assertEquals(List.of(Outcome.created("a"), Outcome.rejected("b", null, "rejected by 's' (injected)"),
        Outcome.created("c")), first);
    assertTrue(faulty.write(upserts(rec("b"))).get(0) instanceof Outcome.Failed);
    assertFalse(store.snapshot().containsKey("b"));
  }

  @Test
  void crashMidWrite_leavesHalfTheBatch_andFiresOnce() {
    InMemoryStore<Fields> store = InMemoryStore.create("s");
    Faulty<Fields> faulty = Faulty.around(store);
    faulty.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_PARTIAL, 2).build());
    faulty.write(upserts(rec("a")));
    SimulatedCrash crash = assertThrows(SimulatedCrash.class, () -> faulty.write(upserts(rec("b"), rec("c"), rec("d"), rec("e"))));
    assertEquals("'s' crashed at WRITE_PARTIAL, after applying 2 of 4 changes", crash.getMessage());
    assertEquals(List.of("a", "b", "c"), List.copyOf(store.snapshot().keySet()));
    faulty.write(upserts(rec("b"), rec("c"), rec("d"), rec("e")));
    assertEquals(5, store.size());
  }

  @Test
  void crashAfterTheNthRead() {
    InMemoryStore<Fields> store = InMemoryStore.create("s");
    store.putAll(List.of(rec("a"), rec("b"), rec("c")));
    Faulty<Fields> faulty = Faulty.around(store);
    faulty.inject(Faults.builder().crashAt(Faults.CrashPoint.READ, 2).build());
    Cursor<Fields> cursor = faulty.read(Checkpoint.start());
    assertEquals("a", cursor.next().key());
    assertThrows(SimulatedCrash.class, cursor::next);
  }
}
