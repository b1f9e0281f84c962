package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The child process of {@link CorrelationKillTest}: two hospitals in journaled stores (seeded on
 * the first start), a crash-safe state directory; each start edits some phones at North (the edits
 * of start {@code index}, the same each time), then runs rounds, halting the JVM at the planned
 * point.
 *
 * <p>Arguments: work directory, start index, halt point (NONE, WRITE_PARTIAL, WRITE_UNACKED,
 * BEFORE_SAVE, AFTER_SAVE), occurrence.
 */
public final class KillableCorrelation {

  static final int HALTED = 3;
  static final int ENTITIES = 300;

  private KillableCorrelation() {
  }

  /** North holds entities 0..299, South 100..399 (a typo in every fifth surname, other phones for every third). */
  static void seed(InMemoryStore<Fields> north, InMemoryStore<Fields> south) {
    List<Change<Fields>> a = new ArrayList<>();
    List<Change<Fields>> b = new ArrayList<>();
    String[] names = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Hamilton", "Lamport"};
    for (int e = 0; e < ENTITIES + 100; e++) {
      Random r = new Random(e);
      String surname = names[r.nextInt(names.length)] + (char) ('a' + r.nextInt(26)) + (char) ('a' + r.nextInt(26));
      String dob = java.time.LocalDate.of(1940, 1, 1).plusDays(r.nextInt(20_000)).toString();
      Fields person = Fields.of("given", "Given" + (e % 97), "surname", surname, "dob", dob, "phone", "0" + e, "entity", "e" + e);
      if (e < ENTITIES) {
        a.add(Change.upsert(new Envelope<>("n" + e, 1, person)));
      }
      if (e >= 100) {
        Fields copy = e % 5 == 0 ? person.with("surname", surname.substring(0, surname.length() - 1) + "x") : person;
        b.add(Change.upsert(new Envelope<>("s" + e, 1, e % 3 == 0 ? copy.with("phone", "9" + e) : copy)));
      }
    }
    north.write(a);
    south.write(b);
  }

  static Correlation correlation(InMemoryStore<Fields> north, Faulty<Fields> south, StateStore state) {
    return Correlation.builder().name("hospitals").sideA(north).sideB(south)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .views(f -> f.without("entity").without("phone"), f -> f.without("entity").without("phone"))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(CorrelationTest.RULE).blocking(Blocking.field("surname").or(Blocking.field("dob")))
        .thresholds(10, 4).ambiguityMargin(1)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .retry(RetryPolicy.immediate(3))
        .state(state).build();
  }

  public static void main(String[] args) {
    Path dir = Path.of(args[0]);
    int index = Integer.parseInt(args[1]);
    String point = args[2];
    long nth = Long.parseLong(args[3]);
    Runnable halt = () -> Runtime.getRuntime().halt(HALTED);
    InMemoryStore<Fields> north = InMemoryStore.journaled("north", dir.resolve("north.journal"));
    InMemoryStore<Fields> south = InMemoryStore.journaled("south", dir.resolve("south.journal"));
    if (north.size() == 0) {
      seed(north, south);
    }
    Random edits = new Random(1000 + index);
    List<Change<Fields>> phones = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String key = "n" + edits.nextInt(ENTITIES);
      phones.add(Change.upsert(new Envelope<>(key, 10 + index, north.get(key).payload().with("phone", "start" + index + "-" + i))));
    }
    north.write(phones);
    StateStore state = StateStore.directory(dir.resolve("state"));
    Faulty<Fields> faultySouth = Faulty.around(south);
    switch (point) {
      case "WRITE_PARTIAL", "WRITE_UNACKED" -> faultySouth.inject(Faults.builder()
          .crashAt(Faults.CrashPoint.valueOf(point), nth).onCrash(halt).build());
      case "BEFORE_SAVE" -> state = new CrashingState(state, Set.of(nth), Set.of(), halt);
      case "AFTER_SAVE" -> state = new CrashingState(state, Set.of(), Set.of(nth), halt);
      default -> { }
    }
    Correlation c = correlation(north, faultySouth, state);
    for (int round = 0; round < 3; round++) {
      c.round();
    }
  }
}
