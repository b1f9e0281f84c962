package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link StateStore} is held to (T1 of the semantics): what is saved comes back
 * exactly, keys and values of any shape with their types; a save is atomic, also when the process
 * is halted in the middle of it; one run per name holds it, in this process and in others.
 * Implement it in a JUnit 5 test of your store:
 *
 * <pre>{@code
 * class MyStoreContractTest implements StateStoreContract {
 *   public StateStore store() { return MyStore.over(place); }
 *   public Optional<Place> placeForAnotherProcess() { return Optional.of(new Place(MyOpener.class, place)); }
 * }
 * }</pre>
 *
 * Random choices print their seed; {@code -Dpatchbay.seed=N} reproduces them.
 */
public interface StateStoreContract {

  /**
   * A store for this test: every call during one test returns a store over the same place (a
   * directory, a schema), as a restarted process would open it; a new test may get a new place.
   */
  StateStore store();

  /**
   * Where another process finds the same place as {@link #store()}: an opener class (public,
   * with a public no-argument constructor) and the text it opens the place from. Empty where the
   * store lives in this process only (in memory): the checks that need another process are skipped.
   */
  default Optional<Place> placeForAnotherProcess() {
    return Optional.empty();
  }

  /**
   * A place no store was opened over yet (new tables, a new directory), and how to open one over it:
   * each call of the supplier opens a store, as a process starting would. Empty where every store
   * of the kind is made in advance: the check of stores opened at once over a new place is skipped.
   */
  default Optional<java.util.function.Supplier<StateStore>> newPlace() {
    return Optional.empty();
  }

  /** How a child JVM opens the store: {@code new OpenerClass().apply(argument)}. */
  record Place(Class<? extends Function<String, StateStore>> opener, String argument) {
  }

  // ---------------------------------------------------------------------------------------------

  /** A name of its own for each check, so that stores shared between tests do not meet old state. */
  private static String name(String check) {
    return "kit-" + check + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Progress progress(long sequence, Map<String, String> run) {
    return new Progress(Map.of("source", Checkpoint.at("2026-12-01T10:00:00.123456Z|k-é \"1\"|" + sequence),
        "b", Checkpoint.at("seq:" + sequence)), Map.of("a", Set.of("again-1", "Again-1 "), "b", Set.of()), sequence,
        new Counts(sequence * 10, 5, 1, 1, 0, 2, 1),
        List.of(new Outcome.Failed("case-é/\"3\"", Stage.TRANSFORM, "email", "required field is missing\nsecond line"),
            new Outcome.Failed("x", Stage.WRITE, null, "rejected")),
        Instant.parse("2026-11-23T10:00:00.000001Z").plusSeconds(sequence), run);
  }

  /** A value of every type a store keeps, nested fields among them. */
  private static Fields everyType(int i) {
    return Fields.of("text", "é ü 漢字 \"quoted\" \\ \n\t" + i, "empty", "", "int", Integer.MAX_VALUE - i,
        "long", Long.MIN_VALUE + i, "decimal", new BigDecimal("12345678901234567890.1200"), "double", 0.1 + i,
        "bool", i % 2 == 0, "date", LocalDate.of(1970, 1, 1).plusDays(i), "dateTime", LocalDateTime.of(2026, 12, 1, 23, 59, 59, 999_999_000),
        "time", LocalTime.of(0, 0, 0, 1_000), "instant", Instant.parse("2026-03-29T01:30:00.123456Z"),
        "offset", OffsetDateTime.of(2026, 10, 25, 2, 30, 0, 0, ZoneOffset.ofHours(2)),
        "nested", Fields.of("origin", "A", "base", Fields.of("name", "Ana", "amount", 5L)));
  }

  @Test
  default void saved_comesBackExactly_afterReopening_progressAndEntriesWithTheirTypes() {
    String name = name("types");
    Map<String, String> run = Map.of("source", "table crm.contacts", "transform", "v2 ünïcode");
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      entries.add(new Entry("links", "k-" + i, "b-" + i, i % 3 == 0 ? "LINKED" : null, everyType(i)));
    }
    entries.add(new Entry("ledger", "k-0", null, null, Fields.empty()));   // same key, another space
    try (NamedState state = store().open(name)) {
      assertEquals(Optional.empty(), state.progress(w -> { }), "a name never saved has no progress");
      state.save(progress(1, run), entries);
    }
    try (NamedState state = store().open(name)) {
      assertEquals(Optional.of(progress(1, run)), state.progress(w -> { }));
      Map<String, Entry> links = state.entries("links", List.of("k-0", "k-7", "k-19", "absent"));
      assertEquals(Map.of("k-0", entries.get(0), "k-7", entries.get(7), "k-19", entries.get(19)), links);
      for (String field : everyType(7).names()) {
        assertEquals(everyType(7).get(field).getClass(), links.get("k-7").value().get(field).getClass(),
            "field '" + field + "' keeps its type");
      }
      assertEquals(Map.of("k-0", entries.get(20)), state.entries("ledger", List.of("k-0", "k-1")));
      assertEquals(Map.of("b-3", entries.get(3)), state.entriesByAlias("links", List.of("b-3", "k-3")));
      assertEquals(7, state.count("links", "LINKED"));
      assertEquals(0, state.count("ledger", "LINKED"));
    }
  }

  @Test
  default void keysOfAnyShape_areKeptApart_andFoundExactly() {
    Random random = TestKitState.random("state store keys");
    StringBuilder longKey = new StringBuilder();
    while (longKey.length() < 200) {
      longKey.append("ab\u00e9\u6f22".charAt(random.nextInt(4)));
    }
    List<String> keys = List.of("a", "A", "a ", " a", "e\u0301", "\u00e9", "", "'; DROP TABLE x; --", "100", "1e2",
        "tab\tnew\nline", "%_*?", "\ud83d\ude00", longKey.toString());
    String name = name("keys");
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      entries.add(new Entry("links", keys.get(i), "alias:" + keys.get(i), null, Fields.of("i", i)));
    }
    try (NamedState state = store().open(name)) {
      state.save(progress(1, Map.of()), entries);
    }
    try (NamedState state = store().open(name)) {
      Map<String, Entry> found = state.entries("links", keys);
      assertEquals(keys.size(), found.size(), "each key its own entry: " + found.keySet());
      for (int i = 0; i < keys.size(); i++) {
        assertEquals(entries.get(i), found.get(keys.get(i)), "key #" + i);
        assertEquals(Map.of(keys.get(i), entries.get(i)), state.entries("links", List.of(keys.get(i))), "key #" + i + " alone");
        assertEquals(Map.of("alias:" + keys.get(i), entries.get(i)), state.entriesByAlias("links", List.of("alias:" + keys.get(i))));
      }
      assertEquals(Map.of(), state.entries("links", List.of("b", "\u00c9", "a  ")), "no near miss matches");
    }
  }

  @Test
  default void aSaveReplacesEntriesByKey_movesTheirAlias_andRecountsTags() {
    String name = name("replace");
    try (NamedState state = store().open(name)) {
      state.save(progress(1, Map.of()), List.of(new Entry("links", "a1", "b1", "PENDING", Fields.of("v", 1)),
          new Entry("links", "a2", "b2", "LINKED", Fields.of("v", 2))));
      state.save(progress(2, Map.of()), List.of(new Entry("links", "a1", "b9", "LINKED", Fields.of("v", 3)),
          new Entry("links", "a1", "b9", "LINKED", Fields.of("v", 4))));   // the last of one key stands
      assertEquals(Map.of("b9", new Entry("links", "a1", "b9", "LINKED", Fields.of("v", 4))),
          state.entriesByAlias("links", List.of("b1", "b9")), "b1 freed, b9 taken");
      assertEquals(2, state.count("links", "LINKED"));
      assertEquals(0, state.count("links", "PENDING"));
      state.save(progress(3, Map.of()), List.of(new Entry("links", "a3", "b1", null, Fields.empty())));   // a freed alias is free
      assertEquals("a3", state.entriesByAlias("links", List.of("b1")).get("b1").key());
    }
  }

  @Test
  default void anAliasHeldByAnotherKey_isRefused_andNothingOfTheSaveIsKept() {
    String name = name("alias");
    try (NamedState state = store().open(name)) {
      state.save(progress(1, Map.of()), List.of(new Entry("links", "a1", "b1", null, Fields.empty())));
      IllegalArgumentException held = assertThrows(IllegalArgumentException.class, () -> state.save(progress(2, Map.of()),
          List.of(new Entry("links", "a0", null, null, Fields.empty()), new Entry("links", "a2", "b1", null, Fields.empty()))));
      assertEquals("entries 'a1' and 'a2' of space 'links' would share the alias 'b1'; nothing was saved", held.getMessage());
      IllegalArgumentException twins = assertThrows(IllegalArgumentException.class, () -> state.save(progress(2, Map.of()),
          List.of(new Entry("links", "a3", "b3", null, Fields.empty()), new Entry("links", "a4", "b3", null, Fields.empty()))));
      assertEquals("entries 'a3' and 'a4' of space 'links' would share the alias 'b3'; nothing was saved", twins.getMessage());
      assertEquals(1, state.progress(w -> { }).orElseThrow().sequence());
      assertEquals(Set.of("a1"), state.entries("links", List.of("a0", "a1", "a2", "a3", "a4")).keySet());
    }
  }

  /**
   * An alias moves between keys one save replaces, in any order of the save's entries: two links
   * swapping their B keys, a link ended (its alias freed) while another key takes its B key. A
   * correlation's round does both when a better pair takes a record.
   */
  @Test
  default void anAliasMovesBetweenKeysOfOneSave_inAnyOrder() {
    String name = name("moves");
    try (NamedState state = store().open(name)) {
      state.save(progress(1, Map.of()), List.of(new Entry("links", "a1", "b1", "LINKED", Fields.empty()),
          new Entry("links", "a2", "b2", "LINKED", Fields.empty()), new Entry("links", "a3", "b3", "LINKED", Fields.empty())));
      state.save(progress(2, Map.of()), List.of(new Entry("links", "a1", "b2", "LINKED", Fields.of("v", 1)),
          new Entry("links", "a2", "b1", "LINKED", Fields.of("v", 2))));
      assertEquals("a1", state.entriesByAlias("links", List.of("b2")).get("b2").key(), "swapped");
      assertEquals("a2", state.entriesByAlias("links", List.of("b1")).get("b1").key(), "swapped");
      state.save(progress(3, Map.of()), List.of(new Entry("links", "a4", "b3", "LINKED", Fields.empty()),
          new Entry("links", "a3", null, "ENDED", Fields.empty())));   // the new holder first, the old one freed after
      assertEquals("a4", state.entriesByAlias("links", List.of("b3")).get("b3").key());
      assertEquals(null, state.entries("links", List.of("a3")).get("a3").alias());
      assertEquals(3, state.count("links", "LINKED"));
      assertEquals(3, state.progress(w -> { }).orElseThrow().sequence());
    }
    try (NamedState again = store().open(name)) {
      assertEquals(Set.of("b1", "b2", "b3"), again.entriesByAlias("links", List.of("b1", "b2", "b3")).keySet(), "as saved");
      assertEquals("a4", again.entriesByAlias("links", List.of("b3")).get("b3").key(), "as saved");
    }
  }

  @Test
  default void aValueOfATypeNotKept_isRefusedNamingTheField_andNothingIsSaved() {
    String name = name("refused");
    try (NamedState state = store().open(name)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> state.save(progress(1, Map.of()),
          List.of(new Entry("links", "a1", null, null, Fields.of("base", Fields.of("photo", new byte[] {1}))))));
      assertTrue(e.getMessage().startsWith("field 'base.photo' holds a [B; stored fields hold text"), e.getMessage());
      assertEquals(Optional.empty(), state.progress(w -> { }));
      assertEquals(Map.of(), state.entries("links", List.of("a1")));
    }
  }

  @Test
  default void clear_forgetsProgressAndEveryEntry_ofThatNameOnly() {
    String name = name("clear");
    String other = name("other");
    try (NamedState keep = store().open(other)) {
      keep.save(progress(1, Map.of()), List.of(new Entry("links", "a1", "b1", "LINKED", Fields.empty())));
    }
    try (NamedState state = store().open(name)) {
      state.save(progress(1, Map.of()), List.of(new Entry("links", "a1", "b1", "LINKED", Fields.empty())));
      state.clear();
      assertEquals(Optional.empty(), state.progress(w -> { }));
      assertEquals(Map.of(), state.entries("links", List.of("a1")));
      assertEquals(0, state.count("links", "LINKED"));
      state.save(progress(1, Map.of()), List.of(new Entry("links", "a2", "b1", null, Fields.empty())));   // b1 is free again
    }
    try (NamedState state = store().open(other)) {
      assertEquals(1, state.count("links", "LINKED"), "another name's state is untouched");
    }
  }

  @Test
  default void manySaves_thenReopening_givesTheLatestOfEach() {
    String name = name("many");
    String big = "x".repeat(2_000);
    try (NamedState state = store().open(name)) {
      for (int s = 1; s <= 400; s++) {
        List<Entry> entries = new ArrayList<>();
        for (int k = 0; k < 5; k++) {
          int key = (s * 5 + k) % 300;
          entries.add(new Entry("links", "k" + key, "b" + key, s % 2 == 0 ? "EVEN" : "ODD", Fields.of("s", s, "pad", big)));
        }
        state.save(progress(s, Map.of()), entries);
      }
    }
    try (NamedState state = store().open(name)) {
      assertEquals(400, state.progress(w -> { }).orElseThrow().sequence());
      Map<String, Entry> all = state.entries("links", java.util.stream.IntStream.range(0, 300).mapToObj(k -> "k" + k).toList());
      assertEquals(300, all.size());
      for (int key = 0; key < 300; key++) {
        int last = 0;
        for (int s = 1; s <= 400; s++) {
          for (int k = 0; k < 5; k++) {
            if ((s * 5 + k) % 300 == key) {
              last = s;
            }
          }
        }
        assertEquals(last, all.get("k" + key).value().get("s"), "k" + key);
      }
      assertEquals(300, state.count("links", "EVEN") + state.count("links", "ODD"));
    }
  }

  @Test
  default void readsFromTwoThreadsAtOnce_seeWhatWasSaved() throws Exception {
    String name = name("threads");
    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      entries.add(new Entry("links", "k" + i, "b" + i, "LINKED", Fields.of("i", i)));
    }
    try (NamedState state = store().open(name)) {
      state.save(progress(1, Map.of()), entries);
      List<String> keys = entries.stream().map(Entry::key).toList();
      List<String> aliases = entries.stream().map(Entry::alias).toList();
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
      try {
        List<java.util.concurrent.Future<Integer>> reads = new ArrayList<>();
        for (int r = 0; r < 20; r++) {
          reads.add(pool.submit(() -> state.entries("links", keys).size()));
          reads.add(pool.submit(() -> state.entriesByAlias("links", aliases).size()));
        }
        for (java.util.concurrent.Future<Integer> read : reads) {
          assertEquals(300, read.get(60, TimeUnit.SECONDS));
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  default void aNameIsHeldByOneRunAtATime_inThisProcess() {
    String name = name("held");
    StateStore one = store();
    try (NamedState held = one.open(name)) {
      SetupException e = assertThrows(SetupException.class, () -> store().open(name));
      assertTrue(e.getMessage().startsWith("State '" + name + "' is held by another run"), e.getMessage());
      store().open(name + "-other").close();   // another name is free
      held.save(progress(1, Map.of()), List.of());
    }
    try (NamedState again = store().open(name)) {
      assertEquals(1, again.progress(w -> { }).orElseThrow().sequence(), "closed, and taken again");
    }
  }

  /**
   * Cuts whatever holds {@code name}'s lock in {@code held}'s store (the database connection), as a
   * server restart, a network cut or an idle timeout would, ending only that connection (found by
   * its own lock, never by a query that reaches other sessions); false where the store's holds live
   * on nothing that can be cut (a file lock, memory, an embedded database).
   */
  default boolean cutHold(String name) {
    return false;
  }

  /**
   * A hold whose connection is cut: where nobody took the name meanwhile, the run's check takes it
   * again and its saves go on; where another run took it, the first run's save is refused by its
   * fencing token (nothing of it saved) and its check says the hold is lost.
   */
  @Test
  default void aHoldWhoseConnectionIsCut_isTakenAgainIfFree_andFencedOffOnceAnotherRunTookIt() {
    String name = "cut-" + UUID.randomUUID();
    NamedState first = store().open(name);
    try {
      org.junit.jupiter.api.Assumptions.assumeTrue(cutHold(name), "this store's holds live on nothing that can be cut");
      first.check();   // nobody took it: taken again
      Progress one = Progress.start(Instant.parse("2026-12-01T10:00:00Z"));
      first.save(one, List.of(new Entry("s", "k", null, null, Fields.of("v", 1L))));
      assertTrue(cutHold(name), "the hold taken again lives on a connection too");
      try (NamedState second = store().open(name)) {   // the lock went with the connection: another run takes the name
        assertThrows(dev.patchbay.core.HoldLostException.class,
            () -> first.save(Progress.start(Instant.parse("2026-12-01T11:00:00Z")),
                List.of(new Entry("s", "k", null, null, Fields.of("v", 2L)))), "a save under a lost hold is refused");
        assertThrows(dev.patchbay.core.HoldLostException.class, first::check);
        assertEquals(one, second.progress(w -> { }).orElseThrow(), "nothing of the refused save was kept");
        assertEquals(Fields.of("v", 1L), second.entries("s", List.of("k")).get("k").value());
        second.save(Progress.start(Instant.parse("2026-12-01T12:00:00Z")), List.of());
        second.check();
      }
    } finally {
      first.close();
    }
  }

  /**
   * Two instances of a service starting at once over a state store nobody opened before both make
   * its tables: each must open (a fault found in the JDBC store, where the loser of PostgreSQL's race
   * between two {@code CREATE TABLE IF NOT EXISTS} failed with a unique violation on the catalog).
   */
  @Test
  default void storesOpenedAtOnce_overANewPlace_allOpen() throws Exception {
    for (int round = 0; round < 5; round++) {
      Optional<java.util.function.Supplier<StateStore>> place = newPlace();
      assumeTrue(place.isPresent(), "no new place to open");
      int n = 6;
      java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(n);
      java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
      try {
        List<java.util.concurrent.Future<StateStore>> opened = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          opened.add(pool.submit(() -> {
            together.await();
            return place.get().get();
          }));
        }
        String name = name("race");
        for (java.util.concurrent.Future<StateStore> f : opened) {
          StateStore store;
          try {
            store = f.get(60, TimeUnit.SECONDS);
          } catch (java.util.concurrent.ExecutionException e) {
            throw new AssertionError("a store opened at the same moment as " + (n - 1) + " others over a new place failed: "
                + e.getCause().getMessage(), e.getCause());
          }
          try (NamedState state = store.open(name)) {
            assertTrue(state.progress(w -> { }).isEmpty(), "a new place holds nothing");
          }
        }
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  default void aNameHeldByAnotherProcess_isRefused_untilThatProcessEnds() throws Exception {
    Optional<Place> place = placeForAnotherProcess();
    assumeTrue(place.isPresent(), "this store lives in one process");
    StateStore here = store();   // here first: a store this run skips (a database not among those tested) is skipped, not failed in the child
    String name = name("process");
    Process child = StateStoreChild.start(place.get(), "hold", name, 0);
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("held", out.readLine(), "the child holds the name");
      SetupException e = assertThrows(SetupException.class, () -> here.open(name));
      assertTrue(e.getMessage().startsWith("State '" + name + "' is held by another run"), e.getMessage());
    } finally {
      child.destroyForcibly().waitFor();
    }
    store().open(name).close();
  }

  /**
   * T1: a child JVM saves one state after another (every entry of a save holds the save's number)
   * and is halted ({@code Runtime.halt}) at a random moment after its first save, many times over; after each halt the
   * store holds the last save the child saw complete, or the one it was making, and every entry
   * is of that same save.
   */
  @Test
  default void aSaveCutByAHalt_leavesTheOldStateOrTheNew_neverAMixture() throws Exception {
    Optional<Place> place = placeForAnotherProcess();
    assumeTrue(place.isPresent(), "this store lives in one process");
    StateStore here = store();   // here first: a store this run skips is skipped, not failed in the child
    Random random = TestKitState.random("state store halted saves");
    String name = name("halt");
    long before = 0;
    for (int attempt = 0; attempt < 6; attempt++) {
      int haltAfterMillis = random.nextInt(400);   // after the child's first save
      Process child = StateStoreChild.start(place.get(), "save", name, haltAfterMillis);
      long confirmed = before;
      BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith("saved ")) {
          confirmed = Long.parseLong(line.substring(6));
        }
      }
      assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends");
      assertEquals(StateStoreChild.HALTED, child.exitValue(), "the child was halted (attempt " + attempt + ")");
      try (NamedState state = here.open(name)) {
        long saved = state.progress(w -> { }).map(Progress::sequence).orElse(0L);
        assertTrue(saved == confirmed || saved == confirmed + 1, "halted after save " + confirmed + ", the store holds save "
            + saved + " (attempt " + attempt + ", halt after " + haltAfterMillis + " ms)");
        Map<String, Entry> entries = state.entries("links", StateStoreChild.keys());
        Map<Object, Long> bySave = new LinkedHashMap<>();
        entries.values().forEach(e -> bySave.merge(e.value().get("save"), 1L, Long::sum));
        if (saved > 0) {
          assertEquals(Map.of((int) saved, (long) StateStoreChild.ENTRIES), bySave, "every entry of save " + saved);
          assertEquals(saved % 2 == 0 ? StateStoreChild.ENTRIES : 0, state.count("links", "EVEN"));
        }
        before = saved;
      }
    }
    assertTrue(before > 0, "the children saved something");
  }

}
