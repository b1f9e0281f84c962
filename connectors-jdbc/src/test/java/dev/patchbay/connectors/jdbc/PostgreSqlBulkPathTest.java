package dev.patchbay.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * On PostgreSQL a first load is copied in, and any other large batch is one bulk upsert with no read
 * first; outcomes and values stay exact either way.
 */
class PostgreSqlBulkPathTest {

  private static final int ROWS = 300;

  /** Values that text arrays and casts must carry unchanged. */
  private static String awkward(int i) {
    return switch (i % 6) {
      case 0 -> "tab\there";
      case 1 -> "line\nbreak\r\nand return";
      case 2 -> "back\\slash \\N \\. \\t";
      case 3 -> "Zoë 東京 ☃";
      case 4 -> "";
      default -> "plain " + i;
    };
  }

  private static Change<Fields> row(int i, String name) {
    Map<String, Object> values = new HashMap<>();
    if (name != null) {
      values.put("name", name);
    }
    values.put("email", "p" + i + "@example.org");
    if (i % 7 != 0) {
      values.put("amount", (long) i);
    }
    return Change.upsert(Envelope.of("k" + i, Fields.from(values)));
  }

  @Test
  void aLargeBatch_isCopiedOrOneStatement_withExactOutcomesAndValues() {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    List<String> statements = new CopyOnWriteArrayList<>();
    DataSource observed = observing(pg, statements::add);
    JdbcTable t = JdbcTable.builder(observed).describedAs("crm", "contacts")
        .table(TestDatabases.POSTGRESQL.createContactsTable(pg)).key("id")
        .column("name").column("email").column("amount").modifiedAt("updated_at").softDelete("deleted").build();
    List<Change<Fields>> first = IntStream.range(0, ROWS).mapToObj(i -> row(i, i % 11 == 0 ? null : awkward(i))).toList();

    List<Outcome> created = t.write(first);

    assertEquals(ROWS, created.stream().filter(o -> o instanceof Outcome.Created).count());
    assertEquals(first.stream().map(Change::key).toList(), created.stream().map(Outcome::key).toList());
    assertEquals(List.of(), statements.stream().filter(s -> s.startsWith("SELECT") || s.contains("unnest(")).toList(),
        "a first load is copied in (COPY is not a prepared statement): no read, no upsert");
    Map<String, Envelope<Fields>> held = t.lookup(first.stream().map(Change::key).toList());
    for (Change<Fields> change : first) {
      assertEquals(((Change.Upsert<Fields>) change).record().payload(), held.get(change.key()).payload(), change.key());
    }

    assertEquals(List.of(Outcome.deleted("k1"), Outcome.deleted("k2")), t.write(List.of(Change.delete("k1"), Change.delete("k2"))));
    List<Change<Fields>> second = new ArrayList<>();
    List<Outcome> expected = new ArrayList<>();
    for (int i = 0; i < ROWS + 50; i++) {
      if (i == 2) {
        continue;
      } else if (i == 1) {
        second.add(row(i, awkward(i)));
        expected.add(Outcome.created("k1"));
      } else if (i < ROWS && i % 3 == 0) {
        second.add(row(i, "changed " + i));
        expected.add(Outcome.updated("k" + i));
      } else if (i < ROWS) {
        second.add(first.get(i));
        expected.add(Outcome.unchanged("k" + i));
      } else {
        second.add(row(i, awkward(i)));
        expected.add(Outcome.created("k" + i));
      }
    }

    statements.clear();
    List<Outcome> outcomes = t.write(second);

    assertEquals(1, statements.stream().filter(s -> s.contains("unnest(")).count(), "one bulk upsert statement");
    assertEquals(List.of(), statements.stream().filter(s -> s.startsWith("SELECT") && !s.contains("= ANY(?)")).toList(),
        "no read of the rows before the write (only of which keys are soft-deleted)");

    List<String> wrong = new ArrayList<>();
    for (int i = 0; i < expected.size(); i++) {
      if (!expected.get(i).equals(outcomes.get(i))) {
        wrong.add(expected.get(i) + " but " + outcomes.get(i));
      }
    }
    assertEquals(List.of(), wrong, "created (new or soft-deleted), updated, unchanged");
    assertEquals(ROWS + 50 - 1, t.lookup(second.stream().map(Change::key).toList()).size());
    assertTrue(t.lookup(List.of("k2")).isEmpty(), "k2 was not written again: it stays deleted");
  }

  /**
   * Defect 16: COPY through the driver's Reader encoded each 65,536-character buffer apart, so a
   * character outside the BMP across a buffer's end was stored as "??". Two values of 140,000
   * characters of surrogate pairs, one shifted by a character, put pairs across every such end
   * whatever the column order; each comes back whole.
   */
  @Test
  void aCopiedValuePast65536Characters_keepsEveryCharacterOutsideTheBmp() {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    List<String> statements = new CopyOnWriteArrayList<>();
    String table = "bmp_" + System.nanoTime() % 100_000_000L;
    TestDatabases.execute(pg, "CREATE TABLE " + table + " (id VARCHAR(255) PRIMARY KEY, name TEXT, email TEXT, amount BIGINT)");
    JdbcTable t = JdbcTable.builder(observing(pg, statements::add)).describedAs("crm", "contacts")
        .table(table).key("id").column("name").column("email").column("amount").build();
    String even = "\uD83D\uDE00".repeat(70_000);
    String odd = "x" + even + "y";
    List<Change<Fields>> load = IntStream.range(0, ROWS).mapToObj(i -> row(i, i == 0 ? even : i == 1 ? odd : awkward(i)))
        .toList();
    List<Outcome> outcomes = t.write(load);
    assertEquals(ROWS, outcomes.stream().filter(o -> o instanceof Outcome.Created).count(), outcomes.subList(0, 2).toString());
    assertEquals(List.of(), statements.stream().filter(s -> s.contains("unnest(")).toList(), "copied in");
    Map<String, Envelope<Fields>> held = t.lookup(List.of("k0", "k1"));
    assertEquals(even, held.get("k0").payload().get("name"));
    assertEquals(odd, held.get("k1").payload().get("name"));
  }

  @Test
  void aBatchCopiedAsNew_thatMeetsAKeyAlreadyThere_isRolledBack_andUpsertedWithExactOutcomes() {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    String table = TestDatabases.POSTGRESQL.createPlainTable(pg);
    JdbcTable t = JdbcTable.builder(pg).describedAs("crm", "contacts").table(table).key("id")
        .column("name").column("email").column("amount").build();
    t.write(IntStream.range(0, ROWS).mapToObj(i -> row(i, "n" + i)).toList());
    TestDatabases.execute(pg, "INSERT INTO " + table + " (id, name) VALUES ('k" + (ROWS + 7) + "', 'another writer')");

    List<Outcome> outcomes = t.write(IntStream.range(ROWS, 2 * ROWS).mapToObj(i -> row(i, "n" + i)).toList());

    for (int i = 0; i < ROWS; i++) {
      String key = "k" + (ROWS + i);
      assertEquals(i == 7 ? Outcome.updated(key) : Outcome.created(key), outcomes.get(i));
    }
    assertEquals("n" + (ROWS + 7), t.lookup(List.of("k" + (ROWS + 7))).get("k" + (ROWS + 7)).payload().get("name"));
    assertEquals(2 * ROWS, t.lookup(IntStream.range(0, 2 * ROWS).mapToObj(i -> "k" + i).toList()).size());
  }

  @Test
  void aRowTheDatabaseRefuses_inALargeBatch_isRejectedAlone() {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    JdbcTable t = JdbcTable.builder(pg).describedAs("crm", "contacts")
        .table(TestDatabases.POSTGRESQL.createPlainTable(pg)).key("id").column("name").column("email").column("amount").build();
    List<Change<Fields>> batch = IntStream.range(0, ROWS).mapToObj(i -> row(i, i == 123 ? "x".repeat(201) : "n" + i)).toList();

    List<Outcome> outcomes = t.write(batch);

    for (int i = 0; i < ROWS; i++) {
      if (i == 123) {
        assertTrue(outcomes.get(i) instanceof Outcome.Failed f && f.key().equals("k123")
            && f.reason().startsWith("rejected by the database (SQLState 22001): "), outcomes.get(i).toString());
      } else {
        assertEquals(Outcome.created("k" + i), outcomes.get(i));
      }
    }
    assertEquals(ROWS - 1, t.lookup(batch.stream().map(Change::key).toList()).size());
  }

  /** {@code ds}, with the SQL of every prepared statement passed to {@code seen} before it is prepared. */
  private static DataSource observing(DataSource ds, Consumer<String> seen) {
    return (DataSource) Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class},
        (proxy, method, args) -> {
          Object result = invoke(ds, method, args);
          if (!method.getName().equals("getConnection")) {
            return result;
          }
          Connection c = (Connection) result;
          return Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
              (p, m, a) -> {
                if (m.getName().equals("prepareStatement")) {
                  seen.accept((String) a[0]);
                }
                return invoke(c, m, a);
              });
        });
  }

  private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
