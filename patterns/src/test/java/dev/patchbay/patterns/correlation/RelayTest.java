package dev.patchbay.patterns.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The feed the sync under a correlation reads: the matching's batches, resumed from any checkpoint it gave. */
class RelayTest {

  private final Relay relay = new Relay(InMemoryStore.<Fields>create("side"));

  private static List<Change<Fields>> changes(String... keys) {
    List<Change<Fields>> out = new ArrayList<>();
    for (String k : keys) {
      out.add(Change.upsert(new Envelope<>(k, 1, Fields.of("k", k))));
    }
    return out;
  }

  /** Reads up to {@code n} changes after {@code from}: their keys, then the checkpoint as the last element. */
  private List<Object> read(Checkpoint from, int n) {
    List<Object> out = new ArrayList<>();
    try (ChangeCursor<Fields> c = relay.changes(from)) {
      for (int i = 0; i < n && c.hasNext(); i++) {
        out.add(c.next().key());
      }
      out.add(c.checkpoint());
    }
    return out;
  }

  @Test
  void aCheckpointMidBatch_orAtABatchsEnd_resumesAtTheNextChange_acrossBatches() {
    relay.offer(changes("a", "b", "c"));
    relay.offer(changes("d", "e"));
    List<Object> first = read(Checkpoint.start(), 2);
    assertEquals(List.of("a", "b"), first.subList(0, 2));
    List<Object> second = read((Checkpoint) first.get(2), 2);
    assertEquals(List.of("c", "d"), second.subList(0, 2), "on into the next batch");
    List<Object> third = read((Checkpoint) second.get(2), 10);
    assertEquals(List.of("e"), third.subList(0, 1));
    Checkpoint end = (Checkpoint) third.get(1);
    assertEquals(List.of(end), read(end, 10), "nothing after the end, and the end stays where it is");
    relay.offer(changes("f"));
    assertEquals("f", read(end, 10).get(0), "a later batch follows the end");
  }

  @Test
  void afterTheSyncReadEverything_theBatchesAreForgotten_andItsCheckpointReadsWhatCameSince() {
    relay.offer(changes("a", "b"));
    Checkpoint end = (Checkpoint) read(Checkpoint.start(), 10).get(2);
    relay.clear();
    relay.offer(changes("c"));
    assertEquals(List.of("c"), read(end, 10).subList(0, 1));
    assertEquals(List.of("c"), read(Checkpoint.start(), 10).subList(0, 1), "from the start: what is held");
  }

  @Test
  void anotherRelaysCheckpoint_readsFromTheOldestBatchHeld() {
    relay.offer(changes("a", "b"));
    Relay before = new Relay(InMemoryStore.<Fields>create("side"));
    before.offer(changes("x", "y", "z"));
    Checkpoint foreign;
    try (ChangeCursor<Fields> c = before.changes(Checkpoint.start())) {
      c.next();
      foreign = c.checkpoint();
    }
    assertEquals(List.of("a", "b"), read(foreign, 10).subList(0, 2), "a process before this one: everything held");
  }

  @Test
  void aBatchReadAndSaved_isDroppedWhenTheSyncAsksFromBeyondIt() {
    relay.offer(changes("a"));
    relay.offer(changes("b", "c"));
    Checkpoint afterA = (Checkpoint) read(Checkpoint.start(), 1).get(1);
    assertEquals(List.of("b", "c"), read(afterA, 10).subList(0, 2));
    assertEquals(List.of("b", "c"), read(Checkpoint.start(), 10).subList(0, 2), "the first batch is gone");
  }
}
