package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.CrashingState;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.matching.Blocking;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * An aggregation whose entities are found by matching, over generated people spread over 2 to 6
 * inputs (some twice in one input, names mistyped, birth dates shared by several, some absent):
 * every record in exactly one entity, at most one per input; the entities and golden records
 * independent of the order of inputs, of records and of the batch size; crashes at any save
 * resumed as if uncrashed; incremental runs equal to a full one; golden ids kept, merged-away ids
 * redirected to the entity holding most of their members; a person's split never undone.
 */
class AggregationMatchingPropertiesTest {

  record Scenario(int people, int inputs, int batchSize, long seed) {
  }

  private static Gen<Scenario> scenarios() {
    return integers().between(1, 40).zip(integers().between(2, 6), integers().between(1, 30), longs().all(), Scenario::new);
  }

  private static Fields person(Random r, int p, int dobs) {
    Map<String, Object> f = new LinkedHashMap<>();
    String name = "Name" + p;
    int typo = r.nextInt(5);
    f.put("name", typo == 0 ? name + "x" : typo == 1 ? "N" + name.substring(2) : name);
    if (r.nextInt(12) > 0) {
      f.put("dob", "d" + (p % dobs));
    }
    if (r.nextBoolean()) {
      f.put("email", "e" + r.nextInt(3) + "@" + p + ".test");
    }
    if (r.nextBoolean()) {
      f.put("credit", r.nextInt(1000));
    }
    return Fields.from(f);
  }

  static List<List<Envelope<Fields>>> generate(Scenario s, Random r) {
    int dobs = Math.max(1, s.people() / 3);
    List<List<Envelope<Fields>>> inputs = new ArrayList<>();
    for (int i = 0; i < s.inputs(); i++) {
      inputs.add(new ArrayList<>());
    }
    for (int p = 0; p < s.people(); p++) {
      for (int i = 0; i < s.inputs(); i++) {
        int n = r.nextInt(10) < 6 ? 1 : r.nextInt(10) < 8 ? 0 : 2;
        for (int c = 0; c < n; c++) {
          inputs.get(i).add(new Envelope<>("k" + p + "-" + c + "-" + r.nextInt(1000), 1 + r.nextInt(1000), person(r, p, dobs)));
        }
      }
    }
    return inputs;
  }

  static Aggregation aggregation(List<List<Envelope<Fields>>> records, List<InMemoryStore<Fields>> feeds, InMemoryStore<Fields> out,
      StateStore state, int batchSize) {
    Aggregation.Builder b = Aggregation.builder().name("people").destination(out).state(state).batchSize(batchSize)
        .match(AggregationMatchingTest.SAME_PERSON, Blocking.field("dob"), 0.9)
        .survivorship("name", Survivorship.mostFrequent()).survivorship("email", Survivorship.mostRecent())
        .survivorship("credit", Survivorship.max());
    for (int i = 0; i < records.size(); i++) {
      b.input(feeds != null && feeds.get(i) != null
          ? Input.changesOf("in" + i, feeds.get(i), DeletePolicy.PROPAGATE).transform(Transform.identity()).matched()
          : Input.from("in" + i, AggregationPropertiesTest.inOrder(records.get(i))).transform(Transform.identity()).matched());
    }
    return b.build();
  }

  /** The golden records by their members ("in0:k1,in2:k7"), each its values; checked against what {@code out} holds. */
  static Map<String, Map<String, Object>> byMembers(Aggregation agg, InMemoryStore<Fields> out) {
    Map<String, Map<String, Object>> m = new TreeMap<>();
    List<GoldenRecord> all = agg.goldenRecords();
    for (GoldenRecord g : all) {
      assertEquals(g.values(), out.get(g.id()).payload(), "the destination holds the golden record of " + g.id());
      m.put(members(g).toString(), new TreeMap<>(g.values().asMap()));
    }
    assertEquals(all.size(), out.size(), "one output record per entity");
    return m;
  }

  static TreeSet<String> members(GoldenRecord g) {
    TreeSet<String> ids = new TreeSet<>();
    g.members().forEach(x -> ids.add(x.source() + ":" + x.key()));
    return ids;
  }

  /** Every record in exactly one entity, at most one per input, every origin a member holding the value. */
  static void checkEntities(Aggregation agg, List<List<Envelope<Fields>>> data) {
    Set<String> expected = new HashSet<>();
    for (int i = 0; i < data.size(); i++) {
      for (Envelope<Fields> rec : data.get(i)) {
        expected.add("in" + i + ":" + rec.key());
      }
    }
    List<String> seen = new ArrayList<>();
    for (GoldenRecord g : agg.goldenRecords()) {
      Set<String> inputs = new HashSet<>();
      g.members().forEach(m -> assertTrue(inputs.add(m.source()), "two records of " + m.source() + " in " + members(g)));
      seen.addAll(members(g));
      for (String field : g.values().names()) {
        for (GoldenRecord.Origin o : g.origins(field)) {
          Fields held = g.members().stream().filter(m -> m.source().equals(o.source()) && m.key().equals(o.key()))
              .findFirst().orElseThrow().values();
          assertTrue(Fields.sameValue(held.get(field), g.values().get(field)), field + " of " + members(g) + " from " + o);
        }
      }
    }
    assertEquals(expected.size(), seen.size(), "no record in two entities: " + seen + " of " + expected);
    assertEquals(expected, new HashSet<>(seen), "every record in an entity");
  }

  @Test
  void everyRecordInExactlyOneEntity_atMostOnePerInput_andTheEntitiesIndependentOfOrderAndBatchSize() {
    qt().withFixedSeed(Seeds.seed("aggregation by matching: order")).withExamples(100).forAll(scenarios()).checkAssert(s -> {
      Random r = new Random(s.seed());
      List<List<Envelope<Fields>>> data = generate(s, r);
      InMemoryStore<Fields> out = InMemoryStore.create("out");
      Aggregation agg = aggregation(data, null, out, StateStore.inMemory(), s.batchSize());
      AggregationReport report = agg.run();
      assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
      checkEntities(agg, data);

      List<List<Envelope<Fields>>> shuffled = new ArrayList<>();
      List<InMemoryStore<Fields>> feeds = new ArrayList<>();
      for (List<Envelope<Fields>> input : data) {
        List<Envelope<Fields>> copy = new ArrayList<>(input);
        Collections.shuffle(copy, r);
        shuffled.add(copy);
        InMemoryStore<Fields> feed = null;
        if (r.nextBoolean()) {
          feed = InMemoryStore.create("feed");
          for (Envelope<Fields> rec : copy) {
            feed.write(List.of(Change.upsert(rec)));
          }
        }
        feeds.add(feed);
      }
      InMemoryStore<Fields> out2 = InMemoryStore.create("out2");
      Aggregation again = aggregation(shuffled, feeds, out2, StateStore.inMemory(), 1 + r.nextInt(30));
      assertEquals(RunStatus.COMPLETED, again.run().status());
      assertEquals(byMembers(agg, out), byMembers(again, out2), "the same entities and golden records, whatever the order");
    });
  }

  @Test
  void crashesResumed_incrementalEqualToFull_idsKeptOrRedirected_andAPersonsSplitNeverUndone() {
    qt().withFixedSeed(Seeds.seed("aggregation by matching: incremental")).withExamples(80).forAll(scenarios()).checkAssert(s -> {
      Random r = new Random(s.seed());
      List<List<Envelope<Fields>>> data = generate(s, r);
      List<InMemoryStore<Fields>> feeds = AggregationPropertiesTest.everyOtherAsFeed(data);
      InMemoryStore<Fields> reference = InMemoryStore.create("reference");
      Aggregation uncrashed = aggregation(data, feeds, reference, StateStore.inMemory(), s.batchSize());
      uncrashed.run();

      CrashingState crashing = new CrashingState(StateStore.inMemory(), Set.of(), Set.of(), () -> { });
      InMemoryStore<Fields> out = InMemoryStore.create("out");
      Aggregation agg = aggregation(data, feeds, out, crashing, s.batchSize());
      AggregationReport last = AggregationPropertiesTest.throughCrashes(agg, crashing, r);
      assertEquals(RunStatus.COMPLETED, last.status(), last.summary());
      assertEquals(byMembers(uncrashed, reference), byMembers(agg, out), "resumed after crashes: as if uncrashed");

      // a person's split of a random member of a random entity of two or more
      List<GoldenRecord> before = agg.goldenRecords();
      List<GoldenRecord> multi = before.stream().filter(g -> g.members().size() > 1).toList();
      Set<String> splitFrom = new HashSet<>();
      String splitOff = null;
      if (!multi.isEmpty() && r.nextBoolean()) {   // in half the examples: the others check incremental against full
        GoldenRecord g = multi.get(r.nextInt(multi.size()));
        GoldenRecord.Member m = g.members().get(r.nextInt(g.members().size()));
        agg.unmerge(g.id(), m.source(), m.key());
        splitOff = m.source() + ":" + m.key();
        splitFrom.addAll(members(g));
        splitFrom.remove(splitOff);
      }
      // changes: names, birth dates, deletes, new records; to inputs read as changes and read whole
      int dobs = Math.max(1, s.people() / 3);
      for (int i = 0; i < data.size(); i++) {
        List<Envelope<Fields>> now = data.get(i);
        for (int c = 0; c < 1 + r.nextInt(4); c++) {
          int kind = r.nextInt(3);
          Envelope<Fields> changed = null;
          String deleted = null;
          if (kind == 0 || now.isEmpty()) {
            changed = new Envelope<>("new" + c + "-" + r.nextInt(1000), 1, person(r, r.nextInt(s.people() + 2), dobs));
            String key = changed.key();
            now.removeIf(x -> x.key().equals(key));
            now.add(changed);
          } else if (kind == 1) {
            int at = r.nextInt(now.size());
            Envelope<Fields> rec = now.get(at);
            changed = new Envelope<>(rec.key(), rec.version() + 1, person(r, r.nextInt(s.people() + 2), dobs));
            now.set(at, changed);
          } else {
            deleted = now.remove(r.nextInt(now.size())).key();
          }
          if (feeds.get(i) != null) {
            feeds.get(i).write(List.of(changed != null ? Change.upsert(changed) : Change.delete(deleted)));
          }
        }
      }
      assertEquals(RunStatus.COMPLETED, agg.run().status());
      checkEntities(agg, data);
      if (splitOff != null) {
        for (GoldenRecord g : agg.goldenRecords()) {
          if (members(g).contains(splitOff)) {
            Set<String> together = new HashSet<>(members(g));
            together.retainAll(splitFrom);
            assertTrue(together.isEmpty(), splitOff + " merged back with " + together);
          }
        }
      }
      if (splitOff == null) {
        InMemoryStore<Fields> full = InMemoryStore.create("full");
        Aggregation fresh = aggregation(data, null, full, StateStore.inMemory(), s.batchSize());
        fresh.run();
        assertEquals(byMembers(fresh, full), byMembers(agg, out), "incremental equal to full");
      }

      // one batch of changes to input 0 alone, by the service restarted with a batch that holds them all: one clustering
      // step, after which every entity whose members did not change keeps its id, and every id merged away redirects
      Aggregation restarted = aggregation(data, feeds, out, crashing, 100_000);
      Map<String, Set<String>> membersOf = new HashMap<>();
      Map<Set<GoldenRecord.Member>, String> idOf = new HashMap<>();
      for (GoldenRecord g : agg.goldenRecords()) {
        membersOf.put(g.id(), members(g));
        idOf.put(new HashSet<>(g.members()), g.id());
      }

      List<Envelope<Fields>> in0 = data.get(0);
      for (int c = 0; c < 2 + r.nextInt(4); c++) {
        Envelope<Fields> changed;
        if (in0.isEmpty() || r.nextBoolean()) {
          changed = new Envelope<>("again" + c, 1, person(r, r.nextInt(s.people() + 2), dobs));
          in0.add(changed);
        } else {
          int at = r.nextInt(in0.size());
          changed = new Envelope<>(in0.get(at).key(), in0.get(at).version() + 1, person(r, r.nextInt(s.people() + 2), dobs));
          in0.set(at, changed);
        }
        feeds.get(0).write(List.of(Change.upsert(changed)));
      }
      assertEquals(RunStatus.COMPLETED, restarted.run().status());
      checkEntities(restarted, data);
      List<GoldenRecord> after = restarted.goldenRecords();
      Map<String, Set<String>> nowOf = new HashMap<>();
      after.forEach(g -> nowOf.put(g.id(), members(g)));
      for (GoldenRecord g : after) {
        String was = idOf.get(new HashSet<>(g.members()));
        if (was != null) {
          assertEquals(was, g.id(), "an entity whose members did not change keeps its id: " + members(g));
        }
      }
      for (Map.Entry<String, Set<String>> old : membersOf.entrySet()) {
        if (nowOf.containsKey(old.getKey())) {
          continue;
        }
        Map<String, Integer> overlap = new HashMap<>();
        nowOf.forEach((id, ms) -> {
          int n = (int) ms.stream().filter(old.getValue()::contains).count();
          if (n > 0) {
            overlap.put(id, n);
          }
        });
        if (overlap.isEmpty()) {
          continue;   // every member gone: deleted, not redirected
        }
        int most = Collections.max(overlap.values());
        var to = restarted.golden(old.getKey());
        assertTrue(to.isPresent(), "the merged-away id " + old.getKey() + " redirects");
        assertEquals(most, (int) overlap.get(to.get().id()), "redirected to the entity holding most of its members");
      }

    });
  }
}
