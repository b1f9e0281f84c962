package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.SetupException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One sync shared by two processes by key range ({@code keyRange(part, 2)}), each a child JVM with
 * its state in one PostgreSQL state store, while both tables are edited: both tables end the same,
 * every key was written by the process whose part it is (the tables' trigger logs name the process
 * by its connection's application name), and each part kept its own links.
 */
@Tag("deployment")
class SyncKeyRangeTest {

  @TempDir
  Path dir;

  @Test
  void twoProcesses_shareOneSync_byKeyRange_eachWritingOnlyItsOwnKeys_andTheTablesConverge() throws Exception {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    String n = "kr" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    for (String side : List.of("a", "b")) {
      String t = n + "_" + side;
      TestDatabases.execute(pg, "CREATE TABLE " + t + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(100), amount BIGINT,"
          + " updated_at TIMESTAMP(6) NOT NULL, deleted BOOLEAN NOT NULL DEFAULT FALSE)");
      TestDatabases.execute(pg, "CREATE TABLE " + t + "_writes (seq BIGSERIAL PRIMARY KEY, id VARCHAR(40), by_process TEXT)");
      TestDatabases.execute(pg, "CREATE FUNCTION " + t + "_log() RETURNS trigger AS $$ BEGIN INSERT INTO " + t
          + "_writes (id, by_process) VALUES (NEW.id, current_setting('application_name')); RETURN NEW; END $$ LANGUAGE plpgsql");
      TestDatabases.execute(pg, "CREATE TRIGGER " + t + "_log AFTER INSERT OR UPDATE ON " + t + " FOR EACH ROW EXECUTE FUNCTION "
          + t + "_log()");
    }
    // A holds k0..k299, B holds k200..k449: 100 keys on both sides (B's later), the rest on one side only.
    TestDatabases.execute(pg, "INSERT INTO " + n + "_a SELECT 'k' || g, 'a' || g, g, now() - interval '1 hour' FROM generate_series(0, 299) g");
    TestDatabases.execute(pg, "INSERT INTO " + n + "_b SELECT 'k' || g, 'b' || g, g * 10, now() FROM generate_series(200, 449) g");

    Path done = dir.resolve("done");
    List<Process> children = new ArrayList<>();
    try {
      for (int part = 0; part < 2; part++) {
        children.add(new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m", "-cp",
            System.getProperty("java.class.path"), SyncPartProcess.class.getName(), TestDatabases.POSTGRESQL.url(), n + "_a",
            n + "_b", n + "_state", n, Integer.toString(part), "2", done.toString())
            .redirectErrorStream(true).redirectOutput(dir.resolve("part" + part + ".out").toFile()).start());
      }
      // While both run: edits on both sides, a delete on A, a new key on B.
      Thread.sleep(1_500);
      TestDatabases.execute(pg, "UPDATE " + n + "_a SET name = 'edited ' || id, amount = amount + 1000, updated_at = now()"
          + " WHERE id IN (SELECT 'k' || g FROM generate_series(0, 290, 7) g)");
      TestDatabases.execute(pg, "UPDATE " + n + "_b SET amount = amount + 5, updated_at = now()"
          + " WHERE id IN (SELECT 'k' || g FROM generate_series(300, 449, 5) g)");
      TestDatabases.execute(pg, "INSERT INTO " + n + "_b SELECT 'n' || g, 'new ' || g, g, now() FROM generate_series(0, 19) g");
      Files.writeString(done, "edits are over");
      for (int part = 0; part < 2; part++) {
        Process p = children.get(part);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "part " + part + " ends");
        assertEquals(0, p.exitValue(), "part " + part + ": " + Files.readString(dir.resolve("part" + part + ".out")));
      }
    } finally {
      children.forEach(Process::destroyForcibly);
    }

    Map<String, String> a = rows(pg, n + "_a");
    Map<String, String> b = rows(pg, n + "_b");
    assertEquals(470, a.size(), "every key on A: k0..k449 and n0..n19");
    assertEquals(a, b, "both tables end the same");
    assertTrue(a.get("k7").startsWith("edited k7|1007"), "A's edit arrives on B: " + a.get("k7"));
    assertEquals("b300|3005", a.get("k300"), "B's edit arrives on A");

    Map<String, Integer> byProcess = new HashMap<>();
    for (String side : List.of("a", "b")) {
      try (Connection c = pg.getConnection(); Statement st = c.createStatement();
           ResultSet rs = st.executeQuery("SELECT id, by_process FROM " + n + "_" + side + "_writes WHERE by_process LIKE 'part%'")) {
        while (rs.next()) {
          String key = rs.getString(1);
          String by = rs.getString(2);
          assertEquals("part" + BidirectionalSync.partOf(key, 2), by, "key " + key + " was written by the process whose part it is");
          byProcess.merge(by, 1, Integer::sum);
        }
      }
    }
    assertTrue(byProcess.getOrDefault("part0", 0) > 50 && byProcess.getOrDefault("part1", 0) > 50,
        "both processes shared the writes: " + byProcess);
  }

  @Test
  void aKeyRange_outsideItsParts_isRefusedNamingIt() {
    SetupException e = assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("s").keyRange(2, 2));
    assertEquals("Sync 's': keyRange takes part 0 to parts - 1 of 2 or more parts, was part 2 of 2", e.getMessage());
    assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("s").keyRange(0, 1));
  }

  private static Map<String, String> rows(DataSource pg, String table) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = pg.getConnection(); Statement st = c.createStatement();
         ResultSet rs = st.executeQuery("SELECT id, name, amount FROM " + table + " WHERE NOT deleted")) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2) + "|" + rs.getLong(3));
      }
    }
    return rows;
  }
}
