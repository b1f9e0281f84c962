package dev.patchbay.patterns.aggregation;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The child process of {@link AggregationKillTest}: aggregates generated inputs (one with values of
 * every kind: a text past 65,536 characters outside the BMP, decimals, dates, instants) into a
 * journaled store, its state in a crash-safe directory, and halts the JVM at the planned point.
 *
 * <p>Arguments: work directory, halt point (NONE, BEFORE_SAVE, AFTER_SAVE, WRITE_UNACKED), occurrence, and
 * {@code matched} for entities found by matching.
 */
public final class KillableAggregation {

  static final int HALTED = 3;

  private KillableAggregation() {
  }

  /** The inputs: the property test's generator at a fixed seed, and typed values on a few records of the first. */
  static List<List<Envelope<Fields>>> inputs() {
    List<List<Envelope<Fields>>> data = AggregationPropertiesTest.generate(
        new AggregationPropertiesTest.Scenario(120, 3, 25, 7L), new Random(7));
    List<Envelope<Fields>> first = new ArrayList<>(data.get(0));
    String long70k = "\uD83D\uDE00".repeat(35_001) + " end";   // 70,006 chars, every one of a pair outside the BMP
    for (int i = 0; i < first.size() && i < 5; i++) {
      Envelope<Fields> e = first.get(i);
      first.set(i, new Envelope<>(e.key(), e.version(), e.payload().with("notes", long70k + i)
          .with("balance", new BigDecimal("1234.5600")).with("since", LocalDate.of(1999, 12, 31))
          .with("seen", Instant.parse("2026-01-02T03:04:05.123456Z")).with("active", Boolean.TRUE)));
    }
    data.set(0, first);
    return data;
  }

  static Aggregation.Builder builder(List<InMemoryStore<Fields>> stores) {
    return builder(stores, false);
  }

  /** By merge key ("account"), or, {@code matched}, by matching on it (at most one record per input an entity). */
  static Aggregation.Builder builder(List<InMemoryStore<Fields>> stores, boolean matched) {
    Aggregation.Builder b = Aggregation.builder().name("killable").batchSize(25)
        .survivorship("name", Survivorship.mostFrequent()).survivorship("email", Survivorship.mostRecent())
        .survivorship("credit", Survivorship.max()).group("address", List.of("street", "town"), Survivorship.mostComplete())
        .retry(RetryPolicy.immediate(3));
    if (matched) {
      b.match(dev.patchbay.patterns.matching.MatchRule.exact("account"), dev.patchbay.patterns.matching.Blocking.field("account"), 1);
    } else {
      b.outputKey(Aggregation.OutputKey.MERGE_KEY);
    }
    for (int i = 0; i < stores.size(); i++) {
      Input.Builder<Fields> in = i == 1 ? Input.changesOf("in" + i, stores.get(i), DeletePolicy.PROPAGATE).transform(Transform.identity())
          : Input.from("in" + i, stores.get(i)).transform(Transform.identity());
      b.input(matched ? in.matched() : in.mergeKey("account"));
    }
    return b;
  }

  static List<InMemoryStore<Fields>> stores() {
    List<InMemoryStore<Fields>> stores = new ArrayList<>();
    List<List<Envelope<Fields>>> data = inputs();
    for (int i = 0; i < data.size(); i++) {
      InMemoryStore<Fields> s = InMemoryStore.create("in" + i);
      s.putAll(data.get(i));
      stores.add(s);
    }
    return stores;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String point = args[1];
    long nth = Long.parseLong(args[2]);
    Runnable halt = () -> Runtime.getRuntime().halt(HALTED);
    InMemoryStore<Fields> target = InMemoryStore.journaled("golden", dir.resolve("golden.journal"));
    Faulty<Fields> faultyTarget = Faulty.around(target);
    StateStore state = StateStore.directory(dir.resolve("state"));
    switch (point) {
      case "BEFORE_SAVE" -> state = new CrashingState(state, Set.of(nth), Set.of(), halt);
      case "AFTER_SAVE" -> state = new CrashingState(state, Set.of(), Set.of(nth), halt);
      case "WRITE_UNACKED" -> faultyTarget.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_UNACKED, nth).onCrash(halt).build());
      default -> { }
    }
    boolean matched = args.length > 3 && args[3].equals("matched");
    AggregationReport report = builder(stores(), matched).destination(faultyTarget).state(state).build().run();
    Files.writeString(dir.resolve("report.txt"), report.status() + "\n" + report.summary());
  }
}
