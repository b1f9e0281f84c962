package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorRegistry;
import dev.patchbay.connectors.testkit.ConnectorContract;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;

/** The JDBC connector keeps the contract on H2, PostgreSQL and MariaDB. */
class JdbcTableContractTest {

  /** Each connector's database and table, for the kit's check of a table dropped under it. */
  static final Map<Connector, Object[]> TABLES = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());

  /** The contract, with the table dropped as an operator might. */
  interface OverTables extends ConnectorContract {
    @Override
    default boolean removeTarget(Connector connector) {
      Object[] at = TABLES.get(connector);
      if (at == null) {
        return false;
      }
      TestDatabases db = (TestDatabases) at[0];
      TestDatabases.execute(db.dataSource(), "DROP TABLE " + at[1]);
      return true;
    }
  }

  /** A table with a modification column and a soft-delete flag: every capability. */
  static Connector contacts(TestDatabases db, int pageSize) {
    DataSource ds = db.dataSource();
    String table = db.createContactsTable(ds);
    Connector c = JdbcTable.builder(ds)
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
    TABLES.put(c, new Object[] {db, table});
    return c;
  }

  /** Rows removed outright; the feed finds deletes by key-set comparison against a snapshot table. */
  static Connector contactsWithKeySnapshot(TestDatabases db, int pageSize) {
    DataSource ds = db.dataSource();
    return JdbcTable.builder(ds).describedAs("crm", "contacts").table(db.createContactsTable(ds)).key("id")
        .column("name").column("email").column("amount").modifiedAt("updated_at")
        .keySnapshot(db.createKeySnapshotTable(ds)).pageSize(pageSize).buildWithChanges();
  }

  /** A typed table and records at the edges of each type, for the kit's value check. */
  static Optional<ConnectorContract.TypedData> typed(TestDatabases db) {
    DataSource ds = db.dataSource();
    JdbcTable.Builder b = JdbcTable.builder(ds).describedAs("lab", "samples").table(db.createTypedTable(ds)).key("id")
        .column("t").column("n").column("i").column("d").column("b").column("day", "on_day").column("at", "at_time");
    String nonBmp = "\ud83d\ude00\ud834\udd1e";
    List<Fields> values = new java.util.ArrayList<>(List.of(
        Fields.of("t", (nonBmp + " line\r\nbreak\u2028 \u00e9 ").repeat(100), "n", Long.MAX_VALUE, "i", Integer.MIN_VALUE,
            "d", new java.math.BigDecimal("99999999999999.9999"), "b", true, "day", java.time.LocalDate.of(1900, 1, 1),
            "at", java.time.LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_000)),
        Fields.of("t", "", "n", Long.MIN_VALUE, "i", Integer.MAX_VALUE, "d", new java.math.BigDecimal("-0.0001"), "b", false,
            "day", java.time.LocalDate.of(2999, 12, 31), "at", java.time.LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000)),
        Fields.of("n", 0L), Fields.of("t", ConnectorContract.longText(0)), Fields.of("t", ConnectorContract.longText(1))));
    if (db.hasZonedType()) {
      b.column("inst");
      values.set(0, values.get(0).with("inst", java.time.Instant.parse("2026-03-29T01:30:00.123456Z")));
      values.set(1, values.get(1).with("inst", java.time.Instant.parse("1969-12-31T23:59:59.999999Z")));
    }
    List<Envelope<Fields>> records = new java.util.ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      records.add(Envelope.of("typed-" + i, values.get(i)));
    }
    return Optional.of(new ConnectorContract.TypedData(b.build(), records));
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
  class OnH2 implements OverTables {
    @Override
    public Connector newConnector() {
      return contacts(TestDatabases.H2, pageSize());
    }

    @Override
    public Optional<TypedData> typedData() {
      return typed(TestDatabases.H2);
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
  class OnPostgreSqlFromSettings implements OverTables {
    private static final String PASSWORD = "pw-7f3a-never-printed";

    @Override
    public Connector newConnector() {
      DataSource ds = TestDatabases.POSTGRESQL.dataSource();
      String table = TestDatabases.POSTGRESQL.createContactsTable(ds);
      Connector c = ConnectorRegistry.builder().discover(getClass().getClassLoader()).build().open("jdbc", Map.ofEntries(
          Map.entry("url", TestDatabases.POSTGRESQL.url() + "&password=" + PASSWORD),
          Map.entry("user", TestDatabases.POSTGRESQL.user()),
          Map.entry("password", PASSWORD),
          Map.entry("system", "crm"), Map.entry("dataElement", "contacts"), Map.entry("table", table),
          Map.entry("key", "id"), Map.entry("columns", "name, email, amount"), Map.entry("modifiedAt", "updated_at"),
          Map.entry("softDelete", "deleted"), Map.entry("pageSize", String.valueOf(pageSize()))));
      TABLES.put(c, new Object[] {TestDatabases.POSTGRESQL, table});
      return c;
    }

    @Override
    public List<String> secretValues() {
      return List.of(PASSWORD);
    }

    /** The same table's connector over a port no server listens on (the table is never read: its shape comes first). */
    @Override
    public Optional<Connector> unreachable() {
      return Optional.of(JdbcTable.builder(SimpleDataSource.of("jdbc:postgresql://127.0.0.1:1/test?connectTimeout=2", "postgres",
              dev.patchbay.connectors.Secret.of(PASSWORD))).describedAs("crm", "contacts").table("contacts").key("id")
          .column("name").column("email").column("amount").modifiedAt("updated_at").buildWithChanges());
    }

    @Override
    public Optional<TypedData> typedData() {
      return typed(TestDatabases.POSTGRESQL);
    }

    @Override
    public Optional<InvalidSettings> invalidSettings() {
      return Optional.of(new InvalidSettings(new JdbcTableType(),
          Map.of("password", PASSWORD, "pageSize", "many", "colour", "blue"),
          List.of("url", "system", "dataElement", "table", "key", "columns", "pageSize", "colour")));
    }
  }

  @Nested
  class OnMariaDb implements OverTables {
    @Override
    public Connector newConnector() {
      return contacts(TestDatabases.MARIADB, pageSize());
    }

    @Override
    public Optional<Connector> unreachable() {
      return Optional.of(JdbcTable.builder(SimpleDataSource.of("jdbc:mariadb://127.0.0.1:1/test?connectTimeout=2000", "root",
              dev.patchbay.connectors.Secret.of(""))).describedAs("crm", "contacts").table("contacts").key("id")
          .column("name").column("email").column("amount").modifiedAt("updated_at").buildWithChanges());
    }

    @Override
    public Optional<TypedData> typedData() {
      return typed(TestDatabases.MARIADB);
    }
  }
}
