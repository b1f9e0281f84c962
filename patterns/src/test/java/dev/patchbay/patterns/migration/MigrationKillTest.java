package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** M3 with a real kill: a child JVM is halted at three random moments and resumed. */
class MigrationKillTest {

  private static final int RECORDS = 20_000;
  private static final int BATCH = 500;

  @Test
  void aMigrationHaltedThreeTimes_resumesToTheStateOfAnUninterruptedRun(@TempDir Path dir) throws Exception {
    String given = System.getProperty("patchbay.seed");
    long seed = given != null ? Long.parseLong(given) : System.nanoTime();
    System.out.println("[seed] migration kill test: " + seed + " (reproduce with -Dpatchbay.seed=" + seed + ")");
    Random random = new Random(seed);
    String[] points = {"READ", "WRITE_PARTIAL", "WRITE_UNACKED", "BEFORE_SAVE", "AFTER_SAVE"};

    long reads = 0;
    List<String> kills = new ArrayList<>();
    for (int kill = 0; kill < 3; kill++) {
      String point = points[random.nextInt(points.length)];
      long nth = point.equals("READ") ? 1 + random.nextInt(4 * BATCH) : 1 + random.nextInt(8);
      kills.add(point + "@" + nth);
      Child child = run(dir, point, nth, kill);
      assertEquals(KillableMigration.HALTED, child.exit, "child " + kill + " halted at " + point + " " + nth + child.errors);
      reads += child.reads;
    }
    Child last = run(dir, "NONE", 0, 3);
    assertEquals(0, last.exit, "the resumed run ends normally" + last.errors);

    // Expected: the transformed in-scope records, or a failure in the report.
    Map<String, Envelope<Fields>> expected = new TreeMap<>();
    Set<String> expectedFailed = new HashSet<>();
    for (Envelope<Fields> record : Cases.generate(RECORDS, new Random(42))) {
      if (Cases.OPEN_OR_CLOSED.includes(record)) {
        Envelope<Fields> mapped = Cases.transformed(record);
        if (mapped == null) {
          expectedFailed.add(record.key());
        } else {
          expected.put(mapped.key(), mapped);
        }
      }
    }
    Map<String, Envelope<Fields>> held =
        InMemoryStore.journaled("check", dir.resolve("target.journal")).snapshot();
    assertEquals(expected.size(), held.size(), "kills " + kills);
    assertEquals(expected, held, "kills " + kills);

    JsonNode report = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
    assertEquals("COMPLETED", report.get("status").asText());
    JsonNode counts = report.get("counts");
    assertEquals(RECORDS, counts.get("read").asLong(), "each record counted once across kills");
    long outcomes = 0;
    for (String c : List.of("created", "updated", "unchanged", "deleted", "skipped", "failed")) {
      outcomes += counts.get(c).asLong();
    }
    assertEquals(RECORDS, outcomes);
    Set<String> failed = new HashSet<>();
    report.get("failures").forEach(f -> failed.add(f.get("key").asText()));
    assertEquals(expectedFailed.size(), report.get("failures").size(), "each failure listed once");
    assertEquals(expectedFailed, failed);
    assertTrue(report.get("reconciliation").get("holds").asBoolean(), report.toPrettyString());

    // Re-read at most the batch in flight at each kill (the last run also reads once to reconcile).
    long migrationReads = reads + last.reads - RECORDS;
    assertTrue(migrationReads <= RECORDS + 3L * BATCH, migrationReads + " records read for " + RECORDS + ", kills " + kills);
  }

  private record Child(int exit, long reads, String errors) {
  }

  private static Child run(Path dir, String point, long nth, int index) throws Exception {
    Path out = dir.resolve("child-" + index + ".out");
    Path err = dir.resolve("child-" + index + ".err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        KillableMigration.class.getName(), dir.toString(), String.valueOf(RECORDS), String.valueOf(BATCH),
        point, String.valueOf(nth))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child " + index + " did not finish in 120 s");
    }
    long reads;
    try (var lines = Files.lines(out)) {
      reads = lines.filter(l -> l.startsWith("read ")).count();
    }
    String errors = Files.size(err) > 0 ? System.lineSeparator() + "stderr: " + Files.readString(err) : "";
    return new Child(p.exitValue(), reads, errors);
  }
}
