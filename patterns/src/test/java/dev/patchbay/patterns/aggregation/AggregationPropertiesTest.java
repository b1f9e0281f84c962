package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.DeletePolicy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * A1 to A3 of docs/promises.md, and resumes, over generated entities spread over 2 to 6 inputs with
 * corrupted values: inputs read whole or as changes, records in any order, any batch size, crashes
 * at any save.
 */
class AggregationPropertiesTest {

  /** One example: the rest derives from {@code seed}. */
  record Scenario(int entities, int inputs, int batchSize, long seed) {
  }

  private static Gen<Scenario> scenarios() {
    return integers().between(1, 60).zip(integers().between(2, 6), integers().between(1, 40), longs().all(), Scenario::new);
  }

  private static final String[] TOWNS = {"Leeds", "York", "Hull", "Bath", "Ely"};

  /** Each input's records: per entity, none, one or (rarely) two, values corrupted at random; a few without a merge key. */
  static List<List<Envelope<Fields>>> generate(Scenario s, Random r) {
    List<List<Envelope<Fields>>> inputs = new ArrayList<>();
    for (int i = 0; i < s.inputs(); i++) {
      inputs.add(new ArrayList<>());
    }
    for (int e = 0; e < s.entities(); e++) {
      String name = "Name" + e;
      int copies = 0;
      for (int i = 0; i < s.inputs(); i++) {
        int n = r.nextInt(10) < 6 ? 1 : r.nextInt(10) < 8 ? 0 : 2;
        if (copies == 0 && i == s.inputs() - 1 && n == 0) {
          n = 1;
        }
        for (int c = 0; c < n; c++, copies++) {
          Map<String, Object> f = new LinkedHashMap<>();
          if (r.nextInt(50) > 0) {
            f.put("account", "A-" + e);
          }
          if (r.nextInt(4) > 0) {
            f.put("name", r.nextInt(4) == 0 ? name + "x" : name);
          }
          if (r.nextBoolean()) {
            f.put("email", "e" + r.nextInt(3) + "@" + e + ".test");
          }
          if (r.nextBoolean()) {
            f.put("credit", r.nextInt(3) == 0 ? (Object) (long) r.nextInt(1000) : (Object) r.nextInt(1000));
          }
          if (r.nextBoolean()) {
            f.put("street", r.nextInt(99) + " Road");
          }
          if (r.nextBoolean()) {
            f.put("town", TOWNS[r.nextInt(TOWNS.length)]);
          }
          inputs.get(i).add(new Envelope<>("k" + e + "-" + c + "-" + r.nextInt(1_000), 1 + r.nextInt(1_000), Fields.from(f)));
        }
      }
    }
    return inputs;
  }

  /** {@code records} read in this order, a position per record. */
  static Source<Fields> inOrder(List<Envelope<Fields>> records) {
    return after -> new Cursor<>() {
      int next = after.isStart() ? 0 : Integer.parseInt(after.position());

      @Override
      public boolean hasNext() {
        return next < records.size();
      }

      @Override
      public Envelope<Fields> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return records.get(next++);
      }

      @Override
      public Checkpoint checkpoint() {
        return next == 0 ? Checkpoint.start() : Checkpoint.at(Integer.toString(next));
      }
    };
  }

  /**
   * The aggregation of the scenario's inputs into {@code out}: input i read whole or as changes of
   * {@code feeds[i]} where given, else from {@code records} in the order given.
   */
  static Aggregation aggregation(List<List<Envelope<Fields>>> records, List<InMemoryStore<Fields>> feeds, InMemoryStore<Fields> out,
      StateStore state, int batchSize) {
    Aggregation.Builder b = Aggregation.builder().name("golden").destination(out).state(state).batchSize(batchSize)
        .outputKey(Aggregation.OutputKey.MERGE_KEY)
        .survivorship("name", Survivorship.mostFrequent()).survivorship("email", Survivorship.mostRecent())
        .survivorship("credit", Survivorship.max())
        .group("address", List.of("street", "town"), Survivorship.mostComplete());
    for (int i = 0; i < records.size(); i++) {
      Input<Fields> input = feeds != null && feeds.get(i) != null
          ? Input.changesOf("in" + i, feeds.get(i), DeletePolicy.PROPAGATE).transform(Transform.identity()).mergeKey("account")
          : Input.from("in" + i, inOrder(records.get(i))).transform(Transform.identity()).mergeKey("account");
      b.input(input);
    }
    return b.build();
  }

  /** What {@code out} holds, values shown (the test's own data): by key, each record's fields by name. */
  static Map<String, Map<String, Object>> contents(InMemoryStore<Fields> out) {
    Map<String, Map<String, Object>> m = new TreeMap<>();
    out.snapshot().forEach((k, v) -> m.put(k, new TreeMap<>(v.payload().asMap())));
    return m;
  }

  @Test
  void a1_a2_a3_everyRecordInOneGoldenRecordOrReported_theOutputIndependentOfOrder_everyOriginTrue() {
    qt().withFixedSeed(Seeds.seed("aggregation A1 A2 A3")).withExamples(120).forAll(scenarios()).checkAssert(s -> {
      Random r = new Random(s.seed());
      List<List<Envelope<Fields>>> data = generate(s, r);
      InMemoryStore<Fields> out = InMemoryStore.create("out");
      Aggregation agg = aggregation(data, null, out, StateStore.inMemory(), s.batchSize());
      AggregationReport report = agg.run();
      assertEquals(RunStatus.COMPLETED, report.status(), report.summary());

      // A1: each record in its merge key's golden record, once; or failed, naming the merge key's field
      Map<String, Integer> expectedMembers = new HashMap<>();
      List<String> failedKeys = report.failures().stream().map(Outcome.Failed::key).toList();
      for (int i = 0; i < data.size(); i++) {
        for (Envelope<Fields> rec : data.get(i)) {
          Object account = rec.payload().get("account");
          if (account == null) {
            assertTrue(failedKeys.contains("in" + i + ":" + rec.key()), "reported: in" + i + ":" + rec.key());
            continue;
          }
          expectedMembers.merge((String) account, 1, Integer::sum);
          String source = "in" + i;
          GoldenRecord g = agg.golden((String) account).orElseThrow();
          assertEquals(1, g.members().stream().filter(m -> m.source().equals(source) && m.key().equals(rec.key())).count());
        }
      }
      assertEquals(expectedMembers.keySet(), contents(out).keySet(), "one golden record per merge key");
      assertTrue(report.failures().stream().allMatch(f -> "account".equals(f.field())), report.failures().toString());
      for (Map.Entry<String, Integer> e : expectedMembers.entrySet()) {
        GoldenRecord g = agg.golden(e.getKey()).orElseThrow();
        assertEquals(e.getValue(), g.members().size());
        // A3: every origin names a member holding the value that survived
        for (String field : g.values().names()) {
          assertFalse(g.origins(field).isEmpty(), field);
          for (GoldenRecord.Origin o : g.origins(field)) {
            Fields held = g.members().stream().filter(m -> m.source().equals(o.source()) && m.key().equals(o.key()))
                .findFirst().orElseThrow().values();
            Object value = g.values().get(field);
            assertTrue(Fields.sameValue(held.get(field), value) || value instanceof List<?> l && l.contains(held.get(field)),
                field + " of " + e.getKey() + " from " + o);
          }
        }
        assertEquals(g.values(), out.get(e.getKey()).payload());
      }

      // A2: records in another order, inputs read as changes or whole, another batch size: the same output
      List<List<Envelope<Fields>>> shuffled = new ArrayList<>();
      List<InMemoryStore<Fields>> feeds = new ArrayList<>();
      for (int i = 0; i < data.size(); i++) {
        List<Envelope<Fields>> copy = new ArrayList<>(data.get(i));
        Collections.shuffle(copy, r);
        shuffled.add(copy);
        InMemoryStore<Fields> feed = null;
        if (r.nextBoolean()) {
          feed = InMemoryStore.create("feed" + i);
          for (Envelope<Fields> rec : copy) {
            feed.write(List.of(Change.upsert(rec)));
          }
        }
        feeds.add(feed);
      }
      InMemoryStore<Fields> out2 = InMemoryStore.create("out2");
      AggregationReport second = aggregation(shuffled, feeds, out2, StateStore.inMemory(), 1 + r.nextInt(40)).run();
      assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
      assertEquals(contents(out), contents(out2), "the same golden records, whatever the order");
    });
  }

  @Test
  void crashesAtAnySave_resumed_endAsAnUncrashedRun_andIncrementalRunsEndAsAFullOne_withStableIds() {
    qt().withFixedSeed(Seeds.seed("aggregation resume and incremental")).withExamples(80).forAll(scenarios()).checkAssert(s -> {
      Random r = new Random(s.seed());
      List<List<Envelope<Fields>>> data = generate(s, r);
      List<InMemoryStore<Fields>> feeds = everyOtherAsFeed(data);
      InMemoryStore<Fields> reference = InMemoryStore.create("reference");
      aggregation(data, feeds, reference, StateStore.inMemory(), s.batchSize()).run();

      CrashingState crashing = new CrashingState(StateStore.inMemory(), Set.of(), Set.of(), () -> { });
      InMemoryStore<Fields> out = InMemoryStore.create("out");
      Aggregation agg = aggregation(data, feeds, out, crashing, s.batchSize());
      AggregationReport last = throughCrashes(agg, crashing, r);
      assertEquals(RunStatus.COMPLETED, last.status(), last.summary());
      assertEquals(contents(reference), contents(out), "resumed after crashes: as if uncrashed");

      // incremental: changes to the inputs read as changes; the next run ends as a new aggregation over the end state
      Map<String, String> ids = new HashMap<>();
      contents(out).keySet().forEach(k -> ids.put(k, agg.golden(k).orElseThrow().id()));
      for (int i = 0; i < data.size(); i += 2) {
        List<Envelope<Fields>> now = new ArrayList<>(data.get(i));
        for (int c = 0; c < 1 + r.nextInt(5) && !now.isEmpty(); c++) {
          int at = r.nextInt(now.size());
          Envelope<Fields> rec = now.get(at);
          if (r.nextInt(3) == 0) {
            feeds.get(i).write(List.of(Change.delete(rec.key())));
            now.remove(at);
          } else {
            Envelope<Fields> changed = new Envelope<>(rec.key(), rec.version() + 1, rec.payload().with("town", "Changed" + c));
            feeds.get(i).write(List.of(Change.upsert(changed)));
            now.set(at, changed);
          }
        }
        data.set(i, now);
      }
      assertEquals(RunStatus.COMPLETED, agg.run().status());
      InMemoryStore<Fields> full = InMemoryStore.create("full");
      List<InMemoryStore<Fields>> none = new ArrayList<>(Collections.nCopies(data.size(), null));
      aggregation(data, none, full, StateStore.inMemory(), s.batchSize()).run();
      assertEquals(contents(full), contents(out), "incremental equal to full");
      for (String k : contents(out).keySet()) {
        if (ids.containsKey(k)) {
          assertEquals(ids.get(k), agg.golden(k).orElseThrow().id(), "the golden id of " + k + " kept");
        }
      }
    });
  }

  /** A change feed holding input i's records for every even i (read as changes), null for the others (read whole). */
  static List<InMemoryStore<Fields>> everyOtherAsFeed(List<List<Envelope<Fields>>> data) {
    List<InMemoryStore<Fields>> feeds = new ArrayList<>();
    for (int i = 0; i < data.size(); i++) {
      InMemoryStore<Fields> feed = null;
      if (i % 2 == 0) {
        feed = InMemoryStore.create("feed" + i);
        feed.putAll(data.get(i));
      }
      feeds.add(feed);
    }
    return feeds;
  }

  /** {@code agg} run through one to four crashes at random saves of {@code crashing} (disarmed after), resumed each time. */
  static AggregationReport throughCrashes(Aggregation agg, CrashingState crashing, Random r) {
    for (int k = 0; k < 1 + r.nextInt(4); k++) {
      if (r.nextBoolean()) {
        crashing.crashBefore(1 + r.nextInt(12));
      } else {
        crashing.crashAfter(1 + r.nextInt(12));
      }
    }
    AggregationReport last = null;
    for (int attempt = 0; attempt < 10 && last == null; attempt++) {
      try {
        last = agg.run();
      } catch (SimulatedCrash e) {
        // resumed by the next attempt
      }
    }
    crashing.disarm();
    return last;
  }

  /** {@code records} as {@link #inOrder} reads them, failing at position {@code at} and after while {@code armed} says so. */
  static Source<Fields> failingAt(List<Envelope<Fields>> records, int at, java.util.concurrent.atomic.AtomicBoolean armed) {
    Source<Fields> inner = inOrder(records);
    return after -> {
      Cursor<Fields> c = inner.read(after);
      return new Cursor<>() {
        int next = after.isStart() ? 0 : Integer.parseInt(after.position());

        @Override
        public boolean hasNext() {
          if (armed.get() && next >= at) {
            throw new dev.patchbay.core.TransientException("input down at " + next);
          }
          return c.hasNext();
        }

        @Override
        public Envelope<Fields> next() {
          next++;
          return c.next();
        }

        @Override
        public Checkpoint checkpoint() {
          return c.checkpoint();
        }
      };
    };
  }

  @Test
  void a4_anInputFailingPartWay_makesTheRunPartial_namesIt_derivesNothingFromItsUnreadPart_andTheNextRunCompletesIt() {
    qt().withFixedSeed(Seeds.seed("aggregation A4")).withExamples(100).forAll(scenarios()).checkAssert(s -> {
      Random r = new Random(s.seed());
      List<List<Envelope<Fields>>> data = generate(s, r);
      int failing = r.nextInt(data.size());
      List<Envelope<Fields>> failingRecords = data.get(failing);
      int at = failingRecords.isEmpty() ? 0 : r.nextInt(failingRecords.size());
      java.util.concurrent.atomic.AtomicBoolean armed = new java.util.concurrent.atomic.AtomicBoolean(false);
      InMemoryStore<Fields> out = InMemoryStore.create("out");
      Aggregation.Builder b = Aggregation.builder().name("golden").destination(out).state(StateStore.inMemory())
          .batchSize(s.batchSize()).outputKey(Aggregation.OutputKey.MERGE_KEY)
          .retry(dev.patchbay.patterns.RetryPolicy.immediate(2))
          .survivorship("email", Survivorship.mostRecent()).survivorship("credit", Survivorship.max())
          .group("address", List.of("street", "town"), Survivorship.mostComplete());
      for (int i = 0; i < data.size(); i++) {
        Source<Fields> source = i == failing ? failingAt(failingRecords, at, armed) : inOrder(data.get(i));
        b.input(Input.from("in" + i, source).transform(Transform.identity()).mergeKey("account"));
      }
      Aggregation agg = b.build();
      assertEquals(RunStatus.COMPLETED, agg.run().status());
      Map<String, Map<String, Object>> before = contents(out);
      for (int i = 0; i < data.size(); i++) {   // every input changes; the failing one only after it fails
        if (i == failing) {
          continue;
        }
        List<Envelope<Fields>> records = data.get(i);
        for (int j = 0; j < records.size(); j++) {
          if (r.nextInt(3) == 0) {
            Envelope<Fields> e = records.get(j);
            records.set(j, new Envelope<>(e.key(), e.version() + 1, e.payload().with("town", "Moved" + j)));
          }
        }
      }
      armed.set(true);

      AggregationReport partial = agg.run();

      assertEquals(RunStatus.PARTIAL, partial.status(), partial.summary());   // even an empty input: its end was never seen
      assertEquals(List.of("in" + failing), partial.failedInputs());
      int read = (int) partial.inputs().get("in" + failing).read();
      assertTrue(read <= at, "read " + read + " of the failing input, which fails at " + at);
      Set<Object> unread = new java.util.HashSet<>();
      failingRecords.subList(read, failingRecords.size()).forEach(e -> unread.add(e.payload().get("account")));
      List<List<Envelope<Fields>>> readPart = new ArrayList<>(data);
      readPart.set(failing, failingRecords.subList(0, read));
      InMemoryStore<Fields> fromRead = InMemoryStore.create("from-read");
      aggregationLike(readPart, fromRead, s.batchSize()).run();
      Map<String, Map<String, Object>> expected = contents(fromRead);
      Map<String, Map<String, Object>> now = contents(out);
      for (String key : new java.util.TreeSet<>(java.util.stream.Stream.concat(now.keySet().stream(), before.keySet().stream()).toList())) {
        if (unread.contains(key)) {
          assertEquals(before.get(key), now.get(key), key + ": a member of the failing input was not read: held back");
        } else {
          assertEquals(expected.get(key), now.get(key), key + ": made of what was read only");
        }
      }

      armed.set(false);
      AggregationReport next = agg.run();
      assertEquals(RunStatus.COMPLETED, next.status(), next.summary());
      InMemoryStore<Fields> full = InMemoryStore.create("full");
      aggregationLike(data, full, s.batchSize()).run();
      assertEquals(contents(full), contents(out), "the next run completes it");
    });
  }

  /** A new aggregation with the A4 property's rules over {@code records}, every input read whole. */
  private static Aggregation aggregationLike(List<List<Envelope<Fields>>> records, InMemoryStore<Fields> out, int batchSize) {
    Aggregation.Builder b = Aggregation.builder().name("reference").destination(out).state(StateStore.inMemory())
        .batchSize(batchSize).outputKey(Aggregation.OutputKey.MERGE_KEY)
        .survivorship("email", Survivorship.mostRecent()).survivorship("credit", Survivorship.max())
        .group("address", List.of("street", "town"), Survivorship.mostComplete());
    for (int i = 0; i < records.size(); i++) {
      b.input(Input.from("in" + i, inOrder(records.get(i))).transform(Transform.identity()).mergeKey("account"));
    }
    return b.build();
  }
}
