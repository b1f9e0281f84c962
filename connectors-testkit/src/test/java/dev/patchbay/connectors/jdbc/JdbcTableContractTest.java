package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorRegistry;
import dev.patchbay.connectors.testkit.ConnectorContract;
import dev.patchbay.connectors.testkit.TestDatabases;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;

/** The JDBC connector keeps the contract on H2, PostgreSQL and MariaDB. */
class JdbcTableContractTest {

  /** A table with a modification column and a soft-delete flag: every capability. */
  static Connector contacts(TestDatabases db, int pageSize) {
    DataSource ds = db.dataSource();
    String table = db.createContactsTable(ds);
    return JdbcTable.builder(ds)
        .describedAs("crm", "contacts")
        .owner("Customer Services")
        .table(table)
        .key("id")
        .column("name")
        .column("email")
        .column("amount")
        .modifiedAt("updated_at")
        .softDelete("deleted")
        .pageSize(pageSize)
        .sensitive("email")
        .buildWithChanges();
  }

  /** Rows removed outright; the feed finds deletes by key-set comparison against a snapshot table. */
  static Connector contactsWithKeySnapshot(TestDatabases db, int pageSize) {
    DataSource ds = db.dataSource();
    return JdbcTable.builder(ds).describedAs("crm", "contacts").table(db.createContactsTable(ds)).key("id")
        .column("name").column("email").column("amount").modifiedAt("updated_at")
        .keySnapshot(db.createKeySnapshotTable(ds)).pageSize(pageSize).buildWithChanges();
  }

  @Nested
  class OnH2WithKeySnapshot implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contactsWithKeySnapshot(TestDatabases.H2, pageSize());
    }
  }

  @Nested
  class OnPostgreSqlWithKeySnapshot implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contactsWithKeySnapshot(TestDatabases.POSTGRESQL, pageSize());
    }
  }

  @Nested
  class OnMariaDbWithKeySnapshot implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contactsWithKeySnapshot(TestDatabases.MARIADB, pageSize());
    }
  }

  @Nested
  class OnH2 implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contacts(TestDatabases.H2, pageSize());
    }
  }

  @Nested
  class OnH2WithoutChangesOrSoftDeletes implements ConnectorContract {
    @Override
    public Connector newConnector() {
      DataSource ds = TestDatabases.H2.dataSource();
      String table = TestDatabases.H2.createPlainTable(ds);
      return JdbcTable.builder(ds).describedAs("crm", "contacts").table(table).key("id")
          .column("name").column("email").column("amount").pageSize(pageSize()).build();
    }
  }

  /** Made from text settings through the {@code jdbc} type, with a password (trust auth ignores it). */
  @Nested
  class OnPostgreSqlFromSettings implements ConnectorContract {
    private static final String PASSWORD = "pw-7f3a-never-printed";

    @Override
    public Connector newConnector() {
      DataSource ds = TestDatabases.POSTGRESQL.dataSource();
      String table = TestDatabases.POSTGRESQL.createContactsTable(ds);
      return ConnectorRegistry.builder().discover(getClass().getClassLoader()).build().open("jdbc", Map.ofEntries(
          Map.entry("url", TestDatabases.POSTGRESQL.url() + "&password=" + PASSWORD),
          Map.entry("user", TestDatabases.POSTGRESQL.user()),
          Map.entry("password", PASSWORD),
          Map.entry("system", "crm"), Map.entry("dataElement", "contacts"), Map.entry("table", table),
          Map.entry("key", "id"), Map.entry("columns", "name, email, amount"), Map.entry("modifiedAt", "updated_at"),
          Map.entry("softDelete", "deleted"), Map.entry("pageSize", String.valueOf(pageSize()))));
    }

    @Override
    public List<String> secretValues() {
      return List.of(PASSWORD);
    }

    @Override
    public Optional<InvalidSettings> invalidSettings() {
      return Optional.of(new InvalidSettings(new JdbcTableType(),
          Map.of("password", PASSWORD, "pageSize", "many", "colour", "blue"),
          List.of("url", "system", "dataElement", "table", "key", "columns", "pageSize", "colour")));
    }
  }

  @Nested
  class OnMariaDb implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contacts(TestDatabases.MARIADB, pageSize());
    }
  }
}
