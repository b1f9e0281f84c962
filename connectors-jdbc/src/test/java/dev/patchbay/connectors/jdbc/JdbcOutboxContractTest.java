package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.testkit.OutboxContract;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.outbox.Outbox;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The JDBC outbox keeps the outbox contract on H2, PostgreSQL and MariaDB; each check has a table of its own. */
class JdbcOutboxContractTest {

  @Nested
  class OnH2 implements OutboxContract {
    private final String table = "kit_outbox_" + System.nanoTime();

    @Override
    public Outbox outbox() {
      return JdbcOutbox.of(TestDatabases.H2.dataSource(), table);
    }
  }

  @Nested
  class OnPostgreSql implements OutboxContract {
    private final String table = "kit_outbox_" + System.nanoTime();

    @Override
    public Outbox outbox() {
      return JdbcOutbox.of(TestDatabases.POSTGRESQL.dataSource(), table);
    }

    /** LISTEN/NOTIFY: an outbox object is told of an append another object (another process) made, and only once it committed. */
    @Test
    void aSubscriberHearsOfAnotherProcesssAppend_afterItCommits() throws Exception {
      Outbox listening = outbox();
      Outbox other = outbox();
      AtomicInteger told = new AtomicInteger();
      java.util.concurrent.atomic.AtomicLong upTo = new java.util.concurrent.atomic.AtomicLong();
      try (AutoCloseable subscription = listening.subscribe(p -> {
        upTo.set(p);
        told.incrementAndGet();
      })) {
        awaitAtLeast(told, 1);   // the subscription tells once as it begins listening
        int before = told.get();
        long last = other.append("order", List.of(Change.upsert(new Envelope<>("k", 1, Fields.of("v", 1))))).get(0).position();
        awaitAtLeast(told, before + 1);
        assertTrue(told.get() > before, "no notification of another object's append within 5 s");
        assertEquals(last, upTo.get(), "the notification carries the position of the append's last event");
        assertEquals(1, listening.after("order", 0, 10).size(), "told, and the event is there to read");
      }
    }

    private void awaitAtLeast(AtomicInteger told, int n) throws InterruptedException {
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (told.get() < n && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
    }
  }

  @Nested
  class OnMariaDb implements OutboxContract {
    private final String table = "kit_outbox_" + System.nanoTime();

    @Override
    public Outbox outbox() {
      return JdbcOutbox.of(TestDatabases.MARIADB.dataSource(), table);
    }
  }
}
