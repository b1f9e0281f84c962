package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** S4's mass-delete limit at its edges: the floor and the share are limits, not thresholds crossed at them. */
class SyncMassDeleteBoundariesTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> permits = InMemoryStore.create("permits");

  /** A sync of {@code records} linked records, each side one, the default limits (20 %, and 10 records). */
  private BidirectionalSync linked(int records) {
    List<Change<Fields>> seed = new ArrayList<>();
    for (int i = 0; i < records; i++) {
      seed.add(Change.upsert(Envelope.of(String.format("k%03d", i), Fields.of("n", i))));
    }
    crm.write(seed);
    BidirectionalSync sync = BidirectionalSync.builder().name("edges").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(Envelope::key, Envelope::key).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    assertEquals(records, permits.size());
    return sync;
  }

  private void deleteOnA(int from, int to) {
    List<Change<Fields>> deletes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      deletes.add(Change.delete(String.format("k%03d", i)));
    }
    crm.write(deletes);
  }

  @Test
  void deletingExactlyTheFloor_isAllowed_evenWhereItIsEverything() {
    BidirectionalSync sync = linked(10);
    deleteOnA(0, 10);
    SyncReport report = sync.round();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(10, report.b().deleted());
  }

  @Test
  void deletingExactlyTheShare_isAllowed_andOneMoreIsBlocked() {
    BidirectionalSync sync = linked(100);
    deleteOnA(0, 20);   // 20 % of 100
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    assertEquals(80, permits.size());
    deleteOnA(20, 37);   // 17 more: 17 of the 80 still linked is 21 %
    SyncReport blocked = sync.round();
    assertEquals(RunStatus.BLOCKED, blocked.status(), blocked.summary());
    assertEquals(80, permits.size(), "nothing written");
  }

  @Test
  void updatesOfMostLinkedRecords_areNotDeletes() {
    BidirectionalSync sync = linked(20);
    List<Change<Fields>> updates = new ArrayList<>();
    for (int i = 0; i < 15; i++) {
      updates.add(Change.upsert(Envelope.of(String.format("k%03d", i), Fields.of("n", 100 + i))));
    }
    crm.write(updates);
    SyncReport report = sync.round();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(15, report.b().updated());
  }
}
