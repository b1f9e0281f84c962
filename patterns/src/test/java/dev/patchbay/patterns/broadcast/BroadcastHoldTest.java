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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Defect 5: the hold on a destination's ledger lived on one database connection and was never
 * checked again. When that connection dropped, a second process was let in while the first went
 * on delivering: two runners on one destination. Now the hold is a lease, checked and renewed
 * before each write attempt and fenced at each save; the second process waits out the lease's
 * grace after a holder that did not let go; the first stops, said at ERROR. Events are published
 * all the while; the cut lands while the first runner is in the middle of a write, the hardest
 * moment: that write ends within the grace, and the first writes nothing after it.
 */
@org.junit.jupiter.api.Tag("deployment")   // in the default build; left out of mutation runs (child JVMs, cut connections)
class BroadcastHoldTest {

  private static final Duration GRACE = Duration.ofSeconds(1);

  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRESQL", "MARIADB"})
  void aRunnerWhoseHoldsConnectionIsCut_stopsBeforeWriting_andNeverWritesBesideTheProcessThatTookOver(TestDatabases db)
      throws Exception {
    DataSource ds = db.dataSource();
    String suffix = Long.toString(System.nanoTime() % 100_000_000L);
    String table = "hold_outbox_" + suffix;
    String prefix = "hold_state_" + suffix;
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    Writers writers = new Writers();
    try {
      JdbcStateStore state = JdbcStateStore.of(ds, prefix, GRACE);
      Broadcast first = Broadcast.builder().name("won").outbox(JdbcOutbox.of(ds, table)).state(state)
          .pollInterval(Duration.ofMillis(20)).destination(Route.to("erp").into(writers.counted(erp, 1))).build();
      Broadcast second = Broadcast.builder().name("won").outbox(JdbcOutbox.of(ds, table))
          .state(JdbcStateStore.of(ds, prefix, GRACE)).pollInterval(Duration.ofMillis(20))
          .destination(Route.to("erp").into(writers.counted(erp, 2))).build();
      first.start();
      AtomicBoolean publishing = new AtomicBoolean(true);
      AtomicInteger published = new AtomicInteger();
      Thread publisher = new Thread(() -> {
        while (publishing.get()) {
          int i = published.getAndIncrement();
          first.publish(upsert("k" + i % 40, i + 1, "n", i));
          try {
            Thread.sleep(2);
          } catch (InterruptedException e) {
            return;
          }
        }
      });
      publisher.start();
      Thread.sleep(300);
      writers.block.set(true);   // the first runner's next write stops halfway until released
      assertTrue(writers.entered.await(10, java.util.concurrent.TimeUnit.SECONDS));
      long session = state.holderSession("won.erp").orElseThrow();
      assertTrue(db.endSession(session), "the connection holding the ledger's lock was ended");
      long t0 = System.nanoTime();
      Thread taking = new Thread(second::start);   // the lock went with the connection: the second takes it, waits the grace
      taking.start();
      Thread.sleep(300);
      writers.release.countDown();   // the first runner's write, begun before the cut, ends within the grace
      taking.join();
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(took >= GRACE.toMillis() - 50, "the second waited out the grace: " + took + " ms");
      Thread.sleep(500);
      publishing.set(false);
      publisher.join();
      assertTrue(second.awaitDelivered(Duration.ofSeconds(20)));
      assertEquals(0, writers.overlaps.get(), "never two runners writing at once");
      assertTrue(writers.lastEnd[1].get() <= writers.firstStart[2].get(),
          "the first runner wrote nothing once the second began");
      assertTrue(writers.batches[2].get() > 0, "the second runner delivered");
      int keys = Math.min(40, published.get());   // a loaded machine may publish fewer than 40 in the time
      assertEquals(keys, erp.size(), "every key published is delivered; published " + published.get());
      for (int k = 0; k < keys; k++) {
        long newest = 0;
        for (int i = k; i < published.get(); i += 40) {
          newest = i + 1;
        }
        assertEquals(newest, erp.get("k" + k).version(), "k" + k + " at its newest version");
      }
      DestinationStatus lost = first.status().destination("erp");
      assertEquals(DestinationStatus.State.STOPPED, lost.state());
      assertTrue(lost.lastError().startsWith("the hold on its ledger was lost: State 'won.erp'"), lost.lastError());
      System.out.println("[hold " + db + "] the second process took the destination " + took + " ms after the cut"
          + " (grace " + GRACE.toMillis() + " ms); first runner's batches " + writers.batches[1].get() + ", second's "
          + writers.batches[2].get());
      first.close();
      second.close();
    } finally {
      for (String t : List.of(table, table + "_seq", table + "_readers", prefix + "_progress", prefix + "_entries",
          prefix + "_leases")) {
        TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + t);
      }
    }
  }

  /** Every write, by which runner, when it began and ended. */
  private static final class Writers {
    final AtomicInteger writing = new AtomicInteger();
    final AtomicInteger overlaps = new AtomicInteger();
    final AtomicInteger[] batches = {null, new AtomicInteger(), new AtomicInteger()};
    final AtomicLong[] lastEnd = {null, new AtomicLong(), new AtomicLong()};
    final AtomicLong[] firstStart = {null, new AtomicLong(Long.MAX_VALUE), new AtomicLong(Long.MAX_VALUE)};
    final AtomicBoolean block = new AtomicBoolean();
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    Destination<Fields> counted(InMemoryStore<Fields> store, int runner) {
      return batch -> {
        firstStart[runner].accumulateAndGet(System.nanoTime(), Math::min);
        if (writing.incrementAndGet() > 1) {
          overlaps.incrementAndGet();
        }
        try {
          batches[runner].incrementAndGet();
          Thread.sleep(3);   // a write takes a while
          if (runner == 1 && block.getAndSet(false)) {
            entered.countDown();
            release.await();   // halfway through a write when the hold is cut
          }
          return store.write(batch);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        } finally {
          writing.decrementAndGet();
          lastEnd[runner].set(System.nanoTime());
        }
      };
    }
  }
}
