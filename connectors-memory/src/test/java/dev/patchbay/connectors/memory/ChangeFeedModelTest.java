package dev.patchbay.connectors.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The store's change feed against a model, over random writes (creates, updates, writes of an equal
 * record, deletes, deletes of absent keys, records created again), through write() and putAll(): read
 * from the start and from every checkpoint, it gives exactly the latest change of each key changed
 * after that point, in the order of those latest changes. The outcomes are checked against the model too.
 */
class ChangeFeedModelTest {

  @Test
  void theFeedGivesTheLatestChangeOfEachKey_fromAnyCheckpoint() throws Exception {
    Random random = Seeds.random("in-memory change feed");
    for (int trial = 0; trial < 40; trial++) {
      InMemoryStore<Fields> store = InMemoryStore.create("model");
      Map<String, Envelope<Fields>> held = new LinkedHashMap<>();
      List<Change<Fields>> applied = new ArrayList<>();   // every change that changed something, in order
      for (int step = 0; step < 60; step++) {
        List<Change<Fields>> batch = new ArrayList<>();
        for (int i = random.nextInt(4) + 1; i > 0; i--) {
          String key = "k" + random.nextInt(12);
          batch.add(random.nextInt(4) == 0 ? Change.delete(key)
              : Change.upsert(new Envelope<>(key, 1, Fields.of("v", random.nextInt(3)))));
        }
        if (random.nextInt(5) == 0 && batch.stream().allMatch(c -> c instanceof Change.Upsert<Fields>)) {
          List<Envelope<Fields>> seed = batch.stream().map(c -> ((Change.Upsert<Fields>) c).record()).toList();
          store.putAll(seed);   // seeding logs every change, equal or not
          for (Envelope<Fields> r : seed) {
            held.put(r.key(), r);
            applied.add(Change.upsert(r));
          }
          continue;
        }
        List<Outcome> outcomes = store.write(batch);
        for (int i = 0; i < batch.size(); i++) {
          Change<Fields> c = batch.get(i);
          Envelope<Fields> before = held.get(c.key());
          Outcome expected;
          if (c instanceof Change.Upsert<Fields> u) {
            expected = before == null ? Outcome.created(c.key())
                : before.equals(u.record()) ? Outcome.unchanged(c.key()) : Outcome.updated(c.key());
            held.put(c.key(), u.record());
          } else {
            expected = before == null ? Outcome.unchanged(c.key()) : Outcome.deleted(c.key());
            held.remove(c.key());
          }
          assertEquals(expected, outcomes.get(i), "trial " + trial + ", step " + step);
          if (!(expected instanceof Outcome.Unchanged)) {
            applied.add(c);
          }
        }
      }
      assertEquals(held, store.snapshot());
      // From the start, and from the checkpoint after each change the feed gives.
      List<Checkpoint> points = new ArrayList<>(List.of(Checkpoint.start()));
      try (ChangeCursor<Fields> all = store.changes(Checkpoint.start())) {
        while (all.hasNext()) {
          all.next();
          points.add(all.checkpoint());
        }
      }
      for (int p = 0; p < points.size(); p++) {
        List<Change<Fields>> expected = latestOfEach(applied, expectedFrom(applied, p));
        List<Change<Fields>> got = new ArrayList<>();
        try (ChangeCursor<Fields> cursor = store.changes(points.get(p))) {
          cursor.forEachRemaining(got::add);
        }
        assertEquals(expected, got, "trial " + trial + ", read after the feed's change #" + p);
      }
    }
  }

  /** The index into {@code applied} after which the feed read from its {@code p}th point gives changes. */
  private static int expectedFrom(List<Change<Fields>> applied, int p) {
    // the feed holds the latest change of each key: its p-th change is the p-th of those latest ones
    List<Integer> latest = latestIndexes(applied);
    return p == 0 ? 0 : latest.get(p - 1) + 1;
  }

  private static List<Integer> latestIndexes(List<Change<Fields>> applied) {
    Map<String, Integer> last = new LinkedHashMap<>();
    for (int i = 0; i < applied.size(); i++) {
      last.remove(applied.get(i).key());
      last.put(applied.get(i).key(), i);
    }
    return new ArrayList<>(last.values());
  }

  /** The latest change of each key among {@code applied} from index {@code from} on, in the order of those latest changes. */
  private static List<Change<Fields>> latestOfEach(List<Change<Fields>> applied, int from) {
    Map<String, Integer> last = new LinkedHashMap<>();
    for (int i = 0; i < applied.size(); i++) {
      last.remove(applied.get(i).key());
      last.put(applied.get(i).key(), i);
    }
    List<Change<Fields>> out = new ArrayList<>();
    last.values().stream().filter(i -> i >= from).forEach(i -> out.add(applied.get(i)));
    return out;
  }
}
