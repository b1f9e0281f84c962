package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.connectors.ConnectorRegistry;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The contract every Patchbay connector of {@link Fields} records keeps. Implement this interface in
 * a JUnit 5 test class, return a fresh connector from {@link #newConnector()}, and run it: each
 * {@code @Test} below checks one promise, and a capability the connector does not declare skips
 * the checks that need it.
 *
 * <pre>{@code
 * class CrmContactsConnectorTest implements ConnectorContract {
 *   public Connector newConnector() { return new CrmContacts(testServer.url(), "contacts_" + UUID.randomUUID()); }
 *   public int pageSize() { return 25; }
 * }
 * }</pre>
 *
 * <p>Records the kit writes have the fields {@code name} and {@code email} (text) and
 * {@code amount} (a {@code Long}); the connector must store and return them as written. Versions
 * are epoch microseconds, whole seconds apart; a connector that stamps its own modification times
 * (with its system's clock, as it should) may ignore them. Random data comes from a seed that each test prints; set {@code -Dpatchbay.seed=N} to
 * reproduce a run.
 */
public interface ConnectorContract {

  /** A new connector over an empty data element, used by one test and closed after it. */
  Connector newConnector();

  /** How many records the connector reads per page or fetch, so the kit can cross page boundaries. */
  default int pageSize() {
    return 10;
  }

  /**
   * What the connector is documented to make of {@code written} when it stores it: the kit
   * compares values read back with this. By default the values themselves: every value comes back
   * exactly. A connector that stores an empty text as nothing (a CSV file) says so here.
   */
  default Fields normalized(Fields written) {
    return written;
  }

  /**
   * A second connector, over an empty data element whose fields are of every type the connector
   * stores, with records of hard values for it to hold (the edges of each type): the kit writes them
   * and reads them back by key and in pages. Empty, by default, to skip.
   */
  default Optional<TypedData> typedData() {
    return Optional.empty();
  }

  /**
   * Text past 65,536 characters, made of characters outside the BMP (surrogate pairs), shifted by
   * {@code shift} characters: with shifts 0 and 1 a pair falls across character 65,536 (and every
   * other 65,536-character boundary of a buffer) wherever the value starts. The kit's typed check
   * asks for both among the typed records, as drivers that encode text a buffer at a time break
   * exactly such a pair.
   */
  static String longText(int shift) {
    return "x".repeat(shift) + "\ud83d\ude00".repeat(35_000) + "\ud834\udd1e".repeat(35_000) + "end";
  }

  /**
   * Records of hard values of every type, and a connector to hold them.
   *
   * @param connector over an empty data element whose fields take the records' values
   * @param records   the values, keyed; each comes back equal (numbers by value), or as
   *                  {@link #normalized} says
   */
  record TypedData(Connector connector, List<Envelope<Fields>> records) {
  }

  /**
   * Makes the place {@code connector} writes to disappear, as an operator or another system might
   * (drops its table, deletes its file's directory, deletes its queue); false where this connector's
   * target cannot disappear, to skip the check.
   */
  default boolean removeTarget(Connector connector) {
    return false;
  }

  /**
   * A connector like {@link #newConnector()}'s whose system cannot be reached (a closed port, a
   * server stopped), or empty to skip: each call it makes must fail with a
   * {@link TransientException}, so that a pattern retries it, never with another
   * exception and never with an empty answer.
   */
  default Optional<Connector> unreachable() {
    return Optional.empty();
  }

  /**
   * Makes the record with {@code key}, written through {@code connector}, unreadable in the system
   * as a person or another program might (a malformed line of a file, a value of another type);
   * false where the system cannot hold such a record, to skip the check.
   */
  default boolean plantUnreadable(Connector connector, String key) {
    return false;
  }

  /** Secret values used to configure the connector: none may appear in its toString or description. */
  default List<String> secretValues() {
    return List.of();
  }

  /** Settings the connector's type must refuse, naming each bad setting in one error; empty to skip. */
  default Optional<InvalidSettings> invalidSettings() {
    return Optional.empty();
  }

  /**
   * Settings that a {@link ConnectorType} must refuse all at once.
   *
   * @param mustName the setting names the error message must mention
   */
  record InvalidSettings(ConnectorType type, Map<String, String> settings, List<String> mustName) {
  }

  @AfterEach
  default void closeConnectorsOfThisTest() {
    TestKitState.closeAll();
  }

  // ---------------------------------------------------------------------------------------------

  @Test
  default void close_canBeCalledTwice_andLeavesTheConnectorDescribable() {
    Connector c = newConnector();
    ConnectorDescription before = c.description();
    assertDoesNotThrow(c::close, "the first close");
    assertDoesNotThrow(c::close, "the second close");
    assertEquals(before, c.description(), "a closed connector still describes itself, unchanged");
    assertFalse(c.toString().isBlank(), "and names itself");
  }

  @Test
  default void declaredCapabilities_areTheImplementedOnes() {
    Connector c = open();
    Set<Capability> declared = c.description().capabilities();
    assertEquals(c instanceof Source<?>, declared.contains(Capability.READ_PAGES), "READ_PAGES <=> implements Source");
    assertEquals(c instanceof ChangeFeed<?>, declared.contains(Capability.READ_CHANGES), "READ_CHANGES <=> implements ChangeFeed");
    assertEquals(c instanceof Lookup<?>, declared.contains(Capability.READ_BY_KEYS), "READ_BY_KEYS <=> implements Lookup");
    assertEquals(c instanceof Destination<?>,
        declared.contains(Capability.UPSERT) || declared.contains(Capability.DELETE), "UPSERT or DELETE <=> implements Destination");
    if (declared.contains(Capability.DELETES_VISIBLE)) {
      assertTrue(declared.contains(Capability.READ_CHANGES), "DELETES_VISIBLE needs READ_CHANGES");
    }
  }

  @Test
  default void secrets_neverAppearInToStringOrDescription() {
    assumeTrue(!secretValues().isEmpty(), "no secret values declared (secretValues()): nothing to check");
    Connector c = open();
    for (String secret : secretValues()) {
      assertFalse(c.toString().contains(secret), "toString shows a secret: " + c);
      assertFalse(c.description().toString().contains(secret), "the description shows a secret");
    }
  }

  @Test
  default void invalidSettings_failWithEveryFieldErrorAtOnce() {
    Optional<InvalidSettings> invalid = invalidSettings();
    assumeTrue(invalid.isPresent(), "no invalid settings given");
    ConnectorType type = invalid.get().type();
    ConnectorRegistry registry = ConnectorRegistry.builder().type(type).build();
    SetupException e = assertThrows(SetupException.class, () -> registry.open(type.name(), invalid.get().settings()));
    for (String name : invalid.get().mustName()) {
      assertTrue(e.getMessage().contains(name), "the error names '" + name + "': " + e.getMessage());
    }
    for (String secret : secretValues()) {
      assertFalse(e.getMessage().contains(secret), "the error shows a secret: " + e.getMessage());
    }
  }

  @Test
  default void writes_answerOneOutcomePerChange_inOrder() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.UPSERT), "not declared: UPSERT");
    List<Envelope<Fields>> records = TestKitState.records(TestKitState.random("writes"), 7, 1);
    List<Outcome> outcomes = destination(c).write(upserts(records));
    assertEquals(records.size(), outcomes.size(), "one outcome per change written: " + outcomes);
    for (int i = 0; i < records.size(); i++) {
      assertEquals(records.get(i).key(), outcomes.get(i).key(), "outcome " + i + " answers change " + i + "'s key: " + outcomes);
      assertTrue(outcomes.get(i) instanceof Outcome.Created
              || (!c.description().can(Capability.READ_BY_KEYS) && outcomes.get(i) instanceof Outcome.Updated),
          "a new record is CREATED (or UPDATED, by a connector that cannot read what it holds): " + outcomes.get(i));
    }
  }

  @Test
  default void aBatchMixingCreatesUpdatesAndDeletes_answersEachChangeByItsKey() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.DELETE)
        && c.description().can(Capability.READ_BY_KEYS), "not declared: UPSERT, DELETE and READ_BY_KEYS");
    List<Envelope<Fields>> records = TestKitState.records(TestKitState.random("mixed batch"), 6, 1);
    destination(c).write(upserts(records.subList(0, 4)));
    List<Change<Fields>> mixed = List.of(
        Change.delete(records.get(1).key()),
        Change.upsert(new Envelope<>(records.get(0).key(), records.get(0).version(), records.get(0).payload().with("name", "Changed"))),
        Change.upsert(records.get(4)),
        Change.delete("never-written"),
        Change.upsert(records.get(2)),
        Change.delete(records.get(3).key()),
        Change.upsert(records.get(5)));
    List<Outcome> outcomes = destination(c).write(mixed);
    assertEquals(mixed.stream().map(Change::key).toList(), outcomes.stream().map(Outcome::key).toList(),
        "one outcome per change, in order, each for its change's key (keys in a batch are distinct)");
    List<Class<?>> kinds = outcomes.stream().<Class<?>>map(Object::getClass).toList();
    assertEquals(List.of(Outcome.Deleted.class, Outcome.Updated.class, Outcome.Created.class, Outcome.Unchanged.class,
        Outcome.Unchanged.class, Outcome.Deleted.class, Outcome.Created.class), kinds,
        "deleted, updated, created, a delete of nothing unchanged, the same record unchanged, deleted, created");
    Map<String, Envelope<Fields>> held = lookup(c).lookup(keys(records));
    assertEquals(Set.of(records.get(0).key(), records.get(2).key(), records.get(4).key(), records.get(5).key()), held.keySet(),
        "after the batch, the keys held are the updated, the created and the rewritten ones; the deleted are gone");
    assertEquals("Changed", held.get(records.get(0).key()).payload().get("name"));
  }

  /**
   * Accepted means held: after the connector's target disappeared, a write either fails, or every
   * record it answers as written is there to be read back by key. Never an accepted write that
   * went nowhere (a queue's unroutable message confirmed, a file written into a removed directory).
   */
  @Test
  default void aTargetThatDisappeared_neverAnswersAWriteAsAcceptedThatItDoesNotHold() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "not declared: UPSERT and READ_BY_KEYS");
    destination(c).write(upserts(TestKitState.records(TestKitState.random("target gone"), 2, 1)));
    assumeTrue(removeTarget(c), "this connector's target cannot disappear (removeTarget)");
    List<Envelope<Fields>> later = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      later.add(new Envelope<>("after-" + i, TestKitState.BASE_TIME, Fields.of("name", "after " + i, "email",
          "a" + i + "@example.org", "amount", (long) i)));
    }
    List<Outcome> outcomes;
    try {
      outcomes = destination(c).write(upserts(later));
    } catch (RuntimeException e) {
      return;   // the write failed: nothing was taken as accepted
    }
    List<String> accepted = outcomes.stream().filter(o -> !(o instanceof Outcome.Failed)).map(Outcome::key).toList();
    Map<String, Envelope<Fields>> held;
    try {
      held = lookup(c).lookup(accepted);
    } catch (RuntimeException e) {
      throw new AssertionError("the write answered " + accepted + " as accepted, but the target cannot be read: " + e, e);
    }
    assertEquals(new java.util.TreeSet<>(accepted), new java.util.TreeSet<>(held.keySet()),
        "every record answered as accepted is held");
  }

  @Test
  default void oddKeys_roundTripExactly() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "not declared: UPSERT and READ_BY_KEYS");
    List<String> odd = List.of("with space", " leading", "trailing ", "\u00fcn\u00efc\u00f6d\u00e9", "\u65e5\u672c\u8a9e",
        "emoji-\ud83d\ude00", "quote'\"double\"", "comma,semi;colon:", "slash/back\\", "k".repeat(200));
    List<Envelope<Fields>> records = new ArrayList<>();
    for (int i = 0; i < odd.size(); i++) {
      records.add(new Envelope<>(odd.get(i), TestKitState.BASE_TIME, Fields.of("name", "odd " + i, "email", "o" + i + "@example.org",
          "amount", (long) i)));
    }
    List<Outcome> outcomes = destination(c).write(upserts(records));
    outcomes.forEach(o -> assertTrue(o instanceof Outcome.Created, "an odd key is written as it is: " + o));
    Map<String, Envelope<Fields>> held = lookup(c).lookup(odd);
    assertEquals(new java.util.TreeSet<>(odd), new java.util.TreeSet<>(held.keySet()), "every odd key found by itself, exactly");
    if (c.description().can(Capability.READ_PAGES)) {
      List<String> read = new ArrayList<>();
      try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
        cursor.forEachRemaining(r -> read.add(r.key()));
      }
      assertEquals(new java.util.TreeSet<>(odd), new java.util.TreeSet<>(read), "and read back exactly");
    }
  }

  @Test
  default void absentEmptyAndHardValues_roundTripExactly_orAsDocumented() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "not declared: UPSERT and READ_BY_KEYS");
    String nonBmp = "\ud83d\ude00\ud834\udd1e";
    List<Fields> hard = List.of(
        Fields.of("name", "only a name"),
        Fields.of("email", "no name@example.org", "amount", 0L),
        Fields.of("name", "", "email", " ", "amount", -1L),
        Fields.of("name", "line\nfeed", "email", "carriage\rreturn", "amount", Long.MAX_VALUE),
        Fields.of("name", "crlf\r\ncrlf", "email", "sep\u2028para\u2029next\u0085", "amount", Long.MIN_VALUE),
        Fields.of("name", "tab\tquote\"comma,semicolon;", "email", "'single' \\ back", "amount", 1L),
        Fields.of("name", (nonBmp + " \u00e9\u00fc\u00df ").repeat(15), "email", nonBmp + "@example.org", "amount", 42L),
        Fields.of("name", "  padded  ", "email", "trailing\n", "amount", -500_000L));
    List<Envelope<Fields>> records = new ArrayList<>();
    for (int i = 0; i < hard.size(); i++) {
      records.add(new Envelope<>(String.format("hard-%02d", i), TestKitState.BASE_TIME, hard.get(i)));
    }
    destination(c).write(upserts(records));
    Map<String, Envelope<Fields>> held = lookup(c).lookup(keys(records));
    for (Envelope<Fields> r : records) {
      assertTrue(held.containsKey(r.key()), "found by key: " + r.key());
      assertSameValues(normalized(r.payload()), held.get(r.key()).payload(), "by key, as written: " + r.key());
    }
    if (c.description().can(Capability.READ_PAGES)) {
      Map<String, Fields> read = new TreeMap<>();
      try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
        cursor.forEachRemaining(r -> read.put(r.key(), r.payload()));
      }
      for (Envelope<Fields> r : records) {
        assertTrue(read.containsKey(r.key()), "read in pages: " + r.key());
        assertSameValues(normalized(r.payload()), read.get(r.key()), "read in pages, as written: " + r.key());
      }
    }
  }

  @Test
  default void valuesOfEveryTypeItStores_roundTrip() {
    Optional<TypedData> typed = typedData();
    assumeTrue(typed.isPresent(), "no typed data given (typedData())");
    Connector c = TestKitState.track(typed.get().connector());
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "not declared: UPSERT and READ_BY_KEYS");
    List<Envelope<Fields>> records = typed.get().records();
    for (int shift = 0; shift < 2; shift++) {
      String text = longText(shift);
      assertTrue(records.stream().anyMatch(r -> r.payload().names().stream().anyMatch(n -> text.equals(r.payload().get(n)))),
          "the typed records hold longText(0) and longText(1): text past 65,536 characters outside the BMP");
    }
    List<Outcome> outcomes = destination(c).write(upserts(records));
    outcomes.forEach(o -> assertTrue(o instanceof Outcome.Created, "every typed record is written: " + o));
    Map<String, Envelope<Fields>> held = lookup(c).lookup(keys(records));
    Map<String, Fields> paged = new TreeMap<>();
    if (c.description().can(Capability.READ_PAGES)) {
      try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
        cursor.forEachRemaining(r -> paged.put(r.key(), r.payload()));
      }
    }
    for (Envelope<Fields> r : records) {
      Fields expected = normalized(r.payload());
      assertTrue(held.containsKey(r.key()), "found by key: " + r.key());
      assertSameValues(expected, held.get(r.key()).payload(), "by key, as written: " + r.key());
      if (c.description().can(Capability.READ_PAGES)) {
        assertTrue(paged.containsKey(r.key()), "read in pages: " + r.key());
        assertSameValues(expected, paged.get(r.key()), "in pages, as written: " + r.key());
      }
    }
    assertTrue(destination(c).write(upserts(records)).stream().allMatch(o -> !(o instanceof Outcome.Failed)),
        "written again without a failure");
  }

  @Test
  default void concurrentWrites_asDeclared_eachLandWhole_whileACursorReads() throws Exception {
    Connector c = open();
    assumeTrue(c.description().can(Capability.CONCURRENT_WRITES), "not declared: CONCURRENT_WRITES");
    assertTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "CONCURRENT_WRITES needs UPSERT and READ_BY_KEYS, to be checked");
    List<Envelope<Fields>> first = TestKitState.records(TestKitState.random("concurrent seed"), 50, 1);
    destination(c).write(upserts(first));
    int threads = 4;
    List<List<Envelope<Fields>>> parts = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      List<Envelope<Fields>> part = new ArrayList<>();
      for (Envelope<Fields> r : TestKitState.records(TestKitState.random("concurrent " + t), 40, 1)) {
        part.add(new Envelope<>("t" + t + "-" + r.key(), r.version(), r.payload()));
      }
      parts.add(part);
    }
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads + 1);
    try {
      java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
      List<java.util.concurrent.Future<List<Outcome>>> writes = new ArrayList<>();
      for (List<Envelope<Fields>> part : parts) {
        writes.add(pool.submit(() -> {
          start.await();
          return destination(c).write(upserts(part));
        }));
      }
      java.util.concurrent.Future<Integer> reading = pool.submit(() -> {
        start.await();
        if (!(c instanceof Source<?>)) {
          return -1;
        }
        int n = 0;
        try (Cursor<?> cursor = ((Source<?>) c).read(Checkpoint.start())) {
          while (cursor.hasNext()) {
            cursor.next();
            n++;
          }
        }
        return n;
      });
      start.countDown();
      for (int t = 0; t < threads; t++) {
        List<Outcome> outcomes = writes.get(t).get(60, java.util.concurrent.TimeUnit.SECONDS);
        assertEquals(parts.get(t).size(), outcomes.size(), "one outcome per change of concurrent write " + t);
        outcomes.forEach(o -> assertTrue(o instanceof Outcome.Created, "each concurrent write is CREATED: " + o));
      }
      int read = reading.get(60, java.util.concurrent.TimeUnit.SECONDS);
      assertTrue(read == -1 || read >= first.size(), "a cursor read at the same time saw at least what was there: " + read);
    } finally {
      pool.shutdownNow();
    }
    for (List<Envelope<Fields>> part : parts) {
      assertSameRecords(payloads(part), payloads(new ArrayList<>(lookup(c).lookup(keys(part)).values())),
          "every record of every concurrent write is there, as written");
    }
  }

  @Test
  default void anUpsertWrittenTwice_isANoOp() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "not declared: UPSERT and READ_BY_KEYS");
    List<Envelope<Fields>> records = TestKitState.records(TestKitState.random("upsert twice"), 12, 1);
    destination(c).write(upserts(records));
    Map<String, Envelope<Fields>> once = lookup(c).lookup(keys(records));
    List<Outcome> again = destination(c).write(upserts(records));
    Map<String, Envelope<Fields>> twice = lookup(c).lookup(keys(records));
    assertSameRecords(payloads(new ArrayList<>(once.values())), payloads(new ArrayList<>(twice.values())),
        "the same upserts written again changed the records held");
    for (Envelope<Fields> r : once.values()) {
      assertEquals(r.version(), twice.get(r.key()).version(), "record " + r.key() + "'s version moved when the same upsert was written again");
    }
    assertSameRecords(payloads(records), payloads(new ArrayList<>(once.values())), "records read back as written");
    if (c.description().can(Capability.IDEMPOTENT_WRITES)) {
      again.forEach(o -> assertTrue(o instanceof Outcome.Unchanged, "the same record again is UNCHANGED: " + o));
    }
  }

  @Test
  default void pagedRead_resumedAfterCrashesMidPage_hasNoGapAndNoOverlap() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.READ_PAGES) && c.description().can(Capability.UPSERT),
        "not declared: READ_PAGES and UPSERT");
    Random random = TestKitState.random("paged read");
    List<Envelope<Fields>> records = TestKitState.records(random, 3 * pageSize() + 7, 1);
    destination(c).write(upserts(records));
    List<String> read = new ArrayList<>();
    Checkpoint at = Checkpoint.start();
    for (int round = 0; round < 10_000; round++) {
      int take = random.nextInt(2 * pageSize() + 1);   // a crash after a random number of records
      boolean exhausted;
      try (Cursor<Fields> cursor = source(c).read(at)) {
        for (int i = 0; i < take && cursor.hasNext(); i++) {
          read.add(cursor.next().key());
        }
        exhausted = !cursor.hasNext();
        at = cursor.checkpoint();
      }
      if (exhausted) {
        break;
      }
    }
    assertOnceInOrder(new ArrayList<>(new TreeMap<>(byKey(records)).keySet()), read, "every record once, in key order");
  }

  @Test
  default void changeFeed_recordsSharingOneModificationTime_acrossPageBoundaries_haveNoGapAndNoOverlap() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.READ_CHANGES) && c.description().can(Capability.UPSERT),
        "not declared: READ_CHANGES and UPSERT");
    Random random = TestKitState.random("change feed");
    long sameTime = TestKitState.BASE_TIME;
    List<Envelope<Fields>> records = TestKitState.records(random, 3 * pageSize() + 5, 0).stream()
        .map(r -> new Envelope<>(r.key(), sameTime, r.payload())).toList();
    destination(c).write(upserts(records));

    Map<String, Integer> seen = new HashMap<>();
    Checkpoint at = readChanges(c, Checkpoint.start(), random, change -> seen.merge(change.key(), 1, Integer::sum));
    Map<String, Integer> once = new HashMap<>();
    records.forEach(r -> once.put(r.key(), 1));
    if (!once.equals(seen)) {
      List<String> missing = once.keySet().stream().filter(k -> !seen.containsKey(k)).sorted().toList();
      Map<String, Integer> repeated = new TreeMap<>();
      seen.forEach((k, n) -> {
        if (n != 1) {
          repeated.put(k, n);
        }
      });
      fail("each record sharing one modification time seen exactly once: " + missing.size()
          + " never seen " + missing + ", seen more than once (times) " + repeated);
    }

    List<Envelope<Fields>> updated = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Envelope<Fields> r = records.get(random.nextInt(records.size()));
      if (updated.stream().noneMatch(u -> u.key().equals(r.key()))) {
        updated.add(new Envelope<>(r.key(), sameTime + 60_000_000, r.payload().with("name", "changed " + i)));
      }
    }
    destination(c).write(upserts(updated));
    Map<String, Fields> later = new TreeMap<>();
    readChanges(c, at, random, change -> later.put(change.key(), ((Change.Upsert<Fields>) change).record().payload()));
    Map<String, Fields> expected = new TreeMap<>();
    updated.forEach(u -> expected.put(u.key(), u.payload()));
    assertSameRecords(expected, later, "after the checkpoint, exactly the records changed since");
  }

  @Test
  default void deletes_areVisibleAsDeclared() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.DELETE) && c.description().can(Capability.UPSERT),
        "not declared: DELETE and UPSERT");
    List<Envelope<Fields>> records = TestKitState.records(TestKitState.random("deletes"), 6, 1);
    destination(c).write(upserts(records));
    Checkpoint before = Checkpoint.start();
    if (c.description().can(Capability.READ_CHANGES)) {
      before = readChanges(c, Checkpoint.start(), new Random(1), change -> { });
    }
    List<String> gone = List.of(records.get(1).key(), records.get(4).key());
    List<Outcome> outcomes = destination(c).write(List.of(Change.delete(gone.get(0)), Change.delete(gone.get(1))));
    outcomes.forEach(o -> assertTrue(o instanceof Outcome.Deleted, "a delete of a held record is DELETED: " + o));
    List<Outcome> again = destination(c).write(List.of(Change.delete(gone.get(0))));
    if (c.description().can(Capability.READ_BY_KEYS)) {   // one that cannot read what it holds passes the delete on again
      assertTrue(again.get(0) instanceof Outcome.Unchanged, "deleting it again changes nothing: " + again.get(0));
    }
    if (c.description().can(Capability.READ_BY_KEYS)) {
      assertEquals(Map.of(), lookup(c).lookup(gone), "deleted records are not found by key");
    }
    if (c.description().can(Capability.READ_PAGES)) {
      List<String> left = new ArrayList<>();
      try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
        cursor.forEachRemaining(r -> left.add(r.key()));
      }
      assertEquals(records.size() - 2, left.size(), "a read after two deletes finds the others: " + left);
      assertFalse(left.contains(gone.get(0)) || left.contains(gone.get(1)), "deleted records are not read: " + left);
    }
    if (c.description().can(Capability.DELETES_VISIBLE)) {
      List<Change<Fields>> changes = new ArrayList<>();
      readChanges(c, before, new Random(2), changes::add);
      assertEquals(gone, changes.stream().map(Change::key).toList(), "the feed shows the two deletes, in order");
      changes.forEach(ch -> assertTrue(ch instanceof Change.Delete, "a delete shows as a Delete: " + ch));
    }
  }

  /**
   * Where the connector declares modification times ({@link ConnectorDescription#modificationTimePrecision()}),
   * a record's version is its modification time in epoch microseconds: never 0, rising with each
   * change of the key, and either the version written or a time near the system's clock. A version
   * that is 0 or a counter lets a sync's older edit win over a newer one, with no warning.
   */
  @Test
  default void versions_areModificationTimes_neverZero_risingPerKey_nearTheSystemsClock() throws InterruptedException {
    Connector c = open();
    Duration precision = c.description().modificationTimePrecision();
    assumeTrue(precision != null, "declares no modification time (modificationTimePrecision)");
    assumeTrue(c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS),
        "not declared: UPSERT and READ_BY_KEYS");
    List<Envelope<Fields>> records = TestKitState.records(TestKitState.random("versions"), 5, 1);
    destination(c).write(upserts(records));
    Map<String, Envelope<Fields>> first = lookup(c).lookup(keys(records));
    Instant clock = systemClock(c);
    for (Envelope<Fields> r : records) {
      assertTrue(first.containsKey(r.key()), "found by key: " + r.key());
      long version = first.get(r.key()).version();
      assertTrue(version != 0, "record " + r.key() + " read back with version 0, though the connector declares modification"
          + " times: a record's version is its modification time in epoch microseconds (a sync compares them)");
      assertTrue(version == r.version() || near(version, clock), "record " + r.key() + " read back with version " + version
          + " (" + TestKitState.asTime(version) + "): neither the version written (" + r.version() + ") nor near the system's clock ("
          + clock + "); versions are modification times in epoch microseconds, not counters");
    }
    Thread.sleep(Math.max(2, precision.toMillis() + 1));
    List<Envelope<Fields>> changed = records.stream()
        .map(r -> new Envelope<>(r.key(), r.version() + 60_000_000, r.payload().with("name", "changed " + r.key()))).toList();
    destination(c).write(upserts(changed));
    Map<String, Envelope<Fields>> second = lookup(c).lookup(keys(records));
    for (Envelope<Fields> r : records) {
      long before = first.get(r.key()).version();
      long after = second.get(r.key()).version();
      assertTrue(after > before, "record " + r.key() + " changed, but its version went from " + before + " ("
          + TestKitState.asTime(before) + ") to " + after + " (" + TestKitState.asTime(after) + "): a change's version rises");
    }
    if (c.description().can(Capability.READ_CHANGES)) {
      Map<String, Long> fed = new TreeMap<>();
      readChanges(c, Checkpoint.start(), new Random(3), ch -> fed.put(ch.key(), ch instanceof Change.Upsert<Fields> u
          ? u.record().version() : ((Change.Delete<Fields>) ch).version()));
      for (Envelope<Fields> r : records) {
        assertEquals(second.get(r.key()).version(), fed.get(r.key()), "record " + r.key() + "'s version in the change feed is"
            + " the one a lookup reads");
      }
    }
  }

  /**
   * Where the change feed tells its system's clock ({@link ChangeFeed#now()}): it never goes back,
   * it is near this machine's (within a day: clocks disagree, but not by time zones), and a record
   * the system stamps while the test reads it twice carries a time between the two readings.
   */
  @Test
  default void now_isTheSystemsClock_neverBack_andTheTimeItStamps() throws InterruptedException {
    Connector c = open();
    assumeTrue(c.description().can(Capability.READ_CHANGES), "not declared: READ_CHANGES");
    Optional<Instant> told = feed(c).now();
    assumeTrue(told.isPresent(), "the change feed does not tell its system's clock (now())");
    Instant a = told.get();
    assertTrue(near(TestKitState.micros(a), Instant.now()), "now() answered " + a + ", this machine's clock says "
        + Instant.now() + ": now() is the system's clock, in UTC");
    Duration precision = Optional.ofNullable(c.description().modificationTimePrecision()).orElse(Duration.ZERO);
    Thread.sleep(Math.max(2, precision.toMillis() + 1));
    Envelope<Fields> r = TestKitState.records(TestKitState.random("now"), 1, 1).get(0);
    if (c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS)) {
      destination(c).write(upserts(List.of(r)));
    }
    Thread.sleep(Math.max(2, precision.toMillis() + 1));
    Instant b = feed(c).now().orElseThrow(() -> new AssertionError("now() answered once, then empty"));
    assertFalse(b.isBefore(a), "now() went back, from " + a + " to " + b);
    if (c.description().can(Capability.UPSERT) && c.description().can(Capability.READ_BY_KEYS)) {
      long version = lookup(c).lookup(List.of(r.key())).get(r.key()).version();
      long slack = TestKitState.micros(Instant.EPOCH.plus(precision));
      assertTrue(version == r.version() || (version >= TestKitState.micros(a) - slack && version <= TestKitState.micros(b) + slack),
          "record " + r.key() + " written between now() = " + a + " and " + b + " carries the time " + TestKitState.asTime(version)
          + ": a system that stamps its records' times stamps them with the clock now() reads");
    }
  }

  /**
   * A checkpoint the change feed never gave (another feed's, or text from nowhere) is refused with
   * a {@link SetupException} naming it, when the cursor opens or at its first read: never taken for
   * the start, which would deliver everything again, nor a bare parse error.
   */
  @Test
  default void aCheckpointTheFeedNeverGave_isRefusedWithASetupException() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.READ_CHANGES), "not declared: READ_CHANGES");
    Checkpoint bogus = Checkpoint.at("no such position \u00a4 of any feed");
    try (ChangeCursor<Fields> cursor = feed(c).changes(bogus)) {
      cursor.hasNext();
      fail("the change feed took '" + bogus.position() + "' as a checkpoint of its own");
    } catch (SetupException expected) {
      assertTrue(expected.getMessage() != null && !expected.getMessage().isBlank(), "the refusal says why");
    } catch (RuntimeException other) {
      fail("a checkpoint the feed never gave threw " + other.getClass().getName()
          + " (" + other.getMessage() + "), not a SetupException naming it", other);
    }
  }

  /**
   * A system that cannot be reached fails each call with a {@link TransientException}:
   * a pattern retries it and, past its retries, reports the run failed with the system named. Any
   * other exception stops the run as a defect; an empty answer is taken for an empty system.
   */
  @Test
  default void aSystemThatCannotBeReached_failsEachCallWithATransientException() {
    Optional<Connector> down = unreachable();
    assumeTrue(down.isPresent(), "no unreachable connector given (unreachable())");
    Connector c = TestKitState.track(down.get());
    List<String> wrong = new ArrayList<>();
    if (c instanceof Source<?>) {
      transientOnly(wrong, "read", () -> {
        try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
          return cursor.hasNext();
        }
      });
    }
    if (c instanceof ChangeFeed<?>) {
      transientOnly(wrong, "changes", () -> {
        try (ChangeCursor<Fields> cursor = feed(c).changes(Checkpoint.start())) {
          return cursor.hasNext();
        }
      });
    }
    if (c instanceof Lookup<?>) {
      transientOnly(wrong, "lookup", () -> lookup(c).lookup(List.of("k-1")));
    }
    if (c instanceof Destination<?>) {
      transientOnly(wrong, "write", () -> destination(c).write(upserts(TestKitState.records(new Random(4), 1, 1))));
    }
    assertEquals(List.of(), wrong, "each call to a system that cannot be reached throws a TransientException");
  }

  private static void transientOnly(List<String> wrong, String call, java.util.concurrent.Callable<Object> action) {
    try {
      Object answer = action.call();
      wrong.add(call + " answered " + answer + " without failing");
    } catch (TransientException expected) {
      // as it should
    } catch (Exception other) {
      wrong.add(call + " threw " + other.getClass().getName() + " (" + other.getMessage() + ")");
    }
  }

  private static Instant systemClock(Connector c) {
    return c instanceof ChangeFeed<?> f ? f.now().orElseGet(Instant::now) : Instant.now();
  }

  /** Within a day of {@code clock}: clocks disagree by seconds or minutes, a counter or a shifted zone by far more. */
  private static boolean near(long micros, Instant clock) {
    return Math.abs(micros - TestKitState.micros(clock)) <= 86_400_000_000L;
  }

  /**
   * A record that cannot be read is a {@link DataException} from {@code next()}
   * naming it (its key, or where it is), and the read goes on with the records after it: one bad
   * line never stops a migration, nor is it passed over unreported.
   */
  @Test
  default void aRecordThatCannotBeRead_isADataExceptionNamingIt_andTheReadGoesOn() {
    Connector c = open();
    assumeTrue(c.description().can(Capability.READ_PAGES) && c.description().can(Capability.UPSERT),
        "not declared: READ_PAGES and UPSERT");
    List<Envelope<Fields>> records = TestKitState.records(TestKitState.random("unreadable"), 7, 1);
    destination(c).write(upserts(records));
    String bad = records.get(3).key();
    assumeTrue(plantUnreadable(c, bad), "this connector's records cannot be made unreadable (plantUnreadable)");
    List<String> read = new ArrayList<>();
    List<DataException> unreadable = new ArrayList<>();
    try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
      for (int i = 0; i < 100 && cursor.hasNext(); i++) {
        try {
          read.add(cursor.next().key());
        } catch (DataException e) {
          unreadable.add(e);
        }
      }
    }
    assertEquals(1, unreadable.size(), "one record made unreadable, one DataException from next(); read " + read);
    String named = unreadable.get(0).key();
    assertTrue(named != null && !named.isBlank(), "the DataException names the record (its key or where it is): " + unreadable.get(0));
    List<String> others = keys(records).stream().filter(k -> !k.equals(bad)).sorted().toList();
    assertOnceInOrder(others, read, "the records around the unreadable one, read on past it");
  }

  // ---------------------------------------------------------------------------------------------

  private Connector open() {
    return TestKitState.track(newConnector());
  }

  /** Reads all changes after {@code at}, abandoning the cursor after random counts; returns where it ended. */
  private Checkpoint readChanges(Connector c, Checkpoint at, Random random, java.util.function.Consumer<Change<Fields>> each) {
    for (int round = 0; round < 10_000; round++) {
      int take = random.nextInt(2 * pageSize() + 1);
      boolean exhausted;
      try (ChangeCursor<Fields> cursor = feed(c).changes(at)) {
        for (int i = 0; i < take && cursor.hasNext(); i++) {
          each.accept(cursor.next());
        }
        exhausted = !cursor.hasNext();
        at = cursor.checkpoint();
      }
      if (exhausted) {
        return at;
      }
    }
    throw new AssertionError("the change feed did not end");
  }

  /** {@code c} as a destination, the keys it is asked to write kept so the kit can remove them after the test. */
  @SuppressWarnings("unchecked")
  private static Destination<Fields> destination(Connector c) {
    Destination<Fields> d = (Destination<Fields>) c;
    return batch -> {
      TestKitState.wrote(c, batch.stream().map(Change::key).toList());
      return d.write(batch);
    };
  }

  /** Fails naming the keys missing, the keys not expected and, for the others, each value that differs. */
  private static void assertSameRecords(Map<String, Fields> expected, Map<String, Fields> actual, String what) {
    if (expected.keySet().equals(actual.keySet()) && expected.entrySet().stream()
        .allMatch(e -> e.getValue().asMap().equals(actual.get(e.getKey()).asMap()))) {
      return;
    }
    List<String> missing = expected.keySet().stream().filter(k -> !actual.containsKey(k)).sorted().toList();
    List<String> extra = actual.keySet().stream().filter(k -> !expected.containsKey(k)).sorted().toList();
    List<String> differing = new ArrayList<>();
    for (Map.Entry<String, Fields> e : new TreeMap<>(expected).entrySet()) {
      Fields got = actual.get(e.getKey());
      if (got != null && !got.asMap().equals(e.getValue().asMap()) && differing.size() < 5) {
        try {
          assertSameValues(e.getValue(), got, e.getKey());
        } catch (AssertionError d) {
          differing.add(d.getMessage());
        }
      }
    }
    fail(what + ": " + missing.size() + " of " + expected.size() + " missing " + missing
        + (extra.isEmpty() ? "" : ", not expected " + extra) + (differing.isEmpty() ? "" : ", differing: " + differing));
  }

  /** Fails naming the keys missing, those read more than once, and the first out of order. */
  private static void assertOnceInOrder(List<String> expected, List<String> read, String what) {
    if (expected.equals(read)) {
      return;
    }
    List<String> missing = expected.stream().filter(k -> !read.contains(k)).toList();
    List<String> repeated = read.stream().filter(k -> read.indexOf(k) != read.lastIndexOf(k)).distinct().toList();
    String order = "";
    for (int i = 1; i < read.size(); i++) {
      if (read.get(i - 1).compareTo(read.get(i)) >= 0) {
        order = ", out of order at " + i + ": '" + read.get(i) + "' after '" + read.get(i - 1) + "'";
        break;
      }
    }
    fail(what + ": " + missing.size() + " of " + expected.size() + " never read " + missing
        + ", read more than once " + repeated + order);
  }

  /** Fails naming each field whose value differs, with both values and their types. */
  private static void assertSameValues(Fields expected, Fields actual, String what) {
    if (expected.asMap().equals(actual.asMap())) {
      return;
    }
    List<String> differences = new ArrayList<>();
    java.util.TreeSet<String> names = new java.util.TreeSet<>(expected.names());
    names.addAll(actual.names());
    for (String name : names) {
      Object want = expected.get(name);
      Object got = actual.get(name);
      if (!java.util.Objects.equals(want, got)) {
        differences.add(name + ": expected " + TestKitState.show(want) + " but read " + TestKitState.show(got));
      }
    }
    fail(what + "; " + String.join("; ", differences));
  }

  @SuppressWarnings("unchecked")
  private static Lookup<Fields> lookup(Connector c) {
    return (Lookup<Fields>) c;
  }

  @SuppressWarnings("unchecked")
  private static Source<Fields> source(Connector c) {
    return (Source<Fields>) c;
  }

  @SuppressWarnings("unchecked")
  private static ChangeFeed<Fields> feed(Connector c) {
    return (ChangeFeed<Fields>) c;
  }

  private static List<Change<Fields>> upserts(List<Envelope<Fields>> records) {
    return records.stream().map(r -> (Change<Fields>) Change.upsert(r)).toList();
  }

  private static List<String> keys(List<Envelope<Fields>> records) {
    return records.stream().map(Envelope::key).toList();
  }

  private static Map<String, Envelope<Fields>> byKey(List<Envelope<Fields>> records) {
    Map<String, Envelope<Fields>> m = new LinkedHashMap<>();
    records.forEach(r -> m.put(r.key(), r));
    return m;
  }

  private static Map<String, Fields> payloads(List<Envelope<Fields>> records) {
    Map<String, Fields> m = new TreeMap<>();
    records.forEach(r -> m.put(r.key(), r.payload()));
    return m;
  }
}
