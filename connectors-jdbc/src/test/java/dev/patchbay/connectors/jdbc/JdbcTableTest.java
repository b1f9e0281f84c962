package dev.patchbay.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class JdbcTableTest {

  private static JdbcTable contacts(TestDatabases db, DataSource ds) {
    return JdbcTable.builder(ds).describedAs("crm", "contacts").table(db.createPlainTable(ds)).key("id")
        .column("name").column("email").column("amount").build();
  }

  private static Change<Fields> upsert(String key, String name) {
    return Change.upsert(Envelope.of(key, Fields.of("name", name, "email", key + "@example.org", "amount", 1L)));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRowTheDatabaseRefuses_isRejectedAlone_andTheRestOfTheBatchIsWritten(TestDatabases db) {
    DataSource ds = db.dataSource();
    JdbcTable table = contacts(db, ds);
    List<Change<Fields>> batch = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      batch.add(upsert("k" + i, i == 5 ? "x".repeat(201) : "name " + i));
    }

    List<Outcome> outcomes = table.write(batch);

    Outcome bad = outcomes.get(5);
    assertTrue(bad instanceof Outcome.Failed f && f.reason().startsWith("rejected by the database (SQLState 22001): "),
        "the over-long name is rejected with its SQLState: " + bad);
    for (int i = 0; i < 9; i++) {
      if (i != 5) {
        assertEquals(Outcome.created("k" + i), outcomes.get(i));
      }
    }
    assertEquals(8, table.lookup(List.of("k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7", "k8")).size());
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void reservedWordsAndQuotesInIdentifiers_andSqlInValues_areHandledAsData(TestDatabases db) {
    DataSource ds = db.dataSource();
    char q = db == TestDatabases.MARIADB ? '`' : '"';
    String table = "order" + System.nanoTime();
    TestDatabases.execute(ds, "CREATE TABLE " + q + table + q + " (" + q + "select" + q + " VARCHAR(40) PRIMARY KEY, "
        + q + "from" + q + " VARCHAR(200), " + q + "it's" + q + " VARCHAR(200))");
    JdbcTable t = JdbcTable.builder(ds).describedAs("shop", "orders").table(table).key("select")
        .column("from").column("quoted", "it's").build();
    String hostile = "x'); DROP TABLE " + table + "; --";

    t.write(List.of(Change.upsert(Envelope.of("a'b", Fields.of("from", hostile, "quoted", "\"q\"")))));

    assertEquals(Map.of("a'b", Envelope.of("a'b", Fields.of("from", hostile, "quoted", "\"q\""))), t.lookup(List.of("a'b")));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aWholeNumberKeyColumn_isReadAndWrittenAsNumbers_inNumericOrder(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = "numeric_keys_" + System.nanoTime();
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, name VARCHAR(50))");
    JdbcTable t = JdbcTable.builder(ds).describedAs("erp", "parts").table(table).key("id").column("name").pageSize(2).build();

    t.write(List.of(upsertName("10", "ten"), upsertName("9", "nine"), upsertName("100", "hundred")));

    List<String> keys = new ArrayList<>();
    t.read(Checkpoint.start()).forEachRemaining(r -> keys.add(r.key()));
    assertEquals(List.of("9", "10", "100"), keys, "numeric order, across pages");
    assertEquals(Outcome.unchanged("10"), t.write(List.of(upsertName("10", "ten"))).get(0));
    String column = db == TestDatabases.H2 ? "ID" : "id";
    assertEquals(List.of(Outcome.rejected("x1", column, "key 'x1' is not a whole number, as column " + column + " needs"),
            Outcome.created("11")),
        t.write(List.of(upsertName("x1", "bad"), upsertName("11", "eleven"))), "the bad key is rejected, the rest written");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aSoftDeletedRecordWrittenAgain_isCreatedAgain_andVisible(TestDatabases db) {
    DataSource ds = db.dataSource();
    JdbcTable t = JdbcTable.builder(ds).describedAs("crm", "contacts").table(db.createContactsTable(ds)).key("id")
        .column("name").column("email").column("amount").modifiedAt("updated_at").softDelete("deleted").build();
    t.write(List.of(upsert("a", "Ada"), upsert("b", "Bob")));
    assertEquals(List.of(Outcome.deleted("a")), t.write(List.of(Change.delete("a"))));

    assertEquals(List.of(Outcome.created("a"), Outcome.unchanged("b")), t.write(List.of(upsert("a", "Ada again"), upsert("b", "Bob"))));

    assertEquals("Ada again", t.lookup(List.of("a")).get("a").payload().get("name"));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void rowsRemovedByAnyone_showInTheFeedAsDeletes_byKeySetComparison_untilTheConsumerMovesPast(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = db.createContactsTable(ds);
    JdbcTable.WithChanges t = JdbcTable.builder(ds).describedAs("crm", "contacts").table(table).key("id")
        .column("name").column("email").column("amount").modifiedAt("updated_at")
        .keySnapshot(db.createKeySnapshotTable(ds)).pageSize(3).buildWithChanges();
    List<Change<Fields>> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(upsert("k" + i, "n" + i));
    }
    t.write(batch);
    Checkpoint synced = drain(t, Checkpoint.start(), new ArrayList<>());
    TestDatabases.execute(ds, "DELETE FROM " + table + " WHERE id IN ('k2', 'k5', 'k6')");

    List<Change<Fields>> seen = new ArrayList<>();
    Checkpoint crashedAt;
    try (var cursor = t.changes(synced)) {
      seen.add(cursor.next());
      crashedAt = cursor.checkpoint();
    }
    assertEquals(List.of(Change.delete("k2")), seen, "the first removed row, found by comparison");
    List<Change<Fields>> rest = new ArrayList<>();
    Checkpoint end = drain(t, crashedAt, rest);
    assertEquals(List.of(Change.delete("k5"), Change.delete("k6")), rest, "resumed: the other two, once each");

    List<Change<Fields>> again = new ArrayList<>();
    drain(t, synced, again);
    assertEquals(List.of(Change.delete("k5"), Change.delete("k6")), again,
        "from the older checkpoint the deletes the consumer did not hold come again; k2, which it held, does not");

    t.write(List.of(upsert("k5", "back")));
    List<Change<Fields>> after = new ArrayList<>();
    drain(t, end, after);
    assertEquals(List.of("k5"), after.stream().map(Change::key).toList());
    assertTrue(after.get(0) instanceof Change.Upsert<Fields>, "a row written again is an upsert: " + after.get(0));
    List<Change<Fields>> quiet = new ArrayList<>();
    drain(t, drain(t, end, new ArrayList<>()), quiet);
    assertEquals(List.of(), quiet, "nothing further once the consumer holds everything");
  }

  @Test
  void aMissingKeySnapshotTable_isNamed_withTheStatementThatCreatesIt() {
    DataSource ds = TestDatabases.H2.dataSource();
    String table = TestDatabases.H2.createContactsTable(ds);
    SetupException e = assertThrows(SetupException.class, () -> JdbcTable.builder(ds).describedAs("crm", "contacts")
        .table(table).key("id").column("name").modifiedAt("updated_at").keySnapshot("seen_contacts").build());
    assertEquals("JdbcTable '" + table + "': no key snapshot table 'seen_contacts'; create it as: CREATE TABLE seen_contacts"
        + " (record_key CHARACTER VARYING PRIMARY KEY, gone BOOLEAN NOT NULL DEFAULT FALSE)", e.getMessage());
  }

  /** Reads every change after {@code at} into {@code into}; the checkpoint at the end. */
  private static Checkpoint drain(JdbcTable.WithChanges t, Checkpoint at, List<Change<Fields>> into) {
    try (var cursor = t.changes(at)) {
      cursor.forEachRemaining(into::add);
      return cursor.checkpoint();
    }
  }

  private static Change<Fields> upsertName(String key, String name) {
    return Change.upsert(Envelope.of(key, Fields.of("name", name)));
  }

  @Test
  void theBuilder_namesEverythingMissingAtOnce() {
    DataSource ds = TestDatabases.H2.dataSource();
    assertEquals("JdbcTable needs a system and data element (describedAs), a table, a key column, at least one column",
        assertThrows(SetupException.class, () -> JdbcTable.builder(ds).build()).getMessage());
    assertEquals("JdbcTable 'contacts' needs a modification column (modifiedAt) for its change feed",
        assertThrows(SetupException.class, () -> JdbcTable.builder(ds).describedAs("crm", "contacts").table("contacts")
            .key("id").column("name").buildWithChanges()).getMessage());
  }

  @Test
  void columnsTheTableLacks_areNamedAtOnce_withTheColumnsItHas() {
    DataSource ds = TestDatabases.H2.dataSource();
    String table = TestDatabases.H2.createPlainTable(ds);
    SetupException e = assertThrows(SetupException.class, () -> JdbcTable.builder(ds).describedAs("crm", "contacts")
        .table(table).key("id").column("name").column("colour").modifiedAt("changed").build());
    assertEquals("JdbcTable '" + table + "': no column colour, changed in table " + table.toUpperCase()
        + " (its columns: ID, NAME, EMAIL, AMOUNT)", e.getMessage());
    assertEquals("JdbcTable: no table 'nowhere' in the H2 database",
        assertThrows(SetupException.class, () -> JdbcTable.builder(ds).describedAs("crm", "contacts")
            .table("nowhere").key("id").column("name").build()).getMessage());
  }

  @Test
  void aCheckpointFromElsewhere_isRefused() {
    DataSource ds = TestDatabases.H2.dataSource();
    String table = TestDatabases.H2.createContactsTable(ds);
    JdbcTable.WithChanges t = JdbcTable.builder(ds).describedAs("crm", "contacts").table(table).key("id")
        .column("name").modifiedAt("updated_at").buildWithChanges();
    SetupException e = assertThrows(SetupException.class, () -> t.changes(Checkpoint.at("case-17")));
    assertEquals("table " + table.toUpperCase() + ": 'case-17' is not a checkpoint of its change feed", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void timestampsAndDates_areReadAsWritten_evenInTheJvmZonesDaylightSavingGap(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = "clock_" + System.nanoTime();
    String type = db == TestDatabases.MARIADB ? "DATETIME(3)" : "TIMESTAMP(3)";
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, seen_at " + type + ", seen_on DATE)");
    // 02:30 on 29 March 2026 does not exist in Berlin: clocks go from 02:00 to 03:00.
    TestDatabases.execute(ds, "INSERT INTO " + table + " VALUES ('sql', TIMESTAMP '2026-03-29 02:30:00', DATE '2026-03-29')");
    LocalDateTime gap = LocalDateTime.of(2026, 3, 29, 2, 30);
    java.util.TimeZone jvmZone = java.util.TimeZone.getDefault();
    try {
      java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone("Europe/Berlin"));
      JdbcTable t = JdbcTable.builder(ds).describedAs("permits", "inspections").table(table).key("id")
          .column("at", "seen_at").column("day", "seen_on").build();
      t.write(List.of(Change.upsert(Envelope.of("written", Fields.of("at", gap, "day", LocalDate.of(2026, 3, 29))))));

      Fields expected = Fields.of("at", gap, "day", LocalDate.of(2026, 3, 29));
      Map<String, Envelope<Fields>> held = t.lookup(List.of("sql", "written"));
      assertEquals(expected, held.get("sql").payload(), "read by key, as the SQL wrote it");
      assertEquals(expected, held.get("written").payload(), "read by key, as the connector wrote it");
      List<Fields> paged = new ArrayList<>();
      try (var cursor = t.read(Checkpoint.start())) {
        cursor.forEachRemaining(r -> paged.add(r.payload()));
      }
      assertEquals(List.of(expected, expected), paged, "read in pages");
    } finally {
      java.util.TimeZone.setDefault(jvmZone);
    }
  }

  /** A data source that refuses connections (SQLState 08001) while {@code down} says so, as a database being restarted does. */
  static DataSource switchable(DataSource real, java.util.concurrent.atomic.AtomicBoolean down) {
    return (DataSource) java.lang.reflect.Proxy.newProxyInstance(JdbcTableTest.class.getClassLoader(),
        new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConnection") && down.get()) {
            throw new java.sql.SQLNonTransientConnectionException("Connection refused", "08001");
          }
          try {
            return method.invoke(real, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  /**
   * Issue 22: a connector that opens connections connects on first use where it cannot at build:
   * a database down when the host starts is one connector down (its writes transient failures),
   * not a host that cannot start; once the database answers, the table binds to its schema and
   * works. A table the database says is wrong is still refused at build.
   */
  @Test
  void aDatabaseDownAtBuild_isATransientFailureOfTheFirstUse_andTheTableWorksOnceItAnswers() {
    DataSource h2 = TestDatabases.H2.dataSource();
    String name = TestDatabases.H2.createPlainTable(h2);
    java.util.concurrent.atomic.AtomicBoolean down = new java.util.concurrent.atomic.AtomicBoolean(true);
    JdbcTable table = JdbcTable.builder(switchable(h2, down)).describedAs("crm", "contacts").table(name).key("id")
        .column("name").column("email").column("amount").build();
    assertEquals("JdbcTable[crm/contacts, table " + name + ", not connected yet]", table.toString());
    dev.patchbay.core.TransientException e = assertThrows(dev.patchbay.core.TransientException.class,
        () -> table.write(List.of(upsert("k1", "Ada"))));
    assertTrue(e.getMessage().startsWith("JdbcTable '" + name + "': the database cannot be reached (SQLState 08001)"),
        e.getMessage());
    down.set(false);
    assertEquals(List.of(Outcome.created("k1")), table.write(List.of(upsert("k1", "Ada"))));
    assertEquals("Ada", table.lookup(List.of("k1")).get("k1").payload().get("name"));
    assertThrows(SetupException.class, () -> JdbcTable.builder(h2).describedAs("crm", "contacts").table(name).key("id")
        .column("nickname").build(), "a wrong column is still refused at build where the database answers");
  }
}
