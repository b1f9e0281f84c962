package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Gate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The aggregation as deployed: its state in each database's JDBC state store, every kind of value
 * through it; two instances of a service over one state; a destination that goes down mid-run, and a
 * restarted service going on from where the failed run stopped.
 */
class AggregationDeploymentTest {

  private static StateStore fresh(TestDatabases db, String prefix) {
    DataSource ds = db.dataSource();
    for (String t : List.of("_progress", "_entries", "_leases")) {
      TestDatabases.execute(ds, "DROP TABLE IF EXISTS " + prefix + t);
    }
    return JdbcStateStore.of(ds, prefix);
  }

  private static Map<String, Fields> contents(InMemoryStore<Fields> out) {
    Map<String, Fields> m = new TreeMap<>();
    out.snapshot().forEach((k, e) -> m.put(k, e.payload()));
    return m;
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void inEachDatabasesStateStore_aRunAndAnIncrementalOne_endAsInMemory_everyValueWhole(TestDatabases db) {
    StateStore state = fresh(db, "agg_dep");
    List<InMemoryStore<Fields>> stores = KillableAggregation.stores();
    InMemoryStore<Fields> out = InMemoryStore.create("out");
    Aggregation agg = KillableAggregation.builder(stores).destination(out).state(state).build();
    assertEquals(RunStatus.COMPLETED, agg.run().status());
    Envelope<Fields> some = stores.get(1).snapshot().values().iterator().next();
    stores.get(1).write(List.of(Change.upsert(new Envelope<>(some.key(), some.version() + 1,
        some.payload().with("town", "Te Aro \uD83C\uDF3F")))));   // a change through the feed input

    AggregationReport incremental = agg.run();

    assertEquals(RunStatus.COMPLETED, incremental.status(), incremental.summary());
    InMemoryStore<Fields> reference = InMemoryStore.create("reference");
    KillableAggregation.builder(stores).destination(reference).state(StateStore.inMemory()).build().run();
    assertEquals(contents(reference), contents(out), db + ": as an aggregation kept in memory");
    assertTrue(out.snapshot().values().stream().anyMatch(e -> String.valueOf(e.payload().get("notes")).length() > 70_000));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void byMatching_inEachDatabasesStateStore_entitiesAsInMemory_throughChangesAndAPersonsSplit(TestDatabases db) {
    StateStore state = fresh(db, "agg_match");
    var scenario = new AggregationMatchingPropertiesTest.Scenario(30, 4, 7, 11);
    java.util.Random r = new java.util.Random(scenario.seed());
    List<List<Envelope<Fields>>> data = AggregationMatchingPropertiesTest.generate(scenario, r);
    data.get(1).add(new Envelope<>("k\uD83C\uDF3F \u00e9", 5, Fields.of("name", "Name1 \uD83C\uDF3F", "dob", "d1")));
    List<InMemoryStore<Fields>> feeds = AggregationPropertiesTest.everyOtherAsFeed(data);
    InMemoryStore<Fields> out = InMemoryStore.create("out");
    Aggregation agg = AggregationMatchingPropertiesTest.aggregation(data, feeds, out, state, scenario.batchSize());
    assertEquals(RunStatus.COMPLETED, agg.run().status());
    Envelope<Fields> first = data.get(0).get(0);
    Envelope<Fields> moved = new Envelope<>(first.key(), first.version() + 1, first.payload().with("dob", "d2"));
    data.get(0).set(0, moved);
    feeds.get(0).write(List.of(Change.upsert(moved)));
    data.get(1).remove(data.get(1).size() - 2);   // gone from an input read whole
    assertEquals(RunStatus.COMPLETED, agg.run().status());

    InMemoryStore<Fields> reference = InMemoryStore.create("reference");
    Aggregation inMemory = AggregationMatchingPropertiesTest.aggregation(data, null, reference, StateStore.inMemory(), 50);
    inMemory.run();
    assertEquals(AggregationMatchingPropertiesTest.byMembers(inMemory, reference),
        AggregationMatchingPropertiesTest.byMembers(agg, out), db + ": the entities and golden records as in memory");

    GoldenRecord some = agg.goldenRecords().stream().filter(g -> g.members().size() > 2).findFirst().orElseThrow();
    GoldenRecord.Member off = some.members().get(0);
    agg.unmerge(some.id(), off.source(), off.key());
    assertEquals(RunStatus.COMPLETED, agg.run().status());
    List<String> left = some.members().stream().filter(m -> !m.equals(off)).map(m -> m.source() + ":" + m.key()).toList();
    for (GoldenRecord g : agg.goldenRecords()) {
      java.util.Set<String> members = AggregationMatchingPropertiesTest.members(g);
      if (members.contains(off.source() + ":" + off.key())) {
        assertTrue(left.stream().noneMatch(members::contains), db + ": split off, and not merged back by the next run");
      }
    }
    java.util.Set<String> kept = AggregationMatchingPropertiesTest.members(agg.golden(some.id()).orElseThrow());
    assertTrue(left.stream().anyMatch(kept::contains) && !kept.contains(off.source() + ":" + off.key()),
        db + ": the id stays with the records left, not with the one split off: " + kept);
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"POSTGRESQL", "MARIADB"})
  void twoInstancesOfAService_oneState_oneRunsAtATime_andTheOtherThenFindsNothingToDo(TestDatabases db) throws Exception {
    StateStore state = fresh(db, "agg_two");
    List<InMemoryStore<Fields>> stores = KillableAggregation.stores();
    InMemoryStore<Fields> out = InMemoryStore.create("out");
    Gate gate = new Gate(2);
    Destination<Fields> gated = batch -> {
      gate.pass();
      return out.write(batch);
    };
    Aggregation first = KillableAggregation.builder(stores).destination(gated).state(state).build();
    Aggregation second = KillableAggregation.builder(stores).destination(out).state(state).build();

    CompletableFuture<AggregationReport> running = CompletableFuture.supplyAsync(first::run);
    assertTrue(gate.awaitReached(), "the first instance is writing");
    SetupException refused = assertThrows(SetupException.class, second::run);
    assertTrue(refused.getMessage().contains("killable"), refused.getMessage());
    gate.open();
    assertEquals(RunStatus.COMPLETED, running.get(60, TimeUnit.SECONDS).status());

    AggregationReport after = second.run();
    assertEquals(RunStatus.COMPLETED, after.status(), after.summary());
    assertEquals(0, after.output().written(), "the first instance's work is the second's: " + after.summary());
  }

  @ParameterizedTest
  @EnumSource(value = TestDatabases.class, names = {"H2", "POSTGRESQL"})
  void aDestinationDownMidRun_failsTheRun_andARestartedServiceGoesOnFromTheBatchItStopped(TestDatabases db) {
    StateStore state = fresh(db, "agg_down");
    List<InMemoryStore<Fields>> stores = KillableAggregation.stores();
    InMemoryStore<Fields> out = InMemoryStore.create("out");
    AtomicBoolean down = new AtomicBoolean(false);
    int[] writes = {0};
    Destination<Fields> flaky = batch -> {
      if (++writes[0] == 3) {
        down.set(true);
      }
      if (down.get()) {
        throw new TransientException("destination unreachable");
      }
      return out.write(batch);
    };
    AggregationReport failed = KillableAggregation.builder(stores).destination(flaky).state(state)
        .build().run();
    assertEquals(RunStatus.FAILED, failed.status(), failed.summary());
    assertTrue(failed.message().startsWith("the destination failed: TransientException"), failed.message());
    assertTrue(failed.message().contains("the next run goes on from batch"), failed.message());
    int before = out.size();
    assertTrue(before > 0, "two batches were written before it went down");
    down.set(false);

    AggregationReport restarted = KillableAggregation.builder(stores).destination(flaky).state(state).build().run();

    assertEquals(RunStatus.COMPLETED, restarted.status(), restarted.summary());
    assertTrue(restarted.findings().stream().anyMatch(f -> f.startsWith("went on with run #1")), restarted.findings().toString());
    assertEquals(0, restarted.inputs().values().stream().mapToLong(c -> c.read()).sum(),
        "every input was read to its end before the destination failed: the resumed run only writes");
    InMemoryStore<Fields> reference = InMemoryStore.create("reference");
    KillableAggregation.builder(stores).destination(reference).state(StateStore.inMemory()).build().run();
    assertEquals(contents(reference), contents(out));
  }
}
