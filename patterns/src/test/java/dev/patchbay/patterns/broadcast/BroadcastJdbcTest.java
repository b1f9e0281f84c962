package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.StateStore;
import java.time.Duration;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A broadcast over a JDBC outbox that another process publishes to: on PostgreSQL the runners are
 * told at once (LISTEN/NOTIFY), not at their next poll; on H2 they find it by polling.
 */
class BroadcastJdbcTest {

  @Test
  void onPostgreSql_anotherProcesssPublishIsDeliveredWithoutWaitingForThePoll() throws Exception {
    deliversAnotherProcesssPublish(TestDatabases.POSTGRESQL.dataSource(), Duration.ofSeconds(30), Duration.ofSeconds(5));
  }

  @Test
  void onH2_anotherProcesssPublishIsFoundByPolling() throws Exception {
    deliversAnotherProcesssPublish(TestDatabases.H2.dataSource(), Duration.ofMillis(50), Duration.ofSeconds(5));
  }

  private void deliversAnotherProcesssPublish(DataSource ds, Duration poll, Duration within) throws Exception {
    String table = "bc_outbox_" + System.nanoTime() % 1_000_000;
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast running = Broadcast.builder().name("b").outbox(JdbcOutbox.of(ds, table)).state(StateStore.inMemory())
        .pollInterval(poll).destination(Route.to("erp").into(erp)).build();
         Broadcast publisher = Broadcast.builder().name("b").outbox(JdbcOutbox.of(ds, table))
             .destination(Route.to("erp").into(InMemoryStore.create("unused"))).build()) {
      running.start();
      Thread.sleep(200);   // the first poll has passed; what comes next is told or polled
      long t0 = System.nanoTime();
      publisher.publish(upsert("o1", 1, "amount", 5));
      long deadline = t0 + within.toNanos();
      while (erp.size() == 0 && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      assertEquals(1, erp.size(), "not delivered within " + within);
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(took < within.toMillis(), "took " + took + " ms");
      System.out.println("[broadcast over " + ds + "] another process's publish delivered in " + took + " ms, polling every "
          + poll.toMillis() + " ms");
    } finally {
      TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + table);
      TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + table + "_seq");
      TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + table + "_readers");
    }
  }
}
