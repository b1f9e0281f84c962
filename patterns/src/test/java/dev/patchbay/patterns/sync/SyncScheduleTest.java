package dev.patchbay.patterns.sync;

import dev.patchbay.core.report.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.SetupException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SyncScheduleTest {

  @Test
  void scheduledRounds_carryChangesOver_untilClosed() throws Exception {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    BidirectionalSync sync = SyncPropertiesTest.sync(crm, permits, StateStore.inMemory(), 5_000);
    List<SyncReport> reports = new CopyOnWriteArrayList<>();
    CountDownLatch three = new CountDownLatch(3);

    try (dev.patchbay.patterns.Schedule schedule = sync.every(Duration.ofMillis(5), r -> {
      reports.add(r);
      three.countDown();
    })) {
      crm.write(List.of(Change.upsert(new Envelope<>("a-1", 1, Fields.of("name", "Ada")))));
      assertTrue(three.await(30, TimeUnit.SECONDS), "three rounds ran");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (permits.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(5);   // a round after the write carries Ada over
      }
    }
    int ran = reports.size();
    Thread.sleep(50);   // ten intervals: a schedule still running would add reports
    assertEquals(1, permits.size(), "Ada reached permits");
    assertTrue(reports.stream().allMatch(r -> r.status() == RunStatus.COMPLETED));
    assertEquals(ran, reports.size(), "no round ran after close() returned");
  }

  @Test
  void aNonPositiveInterval_isRefused() {
    BidirectionalSync sync = SyncPropertiesTest.sync(InMemoryStore.create("a"), InMemoryStore.create("b"), StateStore.inMemory(), 5_000);
    assertEquals("Sync 'crm-permits': the interval between runs must be positive, was PT0S",
        assertThrows(SetupException.class, () -> sync.every(Duration.ZERO, r -> { })).getMessage());
  }
}
