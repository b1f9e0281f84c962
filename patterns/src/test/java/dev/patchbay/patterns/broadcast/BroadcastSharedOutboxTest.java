package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxReader;
import dev.patchbay.core.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broadcast deployed the way services are: one outbox table shared by several broadcasts
 * (Debezium's one-table layout), a broadcast's destinations run by different processes, a
 * destination removed from the configuration and added again, one forgotten and seeded, one new.
 * Each "process" is a broadcast object of its own over the same outbox table and state tables; on
 * H2, PostgreSQL and MariaDB. Each of these lost events silently before the outbox kept a registry
 * of its readers.
 */
class BroadcastSharedOutboxTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private final List<Runnable> cleanUp = new ArrayList<>();

  @AfterEach
  void dropTables() {
    cleanUp.forEach(Runnable::run);
  }

  private record Place(DataSource ds, String table, String prefix) {
    Outbox outbox() {
      return JdbcOutbox.of(ds, table);
    }

    StateStore state() {
      return JdbcStateStore.of(ds, prefix);
    }
  }

  private Place place(TestDatabases db) {
    DataSource ds = db.dataSource();
    String suffix = Long.toString(System.nanoTime() % 100_000_000L);
    Place p = new Place(ds, "sh_outbox_" + suffix, "sh_state_" + suffix);
    cleanUp.add(() -> {
      for (String t : List.of(p.table, p.table + "_seq", p.table + "_readers", p.prefix + "_progress", p.prefix + "_entries",
          p.prefix + "_leases")) {
        TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + t);
      }
    });
    return p;
  }

  private static List<Change<Fields>> changes(String prefix, int from, int to) {
    List<Change<Fields>> out = new ArrayList<>();
    for (int i = from; i < to; i++) {
      out.add(Change.upsert(new Envelope<>(prefix + i, 1, Fields.of("n", i))));
    }
    return out;
  }

  private static Broadcast.Builder broadcast(Place p, String name) {
    return Broadcast.builder().name(name).outbox(p.outbox()).state(p.state()).pollInterval(Duration.ofMillis(50));
  }

  /** Defect 1: the first broadcast delivered the second's events to its own destinations, and purged them. */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void twoBroadcastsOnOneOutboxTable_eachReadsOnlyItsOwnType_andNeitherPurgesTheOthers(TestDatabases db) {
    Place p = place(db);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> billing = InMemoryStore.create("billing");
    Broadcast invoices = broadcast(p, "invoices").aggregateType("invoice").destination(Route.to("billing").into(billing)).build();
    try (Broadcast orders = broadcast(p, "orders").aggregateType("order").destination(Route.to("erp").into(erp)).build()) {
      orders.start();
      invoices.start();   // registers billing, then stops: its events wait for it
      invoices.close();
      for (int i = 0; i < 50; i++) {
        orders.publishAll(changes("o", i, i + 1));
        invoices.publishAll(changes("i", i, i + 1));
      }
      assertTrue(orders.awaitDelivered(WAIT));
      orders.purge();
      assertEquals(50, erp.size(), "only the orders");
      assertTrue(erp.snapshot().keySet().stream().allMatch(k -> k.startsWith("o")), "no invoice reached the erp");
      assertEquals(50, p.outbox().size("invoice"), "the invoices are all in the outbox");
      assertEquals(0, orders.status().destination("erp").counts().failed());
      assertEquals(50, orders.status().destination("erp").counts().read(), "the erp read 50 events, not 100");
    }
    invoices.start();
    try {
      assertTrue(invoices.awaitDelivered(WAIT));
      assertEquals(50, billing.size(), "the second broadcast's destination has all 50");
    } finally {
      invoices.close();
    }
  }

  /**
   * Defect 2: a process's purge looked only at its own routes, so it deleted what another
   * process's destination had not read; that destination then stayed "190 behind" for ever.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void destinationsRunByTwoProcesses_purgeWaitsForTheOtherProcesssDestination(TestDatabases db) {
    Place p = place(db);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> queue = InMemoryStore.create("queue");
    Broadcast second = broadcast(p, "won").destination(Route.to("queue").into(queue)).build();
    second.start();   // the queue's process has run once: the queue is a reader of the outbox
    second.close();   // and is down now (a restart, a deploy)
    try (Broadcast first = broadcast(p, "won").destination(Route.to("erp").into(erp)).build()) {
      first.start();
      first.publishAll(changes("k", 0, 190));
      assertTrue(first.awaitDelivered(WAIT));
      assertEquals(0, first.purge(), "the queue, in the other process, has read nothing");
      assertEquals("queue", first.status().purgeHeldBy().orElseThrow(), "named though this process does not run it");
      assertEquals(190, p.outbox().size("won"));
    }
    Broadcast again = broadcast(p, "won").destination(Route.to("queue").into(queue)).build();
    again.start();
    try {
      assertTrue(again.awaitDelivered(WAIT));
      assertEquals(190, queue.size(), "the other process's destination got every event");
      assertEquals(190, again.purge(), "now every reader has them");
    } finally {
      again.close();
    }
  }

  /**
   * Defect 3: a destination removed from the configuration and added again later skipped, silently,
   * what was purged while it was away. Now a destination absent from the configuration holds the
   * purge back until forgotten; one forgotten and back parks naming how many it missed, and
   * resuming does not move it past them; seeding brings it back; a new destination starts from now.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aDestinationRemovedAndAddedAgain_isNeverMovedPastWhatWasPurgedWhileAway(TestDatabases db) {
    Place p = place(db);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> queue = InMemoryStore.create("queue");
    Route<Fields> erpRoute = Route.to("erp").into(erp);
    Route<Fields> queueRoute = Route.to("queue").into(queue);
    try (Broadcast both = broadcast(p, "won").destination(erpRoute).destination(queueRoute).build()) {
      both.start();
      both.publishAll(changes("a", 0, 150));
      assertTrue(both.awaitDelivered(WAIT));
    }
    try (Broadcast erpOnly = broadcast(p, "won").destination(erpRoute).build()) {   // the queue left the configuration
      erpOnly.start();
      erpOnly.publishAll(changes("b", 0, 65));
      assertTrue(erpOnly.awaitDelivered(WAIT));
      assertEquals(150, erpOnly.purge(), "what the queue had is purged; what it has not, kept");
      assertEquals("queue", erpOnly.status().purgeHeldBy().orElseThrow());
    }
    try (Broadcast back = broadcast(p, "won").destination(erpRoute).destination(queueRoute).build()) {
      back.start();
      assertTrue(back.awaitDelivered(WAIT));
      assertEquals(215, queue.size(), "back, the queue got the 65 published while it was away");
    }

    Broadcast erpAgain = broadcast(p, "won").destination(erpRoute).build();
    OutboxReader forgotten = erpAgain.forget("queue");   // an operator says the queue is gone for good
    assertFalse(forgotten.joined());
    try (Broadcast b = erpAgain) {
      b.start();
      b.publishAll(changes("c", 0, 60));
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(125, b.purge(), "the forgotten queue no longer holds purging back (65 it had, 60 it missed)");
    }
    assertEquals(60, p.outbox().reader("won", "won.queue").orElseThrow().missed(), "counted as missed by it");
    try (Broadcast back = broadcast(p, "won").destination(erpRoute).destination(queueRoute).build()) {
      back.start();
      DestinationStatus parked = back.status().destination("queue");
      assertEquals(DestinationStatus.State.PARKED, parked.state());
      assertEquals(215, parked.position(), "not moved past the gap");
      assertTrue(parked.lastError().startsWith("missed 60 events of type 'won' after position 215"), parked.lastError());
      assertTrue(parked.lastError().contains("Broadcast.seed(\"queue\""), parked.lastError());
      assertEquals(215, parked.counts().read(), "the missed events are not counted as delivered");
      back.resume("queue");
      assertEquals(DestinationStatus.State.PARKED, back.status().destination("queue").state(), "resuming does not skip them");
      back.publishAll(changes("x", 0, 1));   // nor is what comes after the gap delivered past it
      assertFalse(back.awaitDelivered(Duration.ofMillis(300)));
      assertEquals(215, queue.size());
      assertEquals(DestinationStatus.State.PARKED, back.status().destination("queue").state());
    }
    DestinationStatus closed = broadcast(p, "won").destination(erpRoute).destination(queueRoute).build().status()
        .destination("queue");
    assertEquals(DestinationStatus.State.PARKED, closed.state(), "saved parked, as the ledger of a closed broadcast says");
    assertTrue(closed.lastError().startsWith("missed 60 events"), closed.lastError());
    Broadcast seeding = broadcast(p, "won").destination(erpRoute).destination(queueRoute).build();
    seeding.seed("queue", () -> queue.write(erp.snapshot().values().stream()
        .map(r -> Change.upsert(new Envelope<>(r.key(), r.version(), r.payload()))).toList()));
    try (Broadcast b = seeding) {
      b.start();
      b.publishAll(changes("d", 0, 5));
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(281, queue.size(), "seeded with the 60 it missed and the one published while it was parked, then the 5 published after");
      assertEquals(DestinationStatus.State.RUNNING, b.status().destination("queue").state());
    }

    InMemoryStore<Fields> audit = InMemoryStore.create("audit");
    try (Broadcast withNew = broadcast(p, "won").destination(erpRoute).destination(queueRoute)
        .destination(Route.to("audit").into(audit)).build()) {
      withNew.start();
      assertEquals(p.outbox().end(), withNew.status().destination("audit").position(),
          "a new destination, after events of its type were purged, starts from now");
      withNew.publishAll(changes("e", 0, 3));
      assertTrue(withNew.awaitDelivered(WAIT));
      assertEquals(3, audit.size(), "exactly what was published after it joined");
    }
  }

  /**
   * Defects 6 and 10: a key the outbox accepted but the ledger could not hold (400 times 'é': 400
   * characters, 800 bytes) made every ledger save fail, parked the destination at 0 and lost later
   * keys; a 10,000-character key was refused as "SQLState 22001", naming neither key nor limit; a
   * delete with an empty key was appended. Now publish refuses them, naming key and limit, appends
   * nothing of the call, and everything else arrives.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aKeyNoStoreCanHold_isRefusedAtPublish_namingItAndTheLimit_andLaterKeysArrive(TestDatabases db) {
    Place p = place(db);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = broadcast(p, "won").destination(Route.to("erp").into(erp)).build()) {
      b.start();
      b.publishAll(changes("k", 0, 10));
      List<Change<Fields>> withBad = new ArrayList<>(changes("m", 0, 3));
      withBad.add(Change.upsert(new Envelope<>("é".repeat(400), 1, Fields.of("n", 1))));
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> b.publishAll(withBad));
      assertTrue(e.getMessage().contains("(400 characters) is 800 bytes of UTF-8, more than the 768 an outbox keeps"),
          e.getMessage());
      IllegalArgumentException huge = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> b.publish(Change.upsert(new Envelope<>("x".repeat(10_000), 1, Fields.of("n", 1)))));
      assertTrue(huge.getMessage().contains("(10000 characters) is 10000 bytes of UTF-8, more than the 768"), huge.getMessage());
      org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> b.publish(new Change.Delete<>("", 1)));
      b.publishAll(changes("n", 0, 30));
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(40, erp.size(), "everything else arrived; nothing of the refused call did");
      assertEquals(40, b.status().destination("erp").counts().read());
      assertEquals(DestinationStatus.State.RUNNING, b.status().destination("erp").state());
    }
  }

  /**
   * Found by the benchmark: an outbox table dropped and made again while its registry of readers
   * stayed. A destination with no ledger was started at the registry's position, past the new
   * outbox's end, and never delivered anything. Now it is refused at start, saying why.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRegistryThatOutlivedItsOutbox_isRefused_neverTrustedPastTheEnd(TestDatabases db) {
    Place p = place(db);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("won").outbox(p.outbox()).destination(Route.to("erp").into(erp)).build()) {
      b.start();
      b.publishAll(changes("k", 0, 40));
      assertTrue(b.awaitDelivered(WAIT));
      b.purge();
    }
    TestDatabases.execute(p.ds(), "DROP TABLE " + p.table());
    TestDatabases.execute(p.ds(), "DROP TABLE " + p.table() + "_seq");
    Broadcast again = Broadcast.builder().name("won").outbox(p.outbox()).destination(Route.to("erp").into(erp)).build();
    dev.patchbay.core.SetupException e = org.junit.jupiter.api.Assertions.assertThrows(dev.patchbay.core.SetupException.class,
        again::start);
    assertTrue(e.getMessage().contains("the outbox's registry has destination 'erp' at position 40, past the outbox's end 0"),
        e.getMessage());
  }
}
