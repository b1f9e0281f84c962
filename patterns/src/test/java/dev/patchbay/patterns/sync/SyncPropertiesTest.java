package dev.patchbay.patterns.sync;

import dev.patchbay.core.report.RunStatus;
import static org.quicktheories.QuickTheory.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.connectors.testkit.Seeds;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** S1, S2, S4 and S5 of docs/promises.md over random edits on both sides, with crashes (S3 in SyncConflictTest). */
class SyncPropertiesTest {

  /** The generated inputs of one example; the edits and crashes derive from {@code seed}. */
  record Scenario(int recordsA, int recordsB, int editRounds, int maxEdits, int batchSize, long seed) {
  }

  /** Batch sizes from 3 up: most rounds span many chunks of changes. */
  private static Gen<Scenario> scenarios() {
    Gen<long[]> roundsBatchAndSeed = integers().between(1, 6).zip(integers().between(3, 500), longs().all(),
        (r, batch, s) -> new long[] {r, batch, s});
    return integers().between(0, 1_000).zip(integers().between(0, 300), integers().between(0, 200), roundsBatchAndSeed,
        (a, b, e, rs) -> new Scenario(a, b, (int) rs[0], e, (int) rs[1], rs[2]));
  }

  /** Side A names fields name/email/city; side B fullName/mail/town, and keeps a field of its own. */
  static Fields toB(Fields a) {
    Fields b = Fields.empty();
    for (String[] pair : new String[][] {{"name", "fullName"}, {"email", "mail"}, {"city", "town"}}) {
      Object v = a.get(pair[0]);
      if (v != null) {
        b = b.with(pair[1], v);
      }
    }
    return b;
  }

  static Fields toA(Fields b) {
    Fields a = Fields.empty();
    for (String[] pair : new String[][] {{"fullName", "name"}, {"mail", "email"}, {"town", "city"}}) {
      Object v = b.get(pair[0]);
      if (v != null) {
        a = a.with(pair[1], v);
      }
    }
    return a;
  }

  /** A user's edits on one system: creates, updates of one field, deletes; versions from a shared clock. */
  static final class User {
    private final InMemoryStore<Fields> store;
    private final String prefix;
    private final boolean sideA;
    private final Random random;
    private final long[] clock;
    private int created;

    User(InMemoryStore<Fields> store, String prefix, boolean sideA, Random random, long[] clock) {
      this.store = store;
      this.prefix = prefix;
      this.sideA = sideA;
      this.random = random;
      this.clock = clock;
    }

    Fields fresh() {
      int n = random.nextInt(1_000_000);
      Fields a = Fields.of("name", "Person " + n, "email", "p" + n + "@example.org", "city", "City " + random.nextInt(20));
      return sideA ? a : toB(a).with("internalRef", "R" + n);
    }

    List<Change<Fields>> creates(int n) {
      List<Change<Fields>> out = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        out.add(Change.upsert(new Envelope<>(prefix + (created++), ++clock[0], fresh())));
      }
      return out;
    }

    void edit(int edits, Set<String> deletedByUsers) {
      List<String> keys = new ArrayList<>(store.snapshot().keySet());
      Map<String, Change<Fields>> batch = new TreeMap<>();
      for (int i = 0; i < edits; i++) {
        int what = random.nextInt(10);
        if (what < 3 || keys.isEmpty()) {
          creates(1).forEach(c -> batch.put(c.key(), c));
        } else {
          String key = keys.get(random.nextInt(keys.size()));
          if (what < 5) {
            batch.put(key, new Change.Delete<>(key, ++clock[0]));
            deletedByUsers.add(key);
          } else {
            Fields now = store.get(key) == null ? fresh() : store.get(key).payload();
            String field = sideA ? new String[] {"name", "email", "city"}[random.nextInt(3)]
                : new String[] {"fullName", "mail", "town"}[random.nextInt(3)];
            batch.put(key, Change.upsert(new Envelope<>(key, ++clock[0], now.with(field, "edit " + clock[0]))));
          }
        }
      }
      store.write(new ArrayList<>(batch.values()));
    }
  }

  static <C extends ChangeFeed<Fields> & Lookup<Fields> & Destination<Fields>> BidirectionalSync sync(C a, C b, StateStore links,
      int batchSize) {
    return BidirectionalSync.builder().name("crm-permits").sideA(a).sideB(b).batchSize(batchSize)
        .mapping(SyncPropertiesTest::toB, SyncPropertiesTest::toA)
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(r -> "x-" + UUID.randomUUID(), r -> "y-" + UUID.randomUUID())   // not deterministic: links alone prevent duplicates
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .massDeleteShare(1.0)
        .retry(RetryPolicy.immediate(3))
        .state(links).build();
  }

  @Test
  void s1_s2_s4_s5_afterEditsAndCrashes_theSidesConvergeInTwoRounds_thenStayQuiet() {
    qt().withFixedSeed(Seeds.seed("sync S1 S2 S4 S5")).withExamples(60).forAll(scenarios()).checkAssert(this::check);
  }

  private void check(Scenario s) {
    Random random = new Random(s.seed());
    long[] clock = {0};
    InMemoryStore<Fields> a = InMemoryStore.create("crm");
    InMemoryStore<Fields> b = InMemoryStore.create("permits");
    User onA = new User(a, "a-", true, random, clock);
    User onB = new User(b, "b-", false, random, clock);
    a.write(onA.creates(s.recordsA()));
    b.write(onB.creates(s.recordsB()));
    CrashingState links = new CrashingState(StateStore.inMemory(), Set.of(), Set.of(), () -> { });
    Faulty<Fields> faultyA = Faulty.around(a);
    Faulty<Fields> faultyB = Faulty.around(b);
    BidirectionalSync sync = sync(faultyA, faultyB, links, s.batchSize());
    Set<String> deletedByUsers = new HashSet<>();
    Set<String> goneFromBoth = new HashSet<>();
    int crashes = 0;

    for (int round = 0; round < s.editRounds(); round++) {
      onA.edit(random.nextInt(s.maxEdits() + 1), deletedByUsers);
      onB.edit(random.nextInt(s.maxEdits() + 1), deletedByUsers);
      int crash = random.nextInt(6);
      if (crash == 1) {
        faultyA.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_PARTIAL, 1).build());
      } else if (crash == 2) {
        faultyB.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_PARTIAL, 1).build());
      } else if (crash == 3) {
        links.crashBefore(1 + random.nextInt(2));
      } else if (crash == 4) {
        links.crashAfter(1 + random.nextInt(2));
      }
      try {
        SyncReport report = sync.round();
        assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
      } catch (SimulatedCrash e) {
        crashes++;
      }
      faultyA.inject(Faults.none());
      faultyB.inject(Faults.none());
      links.disarm();
      gone(a, b, links, goneFromBoth);
    }

    // S1: within two rounds of the last edit, every record is on both sides, equal on the mapped fields.
    for (int i = 0; i < 2; i++) {
      SyncReport report = sync.round();
      assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
      gone(a, b, links, goneFromBoth);
    }
    assertConverged(a, b, links, "after " + s.editRounds() + " edit rounds and " + crashes + " crashes");

    // S2: then nothing is written, for ten rounds.
    for (int i = 0; i < 10; i++) {
      SyncReport idle = sync.round();
      assertEquals(0, idle.written(), "idle round " + i + " wrote: " + idle.summary());
      assertTrue(idle.conflicts().isEmpty(), idle.summary());
    }
    // S4: a record gone from both sides never came back.
    Set<String> back = new HashSet<>(goneFromBoth);
    back.retainAll(a.snapshot().keySet());
    assertEquals(Set.of(), back, "records deleted on both sides that came back on side A");
  }

  /** Keys (in A's terms, where linked; else as the user made them) absent from both sides now. */
  private static void gone(InMemoryStore<Fields> a, InMemoryStore<Fields> b, StateStore links, Set<String> into) {
    Map<String, Link> linked = StoredLinks.byA(links, "crm-permits", allKeysEverLinked(links, a, b));
    for (Link l : linked.values()) {
      if (a.get(l.aKey()) == null && b.get(l.bKey()) == null) {
        into.add(l.aKey());
      }
    }
  }

  private static Set<String> allKeysEverLinked(StateStore links, InMemoryStore<Fields> a, InMemoryStore<Fields> b) {
    Set<String> keys = new HashSet<>(a.snapshot().keySet());
    StoredLinks.byB(links, "crm-permits", b.snapshot().keySet()).values().forEach(l -> keys.add(l.aKey()));
    return keys;
  }

  /**
   * Every record of either side has exactly one linked record on the other, equal on the mapped
   * fields, and each pair is a user's record with the one copy the sync made of it.
   */
  static void assertConverged(InMemoryStore<Fields> a, InMemoryStore<Fields> b, StateStore links, String when) {
    Map<String, Envelope<Fields>> sideA = a.snapshot();
    Map<String, Envelope<Fields>> sideB = b.snapshot();
    Map<String, Link> byA = StoredLinks.byA(links, "crm-permits", sideA.keySet());
    assertEquals(sideA.size(), sideB.size(), "as many records on each side " + when);
    Set<String> bKeys = new HashSet<>();
    for (Envelope<Fields> r : sideA.values()) {
      Link link = byA.get(r.key());
      assertTrue(link != null && link.state() == Link.State.LINKED, "record " + r.key() + " of side A is linked " + when);
      Envelope<Fields> other = sideB.get(link.bKey());
      assertTrue(other != null, "record " + r.key() + " of side A is on side B as " + link.bKey() + " " + when);
      assertEquals(toB(r.payload()), toB(toA(other.payload())), "record " + r.key() + " equal on both sides " + when);
      assertTrue(bKeys.add(link.bKey()), "side B record " + link.bKey() + " linked once " + when);
      // S5: users make a-/b- keys, the sync x-/y- ones: each pair is one user's record and the sync's one copy.
      assertTrue(r.key().startsWith("a-") != link.bKey().startsWith("b-"),
          "pair " + r.key() + " <-> " + link.bKey() + " is one record and its copy " + when);
    }
  }
}
