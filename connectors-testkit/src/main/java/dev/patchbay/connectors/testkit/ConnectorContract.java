package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.ChangeCursor;
import dev.patchbay.connectors.ChangeFeed;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorRegistry;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
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
 * are epoch milliseconds, whole seconds, so that a connector may store them as its modification
 * time. Random data comes from a seed that each test prints; set {@code -Dpatchbay.seed=N} to
 * reproduce a run.
 */
public interface ConnectorContract {

  /** A new connector over an empty data element, used by one test and closed after it. */
  Connector newConnector();

  /** How many records the connector reads per page or fetch, so the kit can cross page boundaries. */
  default int pageSize() {
    return 10;
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
  default void close_canBeCalledTwice() {
    Connector c = newConnector();
    c.close();
    c.close();
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
    assertEquals(records.size(), outcomes.size());
    for (int i = 0; i < records.size(); i++) {
      assertEquals(records.get(i).key(), outcomes.get(i).key());
      assertTrue(outcomes.get(i) instanceof Outcome.Created, "a new record is CREATED: " + outcomes.get(i));
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
    assertEquals(once, lookup(c).lookup(keys(records)), "the second write changed the state");
    assertEquals(payloads(records), payloads(new ArrayList<>(once.values())), "records read back as written");
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
    assertEquals(new ArrayList<>(new TreeMap<>(byKey(records)).keySet()), read, "every record once, in key order");
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
    assertEquals(once, seen, "each record sharing one modification time seen exactly once");

    List<Envelope<Fields>> updated = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Envelope<Fields> r = records.get(random.nextInt(records.size()));
      if (updated.stream().noneMatch(u -> u.key().equals(r.key()))) {
        updated.add(new Envelope<>(r.key(), sameTime + 60_000, r.payload().with("name", "changed " + i)));
      }
    }
    destination(c).write(upserts(updated));
    Map<String, Fields> later = new TreeMap<>();
    readChanges(c, at, random, change -> later.put(change.key(), ((Change.Upsert<Fields>) change).record().payload()));
    Map<String, Fields> expected = new TreeMap<>();
    updated.forEach(u -> expected.put(u.key(), u.payload()));
    assertEquals(expected, later, "after the checkpoint, exactly the records changed since");
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
    assertTrue(again.get(0) instanceof Outcome.Unchanged, "deleting it again changes nothing: " + again.get(0));
    if (c.description().can(Capability.READ_BY_KEYS)) {
      assertEquals(Map.of(), lookup(c).lookup(gone), "deleted records are not found by key");
    }
    if (c.description().can(Capability.READ_PAGES)) {
      List<String> left = new ArrayList<>();
      try (Cursor<Fields> cursor = source(c).read(Checkpoint.start())) {
        cursor.forEachRemaining(r -> left.add(r.key()));
      }
      assertEquals(records.size() - 2, left.size());
      assertFalse(left.contains(gone.get(0)) || left.contains(gone.get(1)), "deleted records are not read: " + left);
    }
    if (c.description().can(Capability.DELETES_VISIBLE)) {
      List<Change<Fields>> changes = new ArrayList<>();
      readChanges(c, before, new Random(2), changes::add);
      assertEquals(gone, changes.stream().map(Change::key).toList(), "the feed shows the two deletes, in order");
      changes.forEach(ch -> assertTrue(ch instanceof Change.Delete, "a delete shows as a Delete: " + ch));
    }
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

  @SuppressWarnings("unchecked")
  private static Destination<Fields> destination(Connector c) {
    return (Destination<Fields>) c;
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
