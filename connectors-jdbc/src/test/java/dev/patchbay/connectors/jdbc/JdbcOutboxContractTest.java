package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.testkit.OutboxContract;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.outbox.Outbox;
import org.junit.jupiter.api.Nested;

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
