package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.migration.Migration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** M7: a migration from a change feed copies, run again, only what changed since its last completed run. */
class DeltaMigrationTest {

  private static final int ROWS = 1_000;
  private static final int BATCH = 20;

  /** A feed that counts the changes it hands out. */
  private record Counting(ChangeFeed<Fields> feed, AtomicLong read) implements ChangeFeed<Fields> {
    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      ChangeCursor<Fields> changes = feed.changes(after);
      return new ChangeCursor<>() {
        public boolean hasNext() {
          return changes.hasNext();
        }

        public Change<Fields> next() {
          read.incrementAndGet();
          return changes.next();
        }

        public Checkpoint checkpoint() {
          return changes.checkpoint();
        }

        public void close() {
          changes.close();
        }
      };
    }

    /** The feed's own description: the migration's checkpoints record it, and the count must not change it. */
    @Override
    public String toString() {
      return feed.toString();
    }
  }

  /** {@code table}, dying in its {@code nth} write call of a run after writing half the batch, where {@code nth > 0}. */
  private static Destination<Fields> crashingAt(JdbcTable table, AtomicInteger nth) {
    AtomicInteger calls = new AtomicInteger();
    return batch -> {
      if (calls.incrementAndGet() == nth.get()) {
        table.write(batch.subList(0, batch.size() / 2));
        throw new SimulatedCrash("killed in write call " + nth.get() + ", half the batch written");
      }
      return table.write(batch);
    };
  }

  private static final Transform<Fields, Fields> UPPER = Transform.payload(f -> f.with("name",
      f.requireText("name").toUpperCase(Locale.ROOT)));

  private static Migration<Fields, Fields> delta(ChangeFeed<Fields> feed, Destination<Fields> to, StateStore state) {
    return Migration.builder().name("contacts-delta-" + state.hashCode()).changesOf(feed, DeletePolicy.PROPAGATE)
        .scope(ScopeCriteria.all()).transform(UPPER).transformVersion("upper v1").destination(to).batchSize(BATCH)
        .retry(RetryPolicy.immediate(3)).state(state).build();
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aSecondRun_readsTheChangesOnly_andHoldsM1ToM5_throughCrashes(TestDatabases db) {
    DataSource ds = db.dataSource();
    JdbcTable.WithChanges crm = JdbcTable.builder(ds).describedAs("crm", "contacts").table(db.createContactsTable(ds))
        .key("id").column("name").column("email").column("amount").modifiedAt("updated_at").softDelete("deleted")
        .buildWithChanges();
    JdbcTable copy = JdbcTable.builder(ds).describedAs("archive", "contacts").table(db.createPlainTable(ds)).key("id")
        .column("name").column("email").column("amount").build();
    StateStore state = JdbcStateStore.of(ds, "delta_test");
    List<Change<Fields>> seed = new ArrayList<>();
    for (int i = 0; i < ROWS; i++) {
      seed.add(Change.upsert(Envelope.of(String.format("c%05d", i), Fields.of("name", "person " + i,
          "email", "p" + i + "@example.org", "amount", (long) i))));
    }
    crm.write(seed);
    AtomicLong read = new AtomicLong();
    Counting feed = new Counting(crm, read);
    AtomicInteger crashAt = new AtomicInteger(0);
    Migration<Fields, Fields> migration = delta(feed, crashingAt(copy, crashAt), state);

    RunReport first = migration.run();
    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(ROWS, first.counts().created(), first.summary());
    assertEquals(expected(crm), held(copy), "M1: the first run copies everything");
    assertEquals(CatalogEntry.SyncType.DELTA, delta(crm, copy, state).catalogEntry(b -> b.status(CatalogEntry.Status.IN_PRODUCTION)
        .volumes((long) ROWS, 110L).frequency(CatalogEntry.Frequency.DAILY)).syncType());

    // 100 updates and 10 deletes at the source
    Random random = new Random(7);
    List<Change<Fields>> edits = new ArrayList<>();
    List<String> keys = new ArrayList<>(expected(crm).keySet());
    java.util.Collections.shuffle(keys, random);
    for (String key : keys.subList(0, 100)) {
      edits.add(Change.upsert(Envelope.of(key, Fields.of("name", "edited " + key, "email", key + "@new.example.org",
          "amount", -1L))));
    }
    keys.subList(100, 110).forEach(key -> edits.add(Change.delete(key)));
    crm.write(edits);

    // Run 2, killed twice in a write, then resumed
    read.set(0);
    int crashes = 0;
    RunReport second = null;
    for (int attempt = 0; second == null; attempt++) {
      crashAt.set(attempt < 2 ? 2 + attempt : 0);
      Migration<Fields, Fields> restarted = delta(feed, crashingAt(copy, crashAt), state);
      try {
        second = restarted.run();
      } catch (SimulatedCrash e) {
        crashes++;
      }
    }
    assertEquals(2, crashes);
    assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
    assertEquals(110, second.counts().read(), "each change counted once over the resumed run: " + second.summary());
    // what a crash had written of its batch is read again and found as it should be: UNCHANGED
    assertEquals(110, second.counts().updated() + second.counts().deleted() + second.counts().unchanged(), second.summary());
    assertEquals(0, second.counts().created() + second.counts().skipped() + second.counts().failed(), second.summary());
    assertTrue(second.counts().unchanged() <= (long) crashes * BATCH / 2, second.summary());
    assertTrue(second.counts().balanced(), second.summary());
    assertTrue(read.get() >= 110 && read.get() <= 110 + (long) crashes * BATCH,
        "M3: the feed handed out " + read.get() + " changes over " + crashes + " crashes, not the table of " + ROWS);
    assertEquals(expected(crm), held(copy), "M1: the destination holds the changes, the deleted records gone");

    // M2: nothing changed, nothing read
    read.set(0);
    RunReport third = delta(feed, copy, state).run();
    assertEquals(RunStatus.COMPLETED, third.status(), third.summary());
    assertEquals(0, third.counts().read(), third.summary());
    assertEquals(0, read.get());
  }

  /** What the destination should hold: the source's live rows, transformed. */
  private static Map<String, Fields> expected(JdbcTable source) {
    Map<String, Fields> out = new TreeMap<>();
    try (Cursor<Fields> all = source.read(Checkpoint.start())) {
      all.forEachRemaining(r -> out.put(r.key(), UPPER.apply(r).payload()));
    }
    return out;
  }

  private static Map<String, Fields> held(JdbcTable table) {
    Map<String, Fields> out = new TreeMap<>();
    try (Cursor<Fields> all = table.read(Checkpoint.start())) {
      all.forEachRemaining(r -> out.put(r.key(), r.payload()));
    }
    return out;
  }
}
