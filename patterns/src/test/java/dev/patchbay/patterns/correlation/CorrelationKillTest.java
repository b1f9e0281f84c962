package dev.patchbay.patterns.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Faulty;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C1, C2 and C6 with a real kill: a child JVM correlating two journaled hospitals is halted three
 * times at random moments (a write to South cut short or its acknowledgement lost, before or
 * after a state save) and started again; then the records are checked as the journals hold them.
 */
class CorrelationKillTest {

  @Test
  void aCorrelationHaltedThreeTimes_createsNothing_linksNoStranger_andConverges(@TempDir Path dir) throws Exception {
    Random random = Seeds.random("correlation kill test");
    String[] points = {"WRITE_PARTIAL", "WRITE_UNACKED", "BEFORE_SAVE", "AFTER_SAVE"};
    List<String> kills = new ArrayList<>();
    int halted = 0;
    for (int start = 0; start < 3; start++) {
      String point = points[random.nextInt(points.length)];
      // The first start halts at the first of its kind, which every first round reaches: a seed drawing only late
      // points (a third write where a round makes two) once left every start unhalted, and the test proved nothing.
      long nth = start == 0 ? 1 : 1 + random.nextInt(point.startsWith("WRITE") ? 3 : 8);
      kills.add(point + "@" + nth);
      int exit = run(dir, start, point, nth);
      assertTrue(exit == KillableCorrelation.HALTED || exit == 0, "child " + start + " ended with " + exit);
      halted += exit == KillableCorrelation.HALTED ? 1 : 0;
    }
    assertEquals(0, run(dir, 3, "NONE", 0), "the last start ends normally");
    assertTrue(halted >= 1, "at least one start was halted: " + kills);

    InMemoryStore<Fields> north = InMemoryStore.journaled("north", dir.resolve("north.journal"));
    InMemoryStore<Fields> south = InMemoryStore.journaled("south", dir.resolve("south.journal"));
    InMemoryStore<Fields> seededNorth = InMemoryStore.create("n");
    InMemoryStore<Fields> seededSouth = InMemoryStore.create("s");
    KillableCorrelation.seed(seededNorth, seededSouth);
    assertEquals(seededNorth.snapshot().keySet(), north.snapshot().keySet(), "C1: nothing created at North, kills " + kills);
    assertEquals(seededSouth.snapshot().keySet(), south.snapshot().keySet(), "C1: nothing created at South, kills " + kills);
    for (Envelope<Fields> s : south.snapshot().values()) {   // C2: only phones change, and only from the same person
      Fields was = seededSouth.get(s.key()).payload();
      assertEquals(was.without("phone"), s.payload().without("phone"), s.key());
    }

    Correlation again = KillableCorrelation.correlation(north, Faulty.around(south), StateStore.directory(dir.resolve("state")));
    CorrelationReport settled = again.round();
    assertEquals(0, settled.sync().written(), "converged: " + settled.summary() + ", kills " + kills);
    Map<String, String> links = new TreeMap<>(again.links());
    assertTrue(links.size() > 150, links.size() + " links");
    for (Map.Entry<String, String> l : links.entrySet()) {
      Fields a = north.get(l.getKey()).payload();
      Fields b = south.get(l.getValue()).payload();
      assertEquals(a.get("entity"), b.get("entity"), "C2: linked to a stranger: " + l + ", kills " + kills);
      assertEquals(a.get("phone"), b.get("phone"), "C6: the pair's phones " + l + ", kills " + kills);
    }
    for (Envelope<Fields> s : south.snapshot().values()) {
      if (!links.containsValue(s.key())) {
        assertEquals(seededSouth.get(s.key()).payload(), s.payload(), "C2: an unlinked record is never written: " + s.key());
      }
    }
    Correlation fresh = KillableCorrelation.correlation(north, Faulty.around(south), StateStore.inMemory());
    fresh.round();
    assertEquals(new TreeMap<>(fresh.links()), links, "the links an uninterrupted correlation makes, kills " + kills);
  }

  private static int run(Path dir, int start, String point, long nth) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path out = dir.resolve("child-" + start + ".out");
    Process p = new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        KillableCorrelation.class.getName(), dir.toString(), String.valueOf(start), point, String.valueOf(nth))
        .redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("child " + start + " did not finish in 120 s: " + Files.readString(out));
    }
    return p.exitValue();
  }
}
