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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What real tables do that the kit's own fixtures did not: native precision, database clocks, triggers. */
class JdbcRealConditionsTest {

  /** A table whose modification column keeps the database's finest precision (PostgreSQL: microseconds). */
  private static String nativePrecisionTable(TestDatabases db, DataSource ds) {
    String table = "native_" + System.nanoTime();
    String type = db == TestDatabases.MARIADB ? "DATETIME(6)" : "TIMESTAMP";   // PostgreSQL, H2: 6 digits by default
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), changed " + type
        + " NOT NULL)");
    return table;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aFeedOverThousandsOfRowsSharingOneMicrosecond_yieldsEachOnce_andEnds(TestDatabases db) throws SQLException {
    DataSource ds = db.dataSource();
    String table = nativePrecisionTable(db, ds);
    int rows = 3_000;
    try (Connection c = ds.getConnection();
         PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " VALUES (?, ?, TIMESTAMP '2026-11-30 10:00:00.123456')")) {
      for (int i = 0; i < rows; i++) {
        ps.setString(1, String.format("k%05d", i));
        ps.setString(2, "n" + i);
        ps.addBatch();
      }
      ps.executeBatch();
    }
    JdbcTable.WithChanges t = names(ds, table).modifiedAt("changed").pageSize(1_000).buildWithChanges();

    Map<String, Integer> seen = new HashMap<>();
    Checkpoint at = Checkpoint.start();
    for (int pass = 0; pass < 20; pass++) {   // a cursor abandoned after every 700 changes, resumed from its checkpoint
      int taken = 0;
      boolean more;
      try (var cursor = t.changes(at)) {
        while (taken < 700 && cursor.hasNext()) {
          seen.merge(cursor.next().key(), 1, Integer::sum);
          taken++;
        }
        more = cursor.hasNext();
        at = cursor.checkpoint();
      }
      if (!more) {
        break;
      }
    }
    assertEquals(rows, seen.size(), "every row of the one microsecond is yielded");
    assertTrue(seen.values().stream().allMatch(n -> n == 1), "each exactly once: " + seen.values().stream().filter(n -> n > 1).count() + " repeated");
    try (var cursor = t.changes(at)) {
      assertTrue(!cursor.hasNext(), "the feed ends at its checkpoint");
    }
    assertEquals(Duration.ofNanos(1_000), t.description().modificationTimePrecision(), "the column's own precision is declared");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aChangeOneMicrosecondAfterTheCheckpoint_isFound(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = nativePrecisionTable(db, ds);
    TestDatabases.execute(ds, "INSERT INTO " + table + " VALUES ('a', 'first', TIMESTAMP '2026-11-30 10:00:00.123456')");
    JdbcTable.WithChanges t = names(ds, table).modifiedAt("changed").buildWithChanges();
    Checkpoint at = readThrough(t);
    TestDatabases.execute(ds, "UPDATE " + table + " SET name = 'second', changed = TIMESTAMP '2026-11-30 10:00:00.123457'");
    try (var cursor = t.changes(at)) {
      assertTrue(cursor.hasNext(), "a change one microsecond later is after the checkpoint");
      assertEquals("second", ((Change.Upsert<Fields>) cursor.next()).record().payload().get("name"));
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aRowCommittedLateWithAnEarlierTime_isFoundWithinTheLookBackWindow_andMissedWithout(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = nativePrecisionTable(db, ds);
    TestDatabases.execute(ds, "INSERT INTO " + table + " VALUES ('a', 'early', TIMESTAMP '2026-11-30 10:00:00.000000')");
    TestDatabases.execute(ds, "INSERT INTO " + table + " VALUES ('b', 'later', TIMESTAMP '2026-11-30 10:00:05.000000')");
    JdbcTable.Builder columns = names(ds, table).modifiedAt("changed");
    JdbcTable.WithChanges plain = columns.buildWithChanges();
    JdbcTable.WithChanges windowed = columns.lookBack(Duration.ofSeconds(10)).buildWithChanges();
    Checkpoint at = readThrough(plain);
    // A transaction that stamped its row at 10:00:03 commits only now, after the feed passed 10:00:05.
    TestDatabases.execute(ds, "INSERT INTO " + table + " VALUES ('c', 'committed late', TIMESTAMP '2026-11-30 10:00:03.000000')");

    List<String> without = new java.util.ArrayList<>();
    try (var cursor = plain.changes(at)) {
      cursor.forEachRemaining(change -> without.add(change.key()));
    }
    assertEquals(List.of(), without, "without a window, the late row lies before the checkpoint");
    List<String> with = new java.util.ArrayList<>();
    Checkpoint end;
    try (var cursor = windowed.changes(at)) {
      while (cursor.hasNext()) {
        with.add(cursor.next().key());
        assertEquals(at, cursor.checkpoint(), "reading the window again never moves the checkpoint back");
      }
      end = cursor.checkpoint();
    }
    assertEquals(List.of("a", "c", "b"), with, "the window's rows come again, the late one among them, in time order");
    assertEquals(at.position(), end.position().substring(end.position().indexOf('/') + 1),
        "the end is where the feed started, with a digest of its window");

    List<String> again = new java.util.ArrayList<>();
    Checkpoint quiet;
    try (var cursor = windowed.changes(end)) {
      cursor.forEachRemaining(change -> again.add(change.key()));
      quiet = cursor.checkpoint();
    }
    assertEquals(List.of(), again, "deduplicated: the window's rows were all delivered, and none came late since");
    TestDatabases.execute(ds, "INSERT INTO " + table + " VALUES ('d', 'late again', TIMESTAMP '2026-11-30 10:00:04.000000')");
    List<String> late = new java.util.ArrayList<>();
    Checkpoint after;
    try (var cursor = windowed.changes(quiet)) {
      cursor.forEachRemaining(change -> late.add(change.key()));
      after = cursor.checkpoint();
    }
    assertEquals(List.of("a", "c", "d", "b"), late, "a row committed late changes the window: it comes again, at least once");
    try (var cursor = windowed.changes(after)) {
      assertTrue(!cursor.hasNext(), "and then the feed is quiet again");
    }
  }

  @Test
  void aModificationColumnTheFeedCannotOrder_isRefusedAtBuild() {
    DataSource ds = TestDatabases.H2.dataSource();
    String table = "texttime_" + System.nanoTime();
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, name VARCHAR(20), changed VARCHAR(30))");
    SetupException e = assertThrows(SetupException.class, () -> JdbcTable.builder(ds).describedAs("crm", "contacts")
        .table(table).key("id").column("name").modifiedAt("changed").buildWithChanges());
    assertEquals("JdbcTable '" + table + "': modification column CHANGED is CHARACTER VARYING; a change feed needs a"
        + " TIMESTAMP or TIMESTAMP WITH TIME ZONE column, which it can order exactly", e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRESQL", "MARIADB"})
  void aTriggerRaisingAnErrorAboutOneRow_rejectsThatRecord_andTheRestIsWritten(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = db.createPlainTable(ds);
    if (db == TestDatabases.POSTGRESQL) {
      TestDatabases.execute(ds, "CREATE OR REPLACE FUNCTION " + table + "_check() RETURNS trigger AS $$ BEGIN"
          + " IF NEW.name = 'forbidden' THEN RAISE EXCEPTION 'name % is not allowed', NEW.name; END IF; RETURN NEW; END $$"
          + " LANGUAGE plpgsql");
      TestDatabases.execute(ds, "CREATE TRIGGER " + table + "_t BEFORE INSERT OR UPDATE ON " + table
          + " FOR EACH ROW EXECUTE FUNCTION " + table + "_check()");
    } else {
      TestDatabases.execute(ds, "CREATE TRIGGER " + table + "_t BEFORE INSERT ON " + table + " FOR EACH ROW"
          + " BEGIN IF NEW.name = 'forbidden' THEN SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'name is not allowed'; END IF; END");
    }
    JdbcTable t = names(ds, table).build();

    List<Outcome> outcomes = t.write(List.of(upsert("a", "Ada"), upsert("b", "forbidden"), upsert("c", "Cy")));

    assertEquals(Outcome.created("a"), outcomes.get(0));
    assertTrue(outcomes.get(1) instanceof Outcome.Failed f && f.key().equals("b")
        && f.reason().startsWith("rejected by the database (SQLState " + (db == TestDatabases.POSTGRESQL ? "P0001" : "45000")),
        "the raised error rejects that record alone: " + outcomes.get(1));
    assertEquals(Outcome.created("c"), outcomes.get(2));
    assertEquals(2, t.lookup(List.of("a", "b", "c")).size());
    JdbcTable quiet = names(ds, table).databaseMessages(false).build();
    assertEquals(Outcome.rejected("d", null, "rejected by the database (SQLState " + (db == TestDatabases.POSTGRESQL ? "P0001"
        : "45000") + ")"), quiet.write(List.of(upsert("d", "forbidden"))).get(0), "the trigger's text kept out of the reason");
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void fieldsTheTableDoesNotMap_failTheRecordNamingThem_neverDropped(TestDatabases db) {
    DataSource ds = db.dataSource();
    JdbcTable t = JdbcTable.builder(ds).describedAs("crm", "contacts").table(db.createPlainTable(ds)).key("id")
        .column("name").column("email").build();

    List<Outcome> outcomes = t.write(List.of(
        Change.upsert(Envelope.of("a", Fields.of("name", "Ada", "email", "ada@example.org"))),
        Change.upsert(Envelope.of("b", Fields.of("name", "Bob", "phone", "555", "fax", "556")))));

    assertEquals(Outcome.created("a"), outcomes.get(0));
    assertEquals(new Outcome.Failed("b", dev.patchbay.core.Stage.MAPPING, "phone", "fields phone, fax are not mapped to a"
        + " column of the table; nothing of the record was written"), outcomes.get(1));
    assertEquals(List.of("a"), List.copyOf(t.lookup(List.of("a", "b")).keySet()));
  }

  @Test
  void keysTheCollationFoldsTogether_areRejected_namingBoth_neverMerged() {
    DataSource ds = TestDatabases.MARIADB.dataSource();
    String table = TestDatabases.MARIADB.createPlainTable(ds);   // the database default: utf8mb4_general_ci
    JdbcTable t = names(ds, table).build();

    List<Outcome> first = t.write(List.of(upsert("a", "lower"), upsert("A", "upper"), upsert("e", "plain"), upsert("b ", "spaced")));
    assertEquals(Outcome.created("a"), first.get(0));
    assertEquals(Outcome.rejected("A", null, "key 'A' is the same key as 'a' to the database (its collation"
        + " utf8mb4_general_ci folds them); not written, so that neither record overwrites the other"), first.get(1));
    assertEquals(Outcome.created("e"), first.get(2));
    assertEquals(Outcome.created("b "), first.get(3));

    List<Outcome> later = t.write(List.of(upsert("\u00e9", "accented"), upsert("B", "upper b")));
    assertEquals(Outcome.rejected("\u00e9", null, "key '\u00e9' is the same key as 'e' to the database (its collation"
        + " utf8mb4_general_ci folds them); not written, so that neither record overwrites the other"), later.get(0));
    assertEquals(Outcome.rejected("B", null, "key 'B' is the same key as 'b ' to the database (its collation"
        + " utf8mb4_general_ci folds them); not written, so that neither record overwrites the other"), later.get(1));
    Map<String, Envelope<Fields>> held = t.lookup(List.of("a", "e", "b "));
    assertEquals("lower", held.get("a").payload().get("name"));
    assertEquals("plain", held.get("e").payload().get("name"));
    assertEquals(List.of(Outcome.unchanged("a")), t.write(List.of(upsert("a", "lower"))), "an exact key is written as ever");
  }

  /**
   * Values of every column type the connector maps, written and read back by key and in pages
   * under JVM time zones on both sides of the date line: equal exactly, or (numbers) by value at
   * the column's scale. Zone-aware columns hold instants, whatever the JVM's zone.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void valuesOfEveryType_roundTrip_inAnyJvmTimeZone(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = "types_" + System.nanoTime();
    boolean zoned = db != TestDatabases.MARIADB;   // MariaDB has no zone-aware column type
    String text = db == TestDatabases.MARIADB ? "TEXT" : "VARCHAR(4000)";
    String stamp = db == TestDatabases.MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
    String instant = db == TestDatabases.POSTGRESQL ? "TIMESTAMPTZ" : "TIMESTAMP(6) WITH TIME ZONE";
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, t " + text + ", n BIGINT, i INTEGER,"
        + " d DECIMAL(18,4), b BOOLEAN, on_day DATE, at_time " + stamp + (zoned ? ", inst " + instant : "") + ")");
    String nonBmp = "\ud83d\ude00\ud834\udd1e";
    List<Fields> values = new java.util.ArrayList<>(List.of(
        Fields.of("t", (nonBmp + " line\r\nbreak\u2028 \u00e9 ").repeat(100), "n", Long.MAX_VALUE, "i", Integer.MIN_VALUE,
            "d", new java.math.BigDecimal("12345678901234.5678"), "b", true,
            "day", java.time.LocalDate.of(1900, 1, 1), "at", java.time.LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_000)),
        Fields.of("t", "", "n", Long.MIN_VALUE, "i", 0, "d", new java.math.BigDecimal("-0.0001"), "b", false,
            "day", java.time.LocalDate.of(2999, 12, 31), "at", java.time.LocalDateTime.of(1970, 1, 1, 0, 0, 0, 1_000)),
        Fields.of("n", 0L)));
    if (zoned) {
      values.set(0, values.get(0).with("inst", java.time.Instant.parse("2026-03-29T01:30:00.123456Z")));
      values.set(1, values.get(1).with("inst", java.time.Instant.parse("1969-12-31T23:59:59.999999Z")));
    }
    java.util.TimeZone jvm = java.util.TimeZone.getDefault();
    try {
      int round = 0;
      for (String zone : List.of("UTC", "Europe/Berlin", "Pacific/Kiritimati", "America/Sao_Paulo")) {
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
        JdbcTable.Builder b = JdbcTable.builder(ds).describedAs("lab", "samples").table(table).key("id")
            .column("t").column("n").column("i").column("d").column("b").column("day", "on_day").column("at", "at_time");
        JdbcTable t = (zoned ? b.column("inst") : b).build();
        List<Change<Fields>> batch = new java.util.ArrayList<>();
        for (int v = 0; v < values.size(); v++) {
          batch.add(Change.upsert(Envelope.of(zone + "-" + v, values.get(v))));
        }
        t.write(batch);
        round++;
        Map<String, Envelope<Fields>> held = t.lookup(batch.stream().map(Change::key).toList());
        Map<String, Fields> paged = new java.util.TreeMap<>();
        try (var cursor = t.read(Checkpoint.start())) {
          cursor.forEachRemaining(r -> paged.put(r.key(), r.payload()));
        }
        assertEquals(values.size() * round, paged.size(), "every row read, whichever zone wrote it");
        for (String writtenIn : List.of("UTC", "Europe/Berlin", "Pacific/Kiritimati", "America/Sao_Paulo").subList(0, round)) {
          for (int v = 0; v < values.size(); v++) {
            Fields read = paged.get(writtenIn + "-" + v);
            assertEquals(java.util.Set.of(), read.differingFrom(values.get(v)),
                db + ": written in " + writtenIn + ", read in " + zone + ": " + v);
            if (values.get(v).has("inst")) {
              assertEquals(values.get(v).get("inst"), read.get("inst"), "an instant, exactly");
            }
          }
        }
        for (int v = 0; v < values.size(); v++) {
          assertEquals(java.util.Set.of(), held.get(zone + "-" + v).payload().differingFrom(values.get(v)), "by key: " + v);
        }
        assertTrue(t.write(batch).stream().allMatch(o -> o instanceof Outcome.Unchanged), "written again: unchanged");
      }
    } finally {
      java.util.TimeZone.setDefault(jvm);
    }
  }

  /**
   * Defect 17: an Instant written into a MariaDB TIMESTAMP(6) depended on the JVM's zone (12:00Z
   * stored as 14:00 in Berlin; 1970-01-01T00:00:01Z refused in S\u00e3o Paulo), and a LocalDateTime
   * written into a PostgreSQL TIMESTAMPTZ was read in the JVM's zone (12:00 became 10:00Z in
   * Berlin). Now an instant goes into a zone-less column as its UTC wall-clock time and a local
   * time into a zone-aware column as that time in UTC, in any JVM zone, and what is read back is
   * the same value (Fields.sameValue, as reconciliation compares).
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void timesOfTheOtherKind_areWrittenAsWhatTheyAre_inAnyJvmTimeZone(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = "kinds_" + System.nanoTime();
    boolean zoned = db != TestDatabases.MARIADB;
    String local = "TIMESTAMP(6)";   // on MariaDB the TIMESTAMP type, which converts from the session's zone
    String instant = db == TestDatabases.POSTGRESQL ? "TIMESTAMPTZ" : "TIMESTAMP(6) WITH TIME ZONE";
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(60) PRIMARY KEY, local_at " + local
        + (db == TestDatabases.MARIADB ? " NULL" : "") + (zoned ? ", zoned_at " + instant : "") + ")");
    java.time.Instant noon = java.time.Instant.parse("2026-12-01T12:00:00.123456Z");
    java.time.Instant early = java.time.Instant.parse("1970-01-01T00:00:01Z");
    java.time.LocalDateTime wall = java.time.LocalDateTime.of(2026, 12, 1, 12, 0, 0, 654_321_000);
    List<String> zones = List.of("UTC", "Europe/Berlin", "America/Sao_Paulo");
    java.util.TimeZone jvm = java.util.TimeZone.getDefault();
    try {
      for (String zone : zones) {
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
        JdbcTable.Builder b = JdbcTable.builder(ds).describedAs("lab", "times").table(table).key("id").column("local", "local_at");
        JdbcTable t = (zoned ? b.column("zoned", "zoned_at") : b).build();
        Fields first = zoned ? Fields.of("local", noon, "zoned", wall) : Fields.of("local", noon);
        List<Outcome> written = t.write(List.of(Change.upsert(Envelope.of(zone + "-noon", first)),
            Change.upsert(Envelope.of(zone + "-early", Fields.of("local", early)))));
        assertTrue(written.stream().allMatch(o -> o instanceof Outcome.Created), db + " in " + zone + ": " + written);
      }
      for (String zone : zones) {
        java.util.TimeZone.setDefault(java.util.TimeZone.getTimeZone(zone));
        JdbcTable.Builder b = JdbcTable.builder(ds).describedAs("lab", "times").table(table).key("id").column("local", "local_at");
        JdbcTable t = (zoned ? b.column("zoned", "zoned_at") : b).build();
        Map<String, Envelope<Fields>> held = t.lookup(zones.stream().flatMap(z -> java.util.stream.Stream.of(z + "-noon",
            z + "-early")).toList());
        for (String writtenIn : zones) {
          Fields read = held.get(writtenIn + "-noon").payload();
          String where = db + ": written in " + writtenIn + ", read in " + zone;
          assertEquals(java.time.LocalDateTime.of(2026, 12, 1, 12, 0, 0, 123_456_000), read.get("local"), where);
          assertTrue(Fields.sameValue(noon, read.get("local")), where + ": the same instant, by value");
          if (zoned) {
            assertEquals(java.time.Instant.parse("2026-12-01T12:00:00.654321Z"), read.get("zoned"), where);
            assertTrue(Fields.sameValue(wall, read.get("zoned")), where);
          }
          assertEquals(java.time.LocalDateTime.of(1970, 1, 1, 0, 0, 1), held.get(writtenIn + "-early").payload().get("local"),
              where + ": the earliest a MariaDB TIMESTAMP holds, accepted in any zone");
        }
      }
    } finally {
      java.util.TimeZone.setDefault(jvm);
      TestDatabases.execute(ds, "DROP TABLE " + table);
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aKeyLongerThanTheKeyColumn_isRejectedNamingWhatItWouldBeCutTo(TestDatabases db) {
    DataSource ds = db.dataSource();
    String table = "shortkeys_" + System.nanoTime();
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(8) PRIMARY KEY, name VARCHAR(20))");
    JdbcTable t = names(ds, table).build();
    String column = db == TestDatabases.H2 ? "ID" : "id";

    List<Outcome> outcomes = t.write(List.of(upsert("case-001", "fits"), upsert("case-0011", "too long"),
        upsert("\u00e9t\u00e9-\ud83d\ude00-12", "eight code points"), upsert("\u00e9t\u00e9-\ud83d\ude00-123", "nine")));

    assertEquals(Outcome.created("case-001"), outcomes.get(0));
    assertEquals(Outcome.rejected("case-0011", column, "key 'case-0011' is 9 characters long, more than the 8 column " + column
        + " holds; not written, so that it is never cut to 'case-001', another record's key"), outcomes.get(1));
    if (db == TestDatabases.H2) {   // H2 counts UTF-16 units: the emoji is two
      assertTrue(outcomes.get(2) instanceof Outcome.Failed f && f.reason().startsWith("key '\u00e9t\u00e9-\ud83d\ude00-12' is 9"
          + " characters long"), "nine units on H2: " + outcomes.get(2));
    } else {
      assertEquals(Outcome.created("\u00e9t\u00e9-\ud83d\ude00-12"), outcomes.get(2), "eight code points fit, counted as characters");
    }
    assertTrue(outcomes.get(3) instanceof Outcome.Failed f && f.reason().startsWith("key '\u00e9t\u00e9-\ud83d\ude00-123' is "
        + (db == TestDatabases.H2 ? 10 : 9) + " characters long"), "nine do not: " + outcomes.get(3));
    assertEquals("fits", t.lookup(List.of("case-001")).get("case-001").payload().get("name"));
  }

  /** A table keyed by {@code id} with the one field {@code name}. */
  private static JdbcTable.Builder names(DataSource ds, String table) {
    return JdbcTable.builder(ds).describedAs("crm", "contacts").table(table).key("id").column("name");
  }

  /** Reads a feed from the start to its end; the checkpoint there. */
  private static Checkpoint readThrough(JdbcTable.WithChanges feed) {
    try (var cursor = feed.changes(Checkpoint.start())) {
      cursor.forEachRemaining(change -> { });
      return cursor.checkpoint();
    }
  }

  static Change<Fields> upsert(String key, String name) {
    return Change.upsert(Envelope.of(key, Fields.of("name", name)));
  }
}
