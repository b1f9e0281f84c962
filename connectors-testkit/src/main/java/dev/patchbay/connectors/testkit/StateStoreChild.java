package dev.patchbay.connectors.testkit;

import dev.patchbay.core.Fields;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.IntStream;

/** The other process of {@link StateStoreContract}'s checks: holds a name, or saves until halted. Not API. */
public final class StateStoreChild {

  static final int HALTED = 3;
  static final int ENTRIES = 400;

  private StateStoreChild() {
  }

  static Process start(StateStoreContract.Place place, String mode, String name, int haltAfterMillis) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"), StateStoreChild.class.getName(),
        place.opener().getName(), place.argument(), mode, name, Integer.toString(haltAfterMillis))
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  static List<String> keys() {
    return IntStream.range(0, ENTRIES).mapToObj(i -> "key-" + i).toList();
  }

  /** Halts this JVM {@code millis} from now, wherever it is. */
  private static void startHalt(int millis) {
    Thread halt = new Thread(() -> {
      try {
        Thread.sleep(millis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      Runtime.getRuntime().halt(HALTED);
    });
    halt.setDaemon(true);
    halt.start();
  }

  @SuppressWarnings("unchecked")
  public static void main(String[] args) throws Exception {
    Function<String, StateStore> opener = (Function<String, StateStore>) Class.forName(args[0]).getConstructor().newInstance();
    StateStore store = opener.apply(args[1]);
    String mode = args[2];
    String name = args[3];
    int haltAfter = Integer.parseInt(args[4]);
    PrintStream out = System.out;
    NamedState state = store.open(name);
    if (mode.equals("hold")) {
      out.println("held");
      out.flush();
      Thread.sleep(120_000);
      return;
    }
    long from = state.progress(w -> { }).map(Progress::sequence).orElse(0L);
    String pad = "p".repeat(300);
    for (long s = from + 1; ; s++) {
      List<Entry> entries = new ArrayList<>(ENTRIES);
      for (String key : keys()) {
        entries.add(new Entry("links", key, "alias-" + key, s % 2 == 0 ? "EVEN" : "ODD", Fields.of("save", (int) s, "pad", pad)));
      }
      state.save(new Progress(Map.of(), Map.of(), s, Counts.zero(), List.of(), Instant.now(), Map.of()), entries);
      out.println("saved " + s);
      out.flush();
      if (s == from + 1) {   // the clock starts once a save went through: every run saves, however slow the machine
        startHalt(haltAfter);
      }
    }
  }
}
