package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.Transform;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** A6: the record collected live from every input's lookup at once, merged by the run's rules, naming the inputs that did not answer. */
class AggregationLookupTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private final InMemoryStore<Fields> tracker = InMemoryStore.create("tracker");
  private final InMemoryStore<Fields> out = InMemoryStore.create("out");

  private static void put(InMemoryStore<Fields> store, String key, long version, Object... fields) {
    store.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }

  @Test
  void aLookup_mergesWhatEveryInputHoldsNow_asARunWould() {
    put(crm, "A-1", 3, "account", "A-1", "name", "Acme", "credit", 10);
    put(erp, "cust-77", 9, "account", "A-1", "name", "ACME Ltd", "credit", 40);
    put(tracker, "A-1", 1, "account", "A-1", "open_tickets", 2);
    Aggregation agg = Aggregation.builder().name("live").destination(out).outputKey(Aggregation.OutputKey.MERGE_KEY)
        .survivorship("credit", Survivorship.max())
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", erp).transform(Transform.identity()).lookup(erp, k -> List.of("cust-77")).mergeKey("account"))
        .input(Input.from("tracker", tracker).transform(Transform.identity()).mergeKey("account"))
        .build();

    Collected live = agg.lookup("A-1");

    assertTrue(live.complete(), live.missing().toString());
    assertEquals(List.of("crm", "erp", "tracker"), live.answered());
    GoldenRecord g = live.record().orElseThrow();
    assertEquals(GoldenRecord.LIVE, g.id());
    agg.run();
    assertEquals(out.get("A-1").payload(), g.values(), "the same record a run writes");
    assertEquals(40, g.values().get("credit"));
    assertEquals("erp", g.origins("credit").get(0).source());
    assertTrue(agg.lookup("A-404").record().isEmpty());
  }

  @Test
  void anInputPastItsTimeout_isAnsweredAsMissing_notWaitedFor_andAFailingOneIsNamed() throws Exception {
    put(crm, "A-1", 1, "account", "A-1", "name", "Acme");
    put(erp, "A-1", 1, "account", "A-1", "credit", 5);
    CountDownLatch release = new CountDownLatch(1);
    Lookup<Fields> slow = keys -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return erp.lookup(keys);
    };
    Lookup<Fields> down = keys -> {
      throw new TransientException("tracker down");
    };
    Aggregation agg = Aggregation.builder().name("live").destination(out).lookupTimeout(Duration.ofMillis(150))
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", erp).transform(Transform.identity()).lookup(slow).mergeKey("account"))
        .input(Input.from("tracker", tracker).transform(Transform.identity()).lookup(down).mergeKey("account"))
        .input(Input.from("billing", (dev.patchbay.core.Source<Fields>) after -> crm.read(after)).transform(Transform.identity()).mergeKey("account"))
        .build();

    long began = System.nanoTime();
    Collected live = agg.lookup("A-1");
    long tookMillis = (System.nanoTime() - began) / 1_000_000;
    release.countDown();

    assertTrue(tookMillis < 2_000, "not waited for: " + tookMillis + " ms");
    assertEquals(List.of("crm"), live.answered());
    assertEquals(Map.of("erp", "timed out after 150 ms", "tracker", "failed: TransientException: tracker down",
        "billing", "no lookup"), live.missing());
    assertEquals(List.of("erp", "tracker", "billing"), List.copyOf(live.missing().keySet()), "in the inputs' order");
    org.junit.jupiter.api.Assertions.assertFalse(live.complete(), "three inputs missing: not complete");
    assertEquals(Fields.of("account", "A-1", "name", "Acme"), live.record().orElseThrow().values());
  }
}
