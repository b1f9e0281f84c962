package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Defect 5: the hold on a destination's ledger lived on one database connection and was never
 * checked again. When that connection dropped, a second process was let in while the first went
 * on delivering: two runners on one destination. Now the first checks its hold before each batch
 * and its ledger saves carry a fencing token: it stops, said at ERROR, before writing anything.
 */
class BroadcastHoldTest {

  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRESQL", "MARIADB"})
  void aRunnerWhoseHoldsConnectionIsCut_stopsBeforeWriting_onceAnotherProcessTookTheDestination(TestDatabases db)
      throws Exception {
    DataSource ds = db.dataSource();
    String suffix = Long.toString(System.nanoTime() % 100_000_000L);
    String table = "hold_outbox_" + suffix;
    String prefix = "hold_state_" + suffix;
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    AtomicInteger byFirst = new AtomicInteger();
    AtomicInteger bySecond = new AtomicInteger();
    AtomicInteger writing = new AtomicInteger();
    AtomicInteger overlaps = new AtomicInteger();
    try {
      JdbcStateStore state = JdbcStateStore.of(ds, prefix);
      Broadcast first = Broadcast.builder().name("won").outbox(JdbcOutbox.of(ds, table)).state(state)
          .pollInterval(Duration.ofMillis(20)).destination(Route.to("erp").into(counted(erp, byFirst, writing, overlaps))).build();
      Broadcast second = Broadcast.builder().name("won").outbox(JdbcOutbox.of(ds, table)).state(JdbcStateStore.of(ds, prefix))
          .pollInterval(Duration.ofMillis(20)).destination(Route.to("erp").into(counted(erp, bySecond, writing, overlaps))).build();
      first.start();
      first.publish(upsert("k0", 1, "n", 0));
      assertTrue(first.awaitDelivered(Duration.ofSeconds(10)));
      long session = state.holderSession("won.erp").orElseThrow();
      assertTrue(db.endSession(session), "the connection holding the ledger's lock was ended");
      second.start();   // the lock went with the connection: the second process takes the destination
      for (int i = 1; i <= 50; i++) {
        first.publish(upsert("k" + i, 1, "n", i));
      }
      assertTrue(second.awaitDelivered(Duration.ofSeconds(20)));
      Thread.sleep(300);
      assertEquals(1, byFirst.get(), "the first runner wrote nothing after it lost its hold");
      assertEquals(0, overlaps.get(), "never two runners writing at once");
      assertEquals(51, erp.size());
      DestinationStatus lost = first.status().destination("erp");
      assertEquals(DestinationStatus.State.STOPPED, lost.state());
      assertTrue(lost.lastError().startsWith("the hold on its ledger was lost: State 'won.erp'"), lost.lastError());
      first.close();
      second.close();
    } finally {
      for (String t : List.of(table, table + "_seq", table + "_readers", prefix + "_progress", prefix + "_entries",
          prefix + "_holds")) {
        TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + t);
      }
    }
  }

  private static Destination<Fields> counted(InMemoryStore<Fields> store, AtomicInteger batches, AtomicInteger writing,
                                             AtomicInteger overlaps) {
    return batch -> {
      if (writing.incrementAndGet() > 1) {
        overlaps.incrementAndGet();
      }
      try {
        batches.incrementAndGet();
        return store.write(batch);
      } finally {
        writing.decrementAndGet();
      }
    };
  }
}
