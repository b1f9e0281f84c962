package dev.patchbay.patterns.migration;

import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Source;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.RetryPolicy;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

/**
 * The child process of {@link MigrationKillTest}: migrates generated cases into a journaled store
 * with a crash-safe checkpoint directory, and halts the JVM at the planned point.
 *
 * <p>Arguments: work directory, record count, batch size, halt point (NONE, READ, WRITE_PARTIAL,
 * WRITE_UNACKED, BEFORE_SAVE, AFTER_SAVE), occurrence. Prints one line per record read.
 */
public final class KillableMigration {

  static final int HALTED = 3;

  private KillableMigration() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int records = Integer.parseInt(args[1]);
    int batchSize = Integer.parseInt(args[2]);
    String point = args[3];
    long nth = Long.parseLong(args[4]);
    Runnable halt = () -> Runtime.getRuntime().halt(HALTED);

    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    legacy.putAll(Cases.generate(records, new Random(42)));
    InMemoryStore<Fields> target = InMemoryStore.journaled("target", dir.resolve("target.journal"));
    StateStore checkpoints = StateStore.directory(dir.resolve("checkpoints"));
    Faulty<Fields> faultyLegacy = Faulty.around(legacy);
    Faulty<Fields> faultyTarget = Faulty.around(target);
    switch (point) {
      case "READ" -> faultyLegacy.inject(Faults.builder().crashAt(Faults.CrashPoint.READ, nth).onCrash(halt).build());
      case "WRITE_PARTIAL", "WRITE_UNACKED" -> faultyTarget.inject(Faults.builder()
          .crashAt(Faults.CrashPoint.valueOf(point), nth).onCrash(halt).build());
      case "BEFORE_SAVE" -> checkpoints = new CrashingState(checkpoints, Set.of(nth), Set.of(), halt);
      case "AFTER_SAVE" -> checkpoints = new CrashingState(checkpoints, Set.of(), Set.of(nth), halt);
      default -> { }
    }
    PrintStream out = System.out;
    Source<Fields> logged = faultyLegacy.peek(r -> out.println("read " + r.key()));
    RunReport report = Migration.builder()
        .name("legacy-cases")
        .source(logged)
        .scope(Cases.OPEN_OR_CLOSED)
        .transform(Cases.TO_TARGET)
        .destination(faultyTarget)
        .batchSize(batchSize)
        .failureLimit(records)
        .retry(RetryPolicy.immediate(3))
        .state(checkpoints)
        .build()
        .run();
    Files.writeString(dir.resolve("report.json"), report.toJson());
  }
}
