package dev.patchbay.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.Route;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each pattern's meters in a {@link SimpleMeterRegistry}, the same test for all four: a run over a
 * destination that fails once, transiently, then takes every record.
 */
class PatchbayMetricsTest {

  private static final int RECORDS = 12;
  private static final RetryPolicy RETRY = RetryPolicy.immediate(3);

  /** A system whose first write fails, transiently. */
  static final class FailsOnce implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {
    final InMemoryStore<Fields> store;
    private final AtomicBoolean failed = new AtomicBoolean();

    FailsOnce(String name) {
      store = InMemoryStore.create(name);
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      if (failed.compareAndSet(false, true)) {
        throw new TransientException("connection reset");
      }
      return store.write(batch);
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      return store.changes(after);
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      return store.lookup(keys);
    }
  }

  /** A pattern, what it is, and the records waiting for it. */
  record Case(String kind, Pattern<?> pattern) {
    @Override
    public String toString() {
      return kind;
    }
  }

  static List<Change<Fields>> records(String prefix, String field, int n) {
    List<Change<Fields>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Change.upsert(new Envelope<>(prefix + i, 2, Fields.of("id", "p" + i, field, prefix + i))));
    }
    return all;
  }

  static Stream<Case> patterns() {
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    legacy.write(records("r-", "n", RECORDS));
    Migration<Fields, Fields> migration = Migration.builder().name("cases").source(legacy).scope(ScopeCriteria.all())
        .transform(r -> r).destination(new FailsOnce("cases")).batchSize(5).retry(RETRY).build();

    FailsOnce permits = new FailsOnce("permits");
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.write(records("r-", "n", RECORDS));
    BidirectionalSync sync = BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).retry(RETRY).build();

    InMemoryStore<Fields> north = InMemoryStore.create("north");
    FailsOnce south = new FailsOnce("south");
    north.write(records("n-", "phone", RECORDS));
    List<Change<Fields>> older = new ArrayList<>();
    for (int i = 0; i < RECORDS; i++) {
      older.add(Change.upsert(new Envelope<>("s-" + i, 1, Fields.of("id", "p" + i, "phone", "old"))));
    }
    south.store.write(older);
    Correlation correlation = Correlation.builder().name("patients").sideA(north).sideB(south)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(MatchRule.exact("id")).blocking(Blocking.field("id"))
        .thresholds(1, 1).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).retry(RETRY).build();

    Broadcast broadcast = Broadcast.builder().name("closed-won").state(StateStore.inMemory())
        .destination(Route.to("erp").retry(RETRY).into(new FailsOnce("erp"))).build();
    broadcast.publishAll(records("r-", "n", RECORDS));

    InMemoryStore<Fields> accounts = InMemoryStore.create("accounts");
    accounts.write(records("a-", "n", RECORDS));
    dev.patchbay.patterns.aggregation.Aggregation aggregation = dev.patchbay.patterns.aggregation.Aggregation.builder()
        .name("golden").destination(new FailsOnce("golden")).outputKey(dev.patchbay.patterns.aggregation.Aggregation.OutputKey.MERGE_KEY)
        .batchSize(5).retry(RETRY)
        .input(dev.patchbay.patterns.aggregation.Input.from("accounts", accounts).transform(r -> r).mergeKey("id")).build();

    return Stream.of(new Case("migration", migration), new Case("sync", sync), new Case("correlation", correlation),
        new Case("broadcast", broadcast), new Case("aggregation", aggregation));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("patterns")
  void aRun_countsRecordsByOutcome_timesBatchesAndTheRun_andCountsTheRetry(Case c) {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PatchbayMetrics(c.pattern()).bindTo(registry);
    Report report = c.pattern().run();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());

    String[] tags = {"pattern", c.kind(), "name", c.pattern().name()};
    double created = registry.find("patchbay.records").tags(tags).tag("outcome", "created").counters().stream()
        .mapToDouble(Counter::count).sum();
    assertEquals(RECORDS, created + updated(registry, tags), "every record delivered is counted once: " + dump(registry));
    assertEquals(1, registry.get("patchbay.run").tags(tags).tag("status", "completed").timer().count());
    assertTrue(registry.get("patchbay.batch").tags(tags).timer().count() >= 1);
    assertEquals(1.0, registry.get("patchbay.retries").tags(tags).counter().count(), "the one transient failure");
  }

  private static double updated(SimpleMeterRegistry registry, String[] tags) {
    return registry.find("patchbay.records").tags(tags).tag("outcome", "updated").counters().stream()
        .mapToDouble(Counter::count).sum();
  }

  @Test
  void aFailedRecord_isCountedWithItsStage() {
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    legacy.write(records("r-", "n", 4));
    Migration<Fields, Fields> migration = Migration.builder().name("cases").source(legacy).scope(ScopeCriteria.all())
        .transform(r -> {
          if (r.key().equals("r-2")) {
            throw DataException.field("n", "not a number");
          }
          return r;
        }).destination(InMemoryStore.<Fields>create("cases")).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PatchbayMetrics(migration).bindTo(registry);
    migration.run();
    assertEquals(1.0, registry.get("patchbay.records").tags("name", "cases", "outcome", "failed", "stage", "transform")
        .counter().count());
    assertEquals(3.0, registry.get("patchbay.records").tags("name", "cases", "outcome", "created", "stage", "none")
        .counter().count());
  }

  @Test
  void aConflict_isCounted() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    BidirectionalSync sync = BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PatchbayMetrics(sync).bindTo(registry);
    crm.write(List.of(Change.upsert(new Envelope<>("k", 1, Fields.of("n", 1)))));
    sync.run();
    crm.write(List.of(Change.upsert(new Envelope<>("k", 2, Fields.of("n", 2)))));
    permits.write(List.of(Change.upsert(new Envelope<>("k", 3, Fields.of("n", 3)))));
    sync.run();
    assertEquals(1.0, registry.get("patchbay.conflicts").tags("name", "crm-permits").counter().count());
  }

  @Test
  void aBroadcastsLagAndParkedDestinations_areGauges() {
    Broadcast broadcast = Broadcast.builder().name("closed-won").state(StateStore.inMemory())
        .destination(Route.to("erp").into(InMemoryStore.<Fields>create("erp")))
        .destination(Route.to("audit").parkAfter(1).retry(RetryPolicy.immediate(1)).into(batch -> {
          throw new TransientException("down");
        })).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new PatchbayMetrics(broadcast).bindTo(registry);
    broadcast.publishAll(records("r-", "n", 3));
    assertEquals(3.0, registry.get("patchbay.broadcast.lag.events").tag("destination", "erp").gauge().value());
    assertEquals(0.0, registry.get("patchbay.broadcast.parked").tag("destination", "audit").gauge().value());

    Report report = broadcast.run();
    assertEquals(RunStatus.PARTIAL, report.status(), report.summary());
    assertEquals(0.0, registry.get("patchbay.broadcast.lag.events").tag("destination", "erp").gauge().value());
    assertEquals(3.0, registry.get("patchbay.broadcast.lag.events").tag("destination", "audit").gauge().value());
    assertEquals(1.0, registry.get("patchbay.broadcast.parked").tag("destination", "audit").gauge().value());
    assertTrue(registry.get("patchbay.broadcast.lag").tag("destination", "audit").timeGauge().value(TimeUnit.MILLISECONDS) >= 0);
    assertEquals(1, registry.get("patchbay.run").tag("status", "partial").timer().count());
  }

  private static String dump(SimpleMeterRegistry registry) {
    StringBuilder s = new StringBuilder();
    for (Meter m : registry.getMeters()) {
      s.append('\n').append(m.getId()).append(' ');
      m.measure().forEach(x -> s.append(x.getValue()).append(' '));
    }
    return s.toString();
  }

  /**
   * Two instances of a service: the other holds the broadcast's ledgers, so its status cannot be
   * read here. The meters are bound all the same (found by the starter's two-instance test, where
   * binding read the status and the second instance failed to start); the gauges read NaN until
   * this instance takes over.
   */
  @Test
  void aBroadcastWhoseLedgersAnotherInstanceHolds_isBoundAllTheSame_itsGaugesNaN() {
    StateStore shared = StateStore.inMemory();
    Broadcast broadcast = Broadcast.builder().name("closed-won").state(shared)
        .destination(Route.to("erp").into(InMemoryStore.<Fields>create("erp"))).build();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (var otherInstance = shared.open("closed-won.erp")) {
      new PatchbayMetrics(broadcast).bindTo(registry);
      assertTrue(Double.isNaN(registry.get("patchbay.broadcast.parked").tag("destination", "erp").gauge().value()));
    }
    assertEquals(0.0, registry.get("patchbay.broadcast.parked").tag("destination", "erp").gauge().value());
    assertEquals(List.of("erp"), broadcast.destinations());
  }
}
