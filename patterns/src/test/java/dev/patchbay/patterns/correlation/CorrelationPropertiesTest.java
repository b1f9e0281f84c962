package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.CandidatePairs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * C1 to C6 of docs/promises.md over generated populations: entities shared by both hospitals (side
 * B's copies corrupted: typos, swapped names, missing values), entities on one side only,
 * near-twins (same name, another person), edits and deletes between rounds, a person working
 * through the review queue, and crashes at any save. Every single write is checked as it happens.
 */
class CorrelationPropertiesTest {

  private static final String[] GIVEN = {"Ada", "Grace", "Alan", "Edsger", "Barbara", "Donald", "Frances", "Leslie",
      "Margaret", "Niklaus", "Radia", "Tony", "Kristen", "Dennis", "Shafi"};
  private static final String[] SURNAME = {"Lovelace", "Hopper", "Turing", "Dijkstra", "Liskov", "Knuth", "Allen",
      "Lamport", "Hamilton", "Wirthson", "Perlman", "Hoareson", "Nygaard", "Ritchie", "Goldwasser"};

  /** The generated inputs of one example; the population, edits and crashes derive from {@code seed}. */
  record Scenario(int entities, int rounds, boolean person, long seed) {
  }

  private static Gen<Scenario> scenarios() {
    return integers().between(2, 40).zip(integers().between(1, 4), booleans().all(), longs().all(), Scenario::new);
  }

  /** What the examples exercised, summed: so that a run shows it tested something. */
  private final Map<String, Integer> seen = new TreeMap<>();

  @Test
  void c1ToC6_overGeneratedHospitals_withEditsAPersonAndCrashes() {
    qt().withFixedSeed(Seeds.seed("correlation C1 to C6")).withExamples(60).forAll(scenarios()).checkAssert(this::check);
    System.out.println("[correlation C1 to C6] exercised: " + seen);
    for (String what : List.of("links", "ended", "crashes", "writes", "review", "ambiguous", "asserted", "rejected")) {
      assertTrue(seen.getOrDefault(what, 0) > 0, "the examples never had " + what + ": " + seen);
    }
  }

  private void saw(String what, int n) {
    seen.merge(what, n, Integer::sum);
  }

  /** Two hospitals made from one population. */
  static final class World {
    final Random random;
    final InMemoryStore<Fields> a = InMemoryStore.create("north");
    final InMemoryStore<Fields> b = InMemoryStore.create("south");
    final Set<String> identities = new HashSet<>();
    long clock;
    int made;

    World(Random random) {
      this.random = random;
    }

    /** An entity no other has the name and date of birth of; a near-twin of {@code twin} where given. */
    Fields entity(Fields twin) {
      while (true) {
        String given = twin != null ? (String) twin.get("given") : GIVEN[random.nextInt(GIVEN.length)];
        String surname = twin != null ? (String) twin.get("surname") : SURNAME[random.nextInt(SURNAME.length)];
        String dob = LocalDate.of(1930, 1, 1).plusDays(random.nextInt(25_000)).toString();
        if (identities.add(given + "|" + surname + "|" + dob)) {
          return Fields.of("given", given, "surname", surname, "dob", dob, "phone", "0" + random.nextInt(1_000_000),
              "entity", "e" + (made++));
        }
      }
    }

    /** Side B's copy: a typo in the surname, the names swapped, or the given name missing, now and then. */
    Fields corrupted(Fields e) {
      int what = random.nextInt(10);
      if (what < 2 && e.get("surname") instanceof String s && s.length() > 3) {
        int at = 2 + random.nextInt(s.length() - 3);
        return e.with("surname", s.substring(0, at) + (char) ('a' + random.nextInt(26)) + s.substring(at + 1));
      } else if (what < 3 && e.get("given") != null && e.get("surname") != null) {
        return e.with("given", e.get("surname")).with("surname", e.get("given"));
      } else if (what < 4) {
        return e.without("given");
      }
      return e;
    }

    void put(InMemoryStore<Fields> side, String key, Fields record) {
      side.write(List.of(Change.upsert(new Envelope<>(key, ++clock, record))));
    }

    /** A population: half shared, a quarter on each side alone, some near-twins. */
    void populate(int entities) {
      List<Fields> all = new ArrayList<>();
      for (int i = 0; i < entities; i++) {
        Fields e = entity(!all.isEmpty() && random.nextInt(7) == 0 ? all.get(random.nextInt(all.size())) : null);
        all.add(e);
        place(e);
      }
    }

    void place(Fields e) {
      int where = random.nextInt(4);
      if (where < 3) {
        put(a, "n" + (made * 7 + random.nextInt(7)), e);
      }
      if (where != 1) {
        put(b, "s" + (made * 7 + random.nextInt(7)), corrupted(e));
      }
    }

    /** Between rounds: new phones on both sides, a new entity, a copy appearing, a name changed, a delete. */
    void edit() {
      for (int i = random.nextInt(6); i > 0; i--) {
        InMemoryStore<Fields> side = random.nextBoolean() ? a : b;
        List<String> keys = new ArrayList<>(side.snapshot().keySet());
        if (keys.isEmpty()) {
          continue;
        }
        String key = keys.get(random.nextInt(keys.size()));
        Fields now = side.get(key).payload();
        int what = random.nextInt(10);
        if (what < 5) {
          put(side, key, now.with("phone", "0" + random.nextInt(1_000_000)));
        } else if (what < 6) {
          place(entity(null));
        } else if (what < 7) {
          InMemoryStore<Fields> other = side == a ? b : a;
          put(other, (side == a ? "s" : "n") + "x" + (made++), corrupted(now));   // the other hospital now treats them too
        } else if (what < 9) {
          put(side, key, now.with("surname", SURNAME[random.nextInt(SURNAME.length)]));
        } else {
          side.write(List.of(Change.delete(key)));
        }
      }
    }
  }

  /** A side that checks every write as it happens: an update of a record there, linked to a record of the same entity. */
  static final class Checked implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {
    final InMemoryStore<Fields> store;
    final InMemoryStore<Fields> other;
    Function<String, String> partner = k -> null;
    final List<String> violations = new ArrayList<>();
    int writes;

    Checked(InMemoryStore<Fields> store, InMemoryStore<Fields> other) {
      this.store = store;
      this.other = other;
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      return store.changes(after);
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      return store.lookup(keys);
    }

    @Override
    public synchronized List<Outcome> write(List<Change<Fields>> batch) {
      for (Change<Fields> c : batch) {
        writes++;
        Envelope<Fields> there = store.get(c.key());
        String from = partner.apply(c.key());
        Envelope<Fields> source = from == null ? null : other.get(from);
        if (!(c instanceof Change.Upsert<Fields>)) {
          violations.add("a delete of " + c.key() + " in " + store);
        } else if (there == null) {
          violations.add("C1: " + c.key() + " created in " + store);
        } else if (from == null) {
          violations.add("C2: " + c.key() + " in " + store + " written while linked to nothing");
        } else if (source == null || !source.payload().get("entity").equals(there.payload().get("entity"))) {
          violations.add("C2: " + c.key() + " in " + store + " (" + there.payload().get("entity") + ") written from " + from
              + " (" + (source == null ? "gone" : source.payload().get("entity")) + ")");
        } else if (!((Change.Upsert<Fields>) c).record().payload().without("phone").equals(there.payload().without("phone"))) {
          violations.add("C2: " + c.key() + " in " + store + " got more than the phone");
        }
      }
      return store.write(batch);
    }

    @Override
    public String toString() {
      return store.toString();
    }
  }

  static Correlation correlation(String name, Checked a, Checked b, StateStore state, double link, String... required) {
    return correlation(name, a, b, state, link, 5_000, required);
  }

  /** A correlation reading {@code batchSize} changes of a side at once (its matching and its sync). */
  static Correlation correlation(String name, Checked a, Checked b, StateStore state, double link, int batchSize,
      String... required) {
    Correlation c = Correlation.builder().name(name).sideA(a).sideB(b)
        .batchSize(batchSize)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .views(f -> f.without("entity").without("phone"), f -> f.without("entity").without("phone"))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(CorrelationTest.RULE)
        .blocking(BLOCKING)
        .thresholds(link, 4)
        .ambiguityMargin(1)
        .require(required)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .retry(RetryPolicy.immediate(2))
        .state(state)
        .build();
    a.partner = c.known.linkedA::get;
    b.partner = c.known.linkedB::get;
    return c;
  }

  private void check(Scenario s) {
    World w = new World(new Random(s.seed()));
    w.populate(s.entities());
    Checked a = new Checked(w.a, w.b);
    Checked b = new Checked(w.b, w.a);
    CrashingState state = new CrashingState(StateStore.inMemory(), Set.of(), Set.of(), () -> { });
    int batchSize = w.random.nextBoolean() ? 5_000 : 1 + w.random.nextInt(7);   // chunk boundaries anywhere
    Correlation c = correlation("hospitals", a, b, state, 10, batchSize);
    Map<String, String> asserted = new HashMap<>();
    Set<String> rejected = new HashSet<>();
    int crashes = 0;
    for (int round = 0; round < s.rounds(); round++) {
      Set<String> keysA = new HashSet<>(w.a.snapshot().keySet());
      Set<String> keysB = new HashSet<>(w.b.snapshot().keySet());
      if (w.random.nextInt(3) == 0) {
        state.crashBefore(1 + w.random.nextInt(6));
      }
      try {
        CorrelationReport r = c.round();
        assertEquals(RunStatus.COMPLETED, r.status(), r.summary());
        assertEquals(List.of(), r.failures(), "no pair failed: " + r.summary());
        saw("ended", (int) r.linking().endedCount());
        saw("ambiguous", (int) r.linking().a().ambiguous());
      } catch (SimulatedCrash crash) {
        crashes++;
        c = correlation("hospitals", a, b, state, 10, batchSize);   // a restart: nothing in memory survives
      }
      state.disarm();
      assertEquals(keysA, w.a.snapshot().keySet(), "C1: side A's records are the users' alone");
      assertEquals(keysB, w.b.snapshot().keySet(), "C1: side B's records are the users' alone");
      if (s.person()) {
        for (ReviewItem item : c.reviewQueue()) {   // a person who knows the truth works through the queue
          if (asserted.containsKey(item.aKey()) || asserted.containsValue(item.bKey())) {
            continue;
          }
          boolean same = entity(w.a, item.aKey()).equals(entity(w.b, item.bKey()));
          if (same) {
            c.assertLink(item.aKey(), item.bKey(), "same person");
            asserted.put(item.aKey(), item.bKey());
          } else {
            c.rejectLink(item.aKey(), item.bKey(), "not the same");
            rejected.add(item.aKey() + "|" + item.bKey());
          }
        }
      }
      if (s.person() && w.random.nextInt(3) == 0) {   // and now and then takes a link back
        List<String> linkedKeys = new ArrayList<>(links(c, w.a.snapshot().keySet()).keySet());
        if (!linkedKeys.isEmpty()) {
          String aKey = linkedKeys.get(w.random.nextInt(linkedKeys.size()));
          String bKey = c.linkOfA(aKey).orElseThrow().bKey();
          c.rejectLink(aKey, bKey, "taken back");
          asserted.remove(aKey, bKey);
          rejected.add(aKey + "|" + bKey);
        }
      }
      w.edit();
    }
    for (int i = 0; i < 2; i++) {
      CorrelationReport r = c.round();
      assertEquals(RunStatus.COMPLETED, r.status(), r.summary());
      assertEquals(List.of(), r.failures(), "no pair failed: " + r.summary());
    }
    saw("crashes", crashes);
    saw("writes", a.writes + b.writes);
    saw("asserted", asserted.size());
    saw("rejected", rejected.size());
    saw("review", c.reviewQueue().size() + asserted.size() + rejected.size());
    assertEquals(List.of(), a.violations, "writes to side A, seed " + s.seed());
    assertEquals(List.of(), b.violations, "writes to side B, seed " + s.seed());

    Map<String, String> links = links(c, w.a.snapshot().keySet());
    saw("links", links.size());
    String when = " after " + s.rounds() + " rounds, " + crashes + " crashes, seed " + s.seed();
    // C3: one to one; each link the rule's (at or above the threshold) or a person's; never a rejected pair.
    assertEquals(links.size(), new HashSet<>(links.values()).size(), "one to one" + when);
    for (Map.Entry<String, String> l : links.entrySet()) {
      CrosswalkLink link = c.linkOfA(l.getKey()).orElseThrow();
      assertTrue(link.by() == CrosswalkLink.MadeBy.PERSON || link.score() >= 10, link + when);
      assertTrue(!rejected.contains(l.getKey() + "|" + l.getValue()), "rejected yet linked: " + link + when);
    }
    // C3: no record the rule linked has another candidate too close to call.
    Map<String, Fields> viewsA = views(w.a);
    Map<String, Fields> viewsB = views(w.b);
    Set<String> personal = new HashSet<>();
    for (Map.Entry<String, String> l : links.entrySet()) {
      if (c.linkOfA(l.getKey()).orElseThrow().by() == CrosswalkLink.MadeBy.PERSON) {
        personal.add("a" + l.getKey());
        personal.add("b" + l.getValue());
      }
    }
    Map<String, List<double[]>> candidates = new HashMap<>();
    for (CandidatePairs.Pair p : CandidatePairs.of(viewsA, viewsB, BLOCKING).pairs()) {
      if (!rejected.contains(p.aKey() + "|" + p.bKey()) && !personal.contains("a" + p.aKey()) && !personal.contains("b" + p.bKey())) {
        double score = CorrelationTest.RULE.score(viewsA.get(p.aKey()), viewsB.get(p.bKey())).value();
        candidates.computeIfAbsent("a" + p.aKey(), k -> new ArrayList<>()).add(new double[] {score});
        candidates.computeIfAbsent("b" + p.bKey(), k -> new ArrayList<>()).add(new double[] {score});
      }
    }
    links.forEach((aKey, bKey) -> {
      for (String record : List.of("a" + aKey, "b" + bKey)) {
        if (personal.contains(record)) {
          continue;
        }
        List<Double> scores = candidates.getOrDefault(record, List.of()).stream().map(x -> x[0]).sorted(java.util.Comparator.reverseOrder()).toList();
        assertTrue(scores.size() < 2 || scores.get(1) < scores.get(0) - 1, "C3: " + record + " linked though ambiguous " + scores + when);
      }
    });
    // C6: a person's links survive while both records are there.
    asserted.forEach((aKey, bKey) -> {
      if (w.a.get(aKey) != null && w.b.get(bKey) != null) {
        assertEquals(bKey, links.get(aKey), "asserted link of " + aKey + when);
      }
    });
    // C6: linked pairs converged on the phone, then quiet, and the same after a restart.
    links.forEach((aKey, bKey) -> assertEquals(w.a.get(aKey).payload().get("phone"), w.b.get(bKey).payload().get("phone"),
        "phone of " + aKey + " <-> " + bKey + when));
    assertEquals(0, c.round().sync().written(), "quiet" + when);
    Correlation restarted = correlation("hospitals", a, b, state, 10);
    CorrelationReport again = restarted.round();
    assertEquals(0, again.sync().written(), again.summary() + when);
    assertEquals(links, links(restarted, w.a.snapshot().keySet()), "links persist over a restart" + when);

    // From scratch on the same records: the same links where no person decided (the rounds were incremental).
    Map<String, String> fresh = links(fresh("fresh", w, false, 10), w.a.snapshot().keySet());
    if (!s.person()) {
      assertEquals(fresh, links, "incremental rounds link what one round from scratch links" + when);
    }
    // C4: the sides swapped link the same pairs.
    Map<String, String> swapped = links(fresh("swapped", w, true, 10), w.b.snapshot().keySet());
    Map<String, String> back = new TreeMap<>();
    swapped.forEach((bKey, aKey) -> back.put(aKey, bKey));
    assertEquals(new TreeMap<>(fresh), back, "C4: the same pairs with the sides swapped" + when);
    // C5: a higher threshold, or a required field more, never adds a link.
    for (Correlation stricter : List.of(fresh("higher", w, false, 14), fresh("required", w, false, 10, "dob"))) {
      Map<String, String> strict = links(stricter, w.a.snapshot().keySet());
      strict.forEach((aKey, bKey) -> assertEquals(bKey, fresh.get(aKey), "C5: " + stricter + " linked " + aKey + when));
    }
  }

  /** A correlation over copies of the two sides as they are now (swapped where asked), after one round. */
  private static Correlation fresh(String name, World w, boolean swap, double link, String... required) {
    InMemoryStore<Fields> x = InMemoryStore.create("x");
    InMemoryStore<Fields> y = InMemoryStore.create("y");
    x.write(upserts(swap ? w.b : w.a));
    y.write(upserts(swap ? w.a : w.b));
    Correlation c = correlation(name, new Checked(x, y), new Checked(y, x), StateStore.inMemory(), link, required);
    CorrelationReport r = c.round();
    assertEquals(RunStatus.COMPLETED, r.status(), r.summary());
    return c;
  }

  private static List<Change<Fields>> upserts(InMemoryStore<Fields> from) {
    List<Change<Fields>> out = new ArrayList<>();
    from.snapshot().values().forEach(e -> out.add(Change.upsert(e)));
    return out;
  }

  private static Map<String, String> links(Correlation c, Set<String> aKeys) {
    Map<String, String> out = new TreeMap<>();
    for (String k : aKeys) {
      c.linkOfA(k).ifPresent(l -> out.put(k, l.bKey()));
    }
    return out;
  }

  private static final Blocking BLOCKING = Blocking.field("surname").or(Blocking.field("dob"));

  private static Map<String, Fields> views(InMemoryStore<Fields> side) {
    Map<String, Fields> out = new TreeMap<>();
    side.snapshot().forEach((k, e) -> out.put(k, e.payload().without("entity").without("phone")));
    return out;
  }

  private static Object entity(InMemoryStore<Fields> side, String key) {
    Envelope<Fields> e = side.get(key);
    assertNotNull(e, key);
    return e.payload().get("entity");
  }
}
