package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/** Resumes with a real kill: a child JVM halted three times at random saves and writes, then run to its end. */
class AggregationKillTest {

  @ParameterizedTest
  @ValueSource(strings = {"byMergeKey", "matched"})
  void anAggregationHaltedThreeTimes_endsAsAnUninterruptedRun_everyValueKeptWhole(String mode, @TempDir Path dir) throws Exception {
    boolean matched = mode.equals("matched");
    Random random = Seeds.random("aggregation kill test " + mode);
    String[] points = {"BEFORE_SAVE", "AFTER_SAVE", "WRITE_UNACKED"};
    List<String> kills = new ArrayList<>();
    int halted = 0;
    for (int kill = 0; kill < 3; kill++) {
      String point = points[random.nextInt(points.length)];
      long nth = 1 + random.nextInt(point.equals("WRITE_UNACKED") ? 4 : 24);
      kills.add(point + "@" + nth);
      int exit = run(dir, point, nth, kill, mode);
      assertTrue(exit == KillableAggregation.HALTED || exit == 0, "child " + kill + " at " + point + " " + nth + ": exit " + exit);
      halted += exit == KillableAggregation.HALTED ? 1 : 0;
    }
    assertTrue(halted > 0, "at least one kill landed: " + kills);
    assertEquals(0, run(dir, "NONE", 0, 3, mode), "the last run ends normally, kills " + kills);
    assertTrue(Files.readString(dir.resolve("report.txt")).startsWith("COMPLETED"), Files.readString(dir.resolve("report.txt")));

    InMemoryStore<Fields> reference = InMemoryStore.create("reference");
    KillableAggregation.builder(KillableAggregation.stores(), matched).destination(reference).state(StateStore.inMemory()).build()
        .run();
    Map<String, Envelope<Fields>> held = new TreeMap<>(InMemoryStore.journaled("check", dir.resolve("golden.journal")).snapshot());
    if (matched) {   // keyed by golden ids, minted at random: the same golden records, whatever their ids
      assertEquals(values(reference.snapshot().values()), values(held.values()), "kills " + kills);
    } else {
      assertEquals(new TreeMap<>(reference.snapshot()).keySet(), held.keySet(), "kills " + kills);
      reference.snapshot().forEach((k, e) -> assertEquals(e.payload(), held.get(k).payload(), k + ", kills " + kills));
    }
    assertTrue(held.values().stream().anyMatch(e -> String.valueOf(e.payload().get("notes")).length() > 70_000),
        "the long value went through state and journal whole");
  }

  /** Each record's values as text (the test's own data), counted: a multiset to compare. */
  private static Map<String, Long> values(java.util.Collection<Envelope<Fields>> records) {
    Map<String, Long> counts = new TreeMap<>();
    records.forEach(e -> counts.merge(new TreeMap<>(e.payload().asMap()).toString(), 1L, Long::sum));
    return counts;
  }

  private static int run(Path dir, String point, long nth, int index, String mode) throws Exception {
    Path err = dir.resolve("child-" + index + ".err");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        KillableAggregation.class.getName(), dir.toString(), point, String.valueOf(nth), mode)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child " + index + " did not finish in 120 s");
    }
    if (p.exitValue() != 0 && p.exitValue() != KillableAggregation.HALTED) {
      throw new AssertionError("child " + index + " exit " + p.exitValue() + ": " + Files.readString(err));
    }
    return p.exitValue();
  }
}
