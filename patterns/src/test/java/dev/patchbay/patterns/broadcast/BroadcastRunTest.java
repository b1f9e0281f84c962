package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.RunProgress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A broadcast's {@code run()}: it delivers what the outbox holds and returns, at once where every
 * destination still short of the end is parked, saying which; its progress counts what it delivered.
 */
class BroadcastRunTest {

  private final Outbox outbox = Outbox.inMemory();
  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");

  private static Destination<Fields> refusing(InMemoryStore<Fields> store) {
    return batch -> {
      if (batch.stream().anyMatch(c -> c.key().equals("bad"))) {
        throw new IllegalArgumentException("refused");
      }
      return store.write(batch);
    };
  }

  private static long delivered(BroadcastStatus s) {
    return s.destinations().stream().mapToLong(d -> d.counts().read()).sum();
  }

  @Test
  void aRunWhoseOnlyDestinationShortOfTheEndIsParked_returns_partial_namingIt_theOtherDelivered() {
    Broadcast b = Broadcast.builder().name("b").outbox(outbox)
        .destination(Route.to("crm").into(crm)).destination(Route.to("erp").into(refusing(erp))).build();
    b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("bad", 1, "n", 2), upsert("c", 1, "n", 3)));
    List<RunProgress> progress = new CopyOnWriteArrayList<>();
    b.listen(progress::add);

    BroadcastStatus run = b.run();

    assertEquals(RunStatus.PARTIAL, run.status(), run.summary());
    assertTrue(run.message().contains("destination erp is parked: see each one's last error, then resume or skip"),
        run.message());
    assertEquals(PatternStatus.State.PARKED, run.state());
    assertEquals(3, crm.size(), "the healthy destination has every event");
    long writing = progress.stream().filter(p -> p.name().equals("b") && p.phase() == RunProgress.Phase.WRITING)
        .mapToLong(RunProgress::records).max().orElse(-1);
    assertEquals(delivered(run), writing, "the run's progress counts what it delivered: " + progress);
    assertTrue(writing >= 3, "crm's three at least: " + writing);
  }

  @Test
  void aRunWithEveryDestinationParked_namesThemAll() {
    Broadcast b = Broadcast.builder().name("b").outbox(outbox)
        .destination(Route.to("crm").into(refusing(crm))).destination(Route.to("erp").into(refusing(erp))).build();
    b.publishAll(List.of(upsert("bad", 1, "n", 2)));

    BroadcastStatus run = b.run();

    assertEquals(RunStatus.PARTIAL, run.status(), run.summary());
    assertTrue(run.message().contains("destinations crm, erp are parked: see each one's last error, then resume or skip"),
        run.message());
    assertEquals(PatternStatus.State.PARKED, run.state());
  }

  @Test
  void aRunThatDeliversEverything_isCompleted_andLeavesTheBroadcastIdle() {
    Broadcast b = Broadcast.builder().name("b").outbox(outbox)
        .destination(Route.to("crm").into(crm)).destination(Route.to("erp").into(erp)).build();
    b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("c", 1, "n", 3)));

    BroadcastStatus run = b.run();

    assertEquals(RunStatus.COMPLETED, run.status(), run.summary());
    assertEquals(PatternStatus.State.IDLE, run.state());
    assertEquals("broadcast", run.pattern());
    assertEquals("b", run.name());
    assertEquals(2, crm.size());
    assertEquals(2, erp.size());
    BroadcastStatus again = b.run();
    assertEquals(RunStatus.COMPLETED, again.status());
    assertTrue(again.message() == null || !again.message().contains("parked"), again.message());
  }

  @Test
  void aRunStoppedOnRequest_endsAfterTheBatchInHand_reportedStopped_andTheNextRunDeliversTheRest() throws Exception {
    java.util.concurrent.CountDownLatch first = new java.util.concurrent.CountDownLatch(1);
    Destination<Fields> slow = batch -> {
      first.countDown();
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return crm.write(batch);
    };
    Broadcast b = Broadcast.builder().name("b").outbox(outbox).destination(Route.to("crm").batchSize(1).into(slow)).build();
    for (int i = 0; i < 30; i++) {
      b.publish(upsert("k" + i, 1, "n", i));
    }
    java.util.concurrent.CompletableFuture<BroadcastStatus> running = java.util.concurrent.CompletableFuture.supplyAsync(b::run);
    assertTrue(first.await(10, java.util.concurrent.TimeUnit.SECONDS));
    b.stop();
    BroadcastStatus stopped = running.get(10, java.util.concurrent.TimeUnit.SECONDS);

    assertEquals(RunStatus.STOPPED, stopped.status(), stopped.summary());
    assertEquals(PatternStatus.State.STOPPED, stopped.state());
    assertTrue(stopped.message().contains("stopped on request; each destination's ledger is saved where it is"),
        stopped.message());
    assertTrue(crm.size() < 30, "stopped before the end: " + crm.size());
    BroadcastStatus rest = b.run();
    assertEquals(RunStatus.COMPLETED, rest.status(), rest.summary());
    assertEquals(30, crm.size());
  }
}
