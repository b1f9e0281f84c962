package dev.patchbay.patterns.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BroadcastTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final ScopeCriteria<Fields> WON = ScopeCriteria.where("closed-won",
      r -> "won".equals(r.payload().get("stage")));

  static Change<Fields> upsert(String key, long version, Object... fields) {
    return Change.upsert(new Envelope<>(key, version, Fields.of(fields)));
  }

  @Test
  void fansOutToEachDestinationThroughItsOwnScopeAndTransform() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> queue = InMemoryStore.create("queue");
    InMemoryStore<Fields> audit = InMemoryStore.create("audit");
    try (Broadcast b = Broadcast.builder().name("closed-won")
        .destination(Route.to("erp").scope(WON)
            .transform(r -> new Envelope<>("order-" + r.key(), r.version(), Fields.of("amount", r.payload().get("amount"))))
            .into(erp))
        .destination(Route.to("queue").scope(WON).into(queue))
        .destination(Route.to("audit").into(audit))
        .build()) {
      b.start();
      b.publish(upsert("o1", 1, "stage", "won", "amount", 100));
      b.publishAll(List.of(upsert("o2", 1, "stage", "open", "amount", 5), upsert("o1", 2, "stage", "won", "amount", 120)));
      assertTrue(b.awaitDelivered(WAIT));

      assertEquals(Fields.of("amount", 120), erp.get("order-o1").payload());
      assertEquals(1, erp.size());
      assertEquals(120, queue.get("o1").payload().get("amount"));
      assertEquals(1, queue.size());
      assertEquals(2, audit.size());
      BroadcastStatus s = b.status();
      assertEquals(3, s.outboxEnd());
      for (DestinationStatus d : s.destinations()) {
        assertEquals(3, d.position(), d.name());
        assertEquals(0, d.lagChanges(), d.name());
        assertEquals(3, d.counts().read(), d.name());
        assertTrue(d.counts().balanced(), d.name());
        assertEquals(DestinationStatus.State.RUNNING, d.state(), d.name());
      }
      assertEquals(2, s.destination("audit").counts().created(), "o1 v1 and o2, or o1 v2 where it came in o1 v1's batch");
      assertTrue(s.purgeHeldBy().isEmpty());
    }
  }

  @Test
  void whatIsPublishedBeforeStartIsDeliveredOnStart_andTheLedgerIsReadWhileStopped() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    StateStore state = StateStore.inMemory();
    Outbox outbox = Outbox.inMemory();
    Broadcast b = Broadcast.builder().name("b").outbox(outbox).state(state).destination(Route.to("erp").into(erp)).build();
    b.publish(upsert("k", 1, "n", 1));
    DestinationStatus before = b.status().destination("erp");
    assertEquals(DestinationStatus.State.STOPPED, before.state());
    assertEquals(0, before.position());
    assertEquals(1, before.lagChanges());
    assertEquals(0, erp.size());
    b.start();
    assertTrue(b.awaitDelivered(WAIT));
    b.close();
    assertEquals(1, erp.size());
    DestinationStatus after = b.status().destination("erp");
    assertEquals(DestinationStatus.State.STOPPED, after.state());
    assertEquals(1, after.position());
    assertEquals(new Counts(1, 1, 0, 0, 0, 0, 0), after.counts());
  }

  @Test
  void aDestinationDownIsRetriedAlone_parkedPastItsLimit_holdsPurgeBack_andCatchesUpWhenResumed() {
    Flaky healthy = new Flaky("healthy", 1);
    Flaky broken = new Flaky("broken", 2);
    broken.down = true;
    Outbox outbox = Outbox.inMemory();
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox)
        .destination(Route.to("healthy").into(healthy))
        .destination(Route.to("broken").retry(RetryPolicy.immediate(3)).parkAfter(2).into(broken))
        .build()) {
      b.start();
      for (int i = 0; i < 20; i++) {
        b.publish(upsert("k" + i, 1, "n", i));
      }
      assertFalse(b.awaitDelivered(WAIT), "a parked destination has not had its events");
      assertEquals(20, healthy.held().size(), "the healthy one has everything");
      assertEquals(20, healthy.held().size());
      assertEquals(0, broken.held().size());
      DestinationStatus parked = b.status().destination("broken");
      assertEquals(DestinationStatus.State.PARKED, parked.state());
      assertEquals(0, parked.position());
      assertEquals(20, parked.lagChanges());
      assertTrue(parked.lastError().contains("destination broken is down"), parked.lastError());
      assertTrue(parked.attempts() >= 3, "attempts " + parked.attempts());
      assertEquals(2 * 3, broken.attempts(), "two batches of three attempts, then parked: no more");
      assertEquals("broken", b.status().purgeHeldBy().orElseThrow());
      assertEquals(0, b.purge(), "nothing below the parked destination's position is purged");
      long healthyAttempts = healthy.attempts();
      assertEquals(20, healthy.asked.size(), "the healthy destination was asked for each change once: no retries");

      broken.down = false;
      b.resume("broken");
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(20, broken.held().size());
      assertEquals(healthyAttempts, healthy.attempts(), "resuming one destination sends nothing to another");
      DestinationStatus back = b.status().destination("broken");
      assertEquals(DestinationStatus.State.RUNNING, back.state());
      assertEquals(0, back.attempts());
      assertNull(back.lastError());
      assertEquals(20, b.purge());
      assertEquals(0, outbox.size("b"));
      assertTrue(b.status().purgeHeldBy().isEmpty());
    }
  }

  @Test
  void anOlderVersionPublishedAfterANewerOneIsSkipped_alsoAfterARestart() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    StateStore state = StateStore.inMemory();
    Outbox outbox = Outbox.inMemory();
    List<Outcome> seen = new CopyOnWriteArrayList<>();
    Route<Fields> route = Route.to("erp").resultCapture(seen::add).into(erp);
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).state(state).destination(route).build()) {
      b.start();
      b.publish(upsert("k", 5, "n", 5));
      assertTrue(b.awaitDelivered(WAIT));
      b.publish(upsert("k", 3, "n", 3));
      assertTrue(b.awaitDelivered(WAIT));
    }
    assertEquals(5, erp.get("k").version());
    assertEquals(new Outcome.Skipped("k", "older than version 5, delivered already"), seen.get(1));
    try (Broadcast again = Broadcast.builder().name("b").outbox(outbox).state(state).destination(route).build()) {
      again.publish(upsert("k", 4, "n", 4));
      again.start();
      assertTrue(again.awaitDelivered(WAIT));
    }
    assertEquals(5, erp.get("k").version(), "the ledger keeps the version across a restart");
  }

  @Test
  void aDeleteRemovesOnlyWhatTheRouteWrote_orNothingWhereDeletesAreIgnored() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> keep = InMemoryStore.create("keep");
    erp.putAll(List.of(new Envelope<>("theirs", 1, Fields.of("n", 0))));
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("erp").scope(WON).into(erp))
        .destination(Route.to("keep").deletes(DeletePolicy.IGNORE).into(keep))
        .build()) {
      b.start();
      b.publish(upsert("mine", 1, "stage", "won"));
      assertTrue(b.awaitDelivered(WAIT));
      b.publishAll(List.of(new Change.Delete<>("mine", 2), new Change.Delete<>("theirs", 2)));
      assertTrue(b.awaitDelivered(WAIT));
      assertNull(erp.get("mine"));
      assertEquals(1, erp.get("theirs").version(), "a record this broadcast never wrote stays");
      assertEquals(1, keep.size());
      Counts erpCounts = b.status().destination("erp").counts();
      assertEquals(new Counts(3, 1, 0, 0, 1, 1, 0), erpCounts);
      assertEquals(new Counts(3, 1, 0, 0, 0, 2, 0), b.status().destination("keep").counts());
    }
  }

  @Test
  void aRecordTheTransformRejectsIsReportedWithKeyStageAndField_andTheOthersGoOn() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("erp").transform(r -> {
          if (!r.payload().has("amount")) {
            throw DataException.missingField("amount");
          }
          return r;
        }).into(erp))
        .build()) {
      b.start();
      b.publishAll(List.of(upsert("bad", 1, "stage", "won"), upsert("good", 1, "amount", 3)));
      assertTrue(b.awaitDelivered(WAIT));
      DestinationStatus d = b.status().destination("erp");
      assertEquals(1, d.failures().size());
      Outcome.Failed f = d.failures().get(0);
      assertEquals("bad", f.key());
      assertEquals(Stage.TRANSFORM, f.stage());
      assertEquals("amount", f.field());
      assertEquals(2, d.position());
      assertEquals(1, erp.size());
      assertEquals(new Counts(2, 1, 0, 0, 0, 0, 1), d.counts());
    }
  }

  @Test
  void parallelWritersKeepEveryKeysOrder() {
    Flaky erp = new Flaky("erp", 3);
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("erp").writers(4).batchSize(7).into(erp)).build()) {
      b.start();
      for (int v = 1; v <= 30; v++) {
        List<Change<Fields>> round = new ArrayList<>();
        for (int k = 0; k < 10; k++) {
          round.add(upsert("k" + k, v, "v", v));
        }
        b.publishAll(round);
      }
      assertTrue(b.awaitDelivered(WAIT));
    }
    assertEquals(List.of(), erp.backwards);
    for (int k = 0; k < 10; k++) {
      assertEquals(30, erp.held().get("k" + k).version());
    }
  }

  @Test
  void twoKeysMappedToOneDestinationKey_areWrittenOneAfterTheOther_inPublishOrder() {
    Flaky erp = new Flaky("erp", 4);
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("erp").writers(2).transform(r -> new Envelope<>("account-1", r.version(), r.payload()))
            .into(erp)).build()) {
      b.publishAll(List.of(upsert("o1", 1, "n", 1), upsert("o2", 2, "n", 2), upsert("o3", 3, "n", 3)));
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
    }
    assertEquals(List.of(1L, 2L, 3L), erp.asked.stream().map(c -> ((Change.Upsert<Fields>) c).record().version()).toList(),
        "one write each (a batch's keys are distinct), in publish order");
    assertEquals(Fields.of("n", 3), erp.held().get("account-1").payload());
  }

  @Test
  void aSecondRunnerOfADestinationIsRefused(@TempDir Path dir) {
    StateStore state = StateStore.directory(dir);
    Outbox outbox = Outbox.inMemory();
    try (Broadcast first = Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("erp").into(InMemoryStore.create("erp"))).build();
         Broadcast second = Broadcast.builder().name("b").outbox(outbox).state(StateStore.directory(dir))
             .destination(Route.to("erp").into(InMemoryStore.create("erp2"))).build()) {
      first.start();
      SetupException e = assertThrows(SetupException.class, second::start);
      assertTrue(e.getMessage().contains("b.erp"), e.getMessage());
      assertThrows(SetupException.class, first::start);
      first.close();
      second.start();   // once the first let go, the destination can be taken
    }
  }

  @Test
  void aLedgerPastTheOutboxsEndIsRefused() {
    StateStore state = StateStore.inMemory();
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("b").state(state).destination(Route.to("erp").into(erp)).build()) {
      b.start();
      b.publish(upsert("k", 1));
      assertTrue(b.awaitDelivered(WAIT));
    }
    Broadcast lost = Broadcast.builder().name("b").state(state).outbox(Outbox.inMemory())
        .destination(Route.to("erp").into(erp)).build();
    SetupException e = assertThrows(SetupException.class, lost::start);
    assertTrue(e.getMessage().contains("destination 'erp' is at position 1, past the outbox's end 0"), e.getMessage());
  }

  @Test
  void pollsAChangeFeed() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("b").changesOf(crm).pollInterval(Duration.ofMillis(20))
        .destination(Route.to("erp").into(erp)).build()) {
      crm.write(List.of(upsert("a", 1, "n", 1), upsert("b", 1, "n", 2)));
      b.start();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (erp.size() < 2 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(2, erp.size());
      crm.write(List.of(new Change.Delete<>("a", 2)));
      while (erp.size() > 1 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertEquals(1, erp.size());
      assertFalse(erp.snapshot().containsKey("a"));
    }
  }

  @Test
  void theBuilderNamesWhatIsMissingAndRefusesASecondValue() {
    SetupException none = assertThrows(SetupException.class, () -> Broadcast.builder().build());
    assertEquals("Broadcast needs a name and a destination", none.getMessage());
    Broadcast.Builder b = Broadcast.builder().name("b").destination(Route.to("erp").into(InMemoryStore.create("x")));
    SetupException twice = assertThrows(SetupException.class, () -> b.destination(Route.to("erp").into(InMemoryStore.create("y"))));
    assertEquals("Broadcast 'b': destination 'erp' was given already", twice.getMessage());
    assertThrows(SetupException.class, () -> b.name("c"));
    assertThrows(SetupException.class, () -> Route.to("bad name"));
    assertThrows(SetupException.class, () -> Route.to("erp").into(null));
    assertThrows(SetupException.class, () -> Route.to("erp").batchSize(0));
    assertThrows(IllegalArgumentException.class, () -> b.build().resume("nowhere"));
  }
}
