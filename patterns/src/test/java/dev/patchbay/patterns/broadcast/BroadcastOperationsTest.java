package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.ForwardingState;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.internal.Lifecycle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentMatchers;
import org.mockito.Mockito;
import org.slf4j.MDC;

/** A broadcast's operations as a service calls them: publish, wait, purge, skip and seed while stopped, close. */
class BroadcastOperationsTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A destination that is down, failing each batch after a long backoff: never parked within a test. */
  private static Route<Fields> down(String name) {
    Destination<Fields> refusing = batch -> {
      throw new TransientException(name + ": connection refused");
    };
    return Route.to(name).retry(RetryPolicy.exponential(1, Duration.ofSeconds(3), Duration.ofSeconds(3))).parkAfter(100)
        .into(refusing);
  }

  @Test
  void publishAnswersTheEventWithItsPosition_andAPublishedChangeIsDeliveredFromMemory() throws Exception {
    Outbox outbox = Mockito.spy(Outbox.inMemory());
    AtomicInteger readWithEvents = new AtomicInteger();
    AtomicInteger looked = new AtomicInteger();
    Mockito.doAnswer(call -> {
      @SuppressWarnings("unchecked")
      List<OutboxEvent> got = (List<OutboxEvent>) call.callRealMethod();
      if (!got.isEmpty()) {
        readWithEvents.incrementAndGet();
      }
      looked.incrementAndGet();
      return got;
    }).when(outbox).after(ArgumentMatchers.anyString(), ArgumentMatchers.anyLong(), ArgumentMatchers.anyInt());
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).pollInterval(Duration.ofHours(1))
        .destination(Route.to("erp").into(erp)).build()) {
      assertEquals("b", b.name());
      assertTrue(b.toString().startsWith("Broadcast[b, 1 destinations, "), b.toString());
      b.start();
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (looked.get() == 0 && System.nanoTime() < deadline) {   // the runner's first look, at start, done
        Thread.sleep(5);
      }
      OutboxEvent first = b.publish(upsert("k1", 1, "n", 1));
      assertEquals(1, first.position());
      assertEquals("k1", first.aggregateId());
      assertEquals(2, b.publish(upsert("k2", 1, "n", 2)).position());
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(2, erp.size());
      assertEquals(0, readWithEvents.get(), "what this object published reached its runner from memory, not from the outbox");
    }
    Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(erp)).build();
    List<Change<Fields>> withANull = new ArrayList<>();
    withANull.add(upsert("k", 1, "n", 1));
    withANull.add(null);
    assertEquals("Broadcast 'b': change 1 of 2 is null",
        assertThrows(IllegalArgumentException.class, () -> b.publishAll(withANull)).getMessage());
    assertEquals(List.of(), b.publishAll(List.of()));
  }

  @Test
  void aHealthyDestinationIsRunningFromStart_beforeItsRunnerFirstLooked() throws Exception {
    Outbox outbox = Mockito.spy(Outbox.inMemory());
    java.util.concurrent.CountDownLatch looking = new java.util.concurrent.CountDownLatch(1);
    Mockito.doAnswer(call -> {
      looking.await(10, TimeUnit.SECONDS);   // the runner's first look is slow
      return call.callRealMethod();
    }).when(outbox).after(ArgumentMatchers.anyString(), ArgumentMatchers.anyLong(), ArgumentMatchers.anyInt());
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).destination(Route.to("erp").into(InMemoryStore.create("erp")))
        .build()) {
      b.start();
      assertEquals(DestinationStatus.State.RUNNING, b.status().destination("erp").state());
      looking.countDown();
    }
  }

  @Test
  void awaitDelivered_isFalseWhenNotStarted_atItsTimeout_whenInterrupted_andAtOnceWhenClosedMeanwhile() throws Exception {
    Broadcast idle = Broadcast.builder().name("idle").destination(Route.to("erp").into(InMemoryStore.create("erp"))).build();
    assertFalse(idle.awaitDelivered(WAIT), "not started: nothing is being delivered");

    try (Broadcast b = Broadcast.builder().name("b").destination(down("erp")).build()) {
      b.start();
      b.publish(upsert("k", 1, "n", 1));
      long t0 = System.nanoTime();
      assertFalse(b.awaitDelivered(Duration.ofMillis(200)));
      long took = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(took >= 150 && took < 1_500, "returned at its timeout: " + took + " ms");

      Thread.currentThread().interrupt();
      assertFalse(b.awaitDelivered(WAIT), "interrupted");
      assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");

      CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> b.awaitDelivered(Duration.ofSeconds(30)));
      Thread.sleep(200);
      t0 = System.nanoTime();
      b.close();
      assertFalse(waiting.get(5, TimeUnit.SECONDS), "closed: not delivered");
      assertTrue((System.nanoTime() - t0) / 1_000_000 < 2_000, "the close woke the waiter");
    }
  }

  @Test
  void aChangeFeedNotYetDrained_isNotDelivered() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.write(List.of(upsert("a", 1, "n", 1)));
    java.util.concurrent.atomic.AtomicBoolean slow = new java.util.concurrent.atomic.AtomicBoolean();
    dev.patchbay.core.ChangeFeed<Fields> feed = after -> {
      if (slow.get()) {
        try {
          Thread.sleep(1_000);   // a system slow to answer
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      return crm.changes(after);
    };
    try (Broadcast b = Broadcast.builder().name("b").changesOf(feed).pollInterval(Duration.ofHours(1))
        .destination(Route.to("erp").into(InMemoryStore.create("erp"))).build()) {
      b.start();
      assertTrue(b.awaitDelivered(WAIT), "the feed's first poll");
      slow.set(true);
      crm.write(List.of(upsert("b", 1, "n", 2)));
      assertFalse(b.awaitDelivered(Duration.ofMillis(200)), "the feed's poll had not answered");
      slow.set(false);
      assertTrue(b.awaitDelivered(WAIT));
    }
  }

  /** An in-memory state store that writes down the sequence number of every save of the states {@code named} picks. */
  private static StateStore numbering(List<Long> sequences, java.util.function.Predicate<String> named) {
    StateStore inner = StateStore.inMemory();
    return name -> new ForwardingState(inner.open(name)) {
      @Override
      public void save(Progress progress, Collection<Entry> entries) {
        super.save(progress, entries);
        if (named.test(name)) {
          sequences.add(progress.sequence());
        }
      }
    };
  }

  /** A started broadcast, purging in batches of two, with five events delivered. */
  private static Broadcast fiveDelivered() {
    Broadcast b = Broadcast.builder().name("b").purgeBatch(2).destination(Route.to("erp").into(InMemoryStore.create("erp")))
        .build();
    b.start();
    for (int i = 0; i < 5; i++) {
      b.publish(upsert("k" + i, 1, "n", i));
    }
    assertTrue(b.awaitDelivered(WAIT));
    return b;
  }

  @Test
  void purgeRemovesEverythingEveryReaderHas_inBatchesOfItsSize() {
    try (Broadcast b = fiveDelivered()) {
      assertEquals(5, b.purge(), "three batches of at most two");
      assertEquals(0, b.status().outboxSize());
    }
  }

  @Test
  void theBackgroundPurger_removesWholeBatchesWithinAboutASecond_andLeavesAPartOfOneForLater() throws Exception {
    try (Broadcast b = fiveDelivered()) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (b.status().outboxSize() > 1 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertTrue(b.status().outboxSize() <= 1, "two whole batches purged by the broadcast itself: " + b.status().summary());
    }
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(InMemoryStore.create("erp"))).build()) {
      b.start();
      b.publish(upsert("k", 1, "n", 1));
      assertTrue(b.awaitDelivered(WAIT));
      Thread.sleep(2_500);
      assertEquals(1, b.status().outboxSize(), "one event of a batch of 1,000 waits for the ten-second purge");
    }
  }

  @Test
  void anotherObjectsPublishOnTheSameOutbox_wakesTheRunners_whateverThePollInterval() throws Exception {
    Outbox outbox = Outbox.inMemory();
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    Broadcast publisher = Broadcast.builder().name("b").outbox(outbox).destination(Route.to("erp").into(erp)).build();
    try (Broadcast runner = Broadcast.builder().name("b").outbox(outbox).pollInterval(Duration.ofHours(1))
        .destination(Route.to("erp").into(erp)).build()) {
      runner.start();
      Thread.sleep(200);   // looked once, waiting for the poll an hour away
      publisher.publish(upsert("k", 1, "n", 1));   // another object (another process, on a shared outbox that notifies)
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (erp.size() < 1 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertEquals(1, erp.size(), "told by the outbox, not found by the poll");
    }
  }

  @Test
  void aPolledFeedsCheckpoint_isSavedAndLetGo_soThatTheNextStartAppendsNothingTwice() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.write(List.of(upsert("a", 1, "n", 1), upsert("b", 1, "n", 2), upsert("c", 1, "n", 3)));
    Outbox outbox = Outbox.inMemory();
    List<Long> feedSequences = new CopyOnWriteArrayList<>();
    StateStore state = numbering(feedSequences, name -> !name.endsWith(".erp"));
    for (int run = 0; run < 2; run++) {
      if (run == 1) {
        crm.write(List.of(upsert("d", 1, "n", 4)));   // one change for the second run
      }
      try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).state(state).changesOf(crm)
          .destination(Route.to("erp").into(InMemoryStore.create("erp"))).build()) {
        b.start();   // the second start takes the feed's state again: the first let it go
        assertTrue(b.awaitDelivered(WAIT));
      }
    }
    assertEquals(4, outbox.end(), "the second run appended its one change, nothing again");
    assertTrue(feedSequences.size() >= 2, feedSequences.toString());
    for (int i = 1; i < feedSequences.size(); i++) {
      assertTrue(feedSequences.get(i) > feedSequences.get(i - 1), "the feed's saves numbered upwards: " + feedSequences);
    }
  }

  @Test
  void closeEndsAfterTheBatchEachRunnerIsOn() throws Exception {
    java.util.concurrent.CountDownLatch writing = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.atomic.AtomicBoolean written = new java.util.concurrent.atomic.AtomicBoolean();
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    Destination<Fields> slow = batch -> {
      writing.countDown();
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      List<dev.patchbay.core.Outcome> outcomes = erp.write(batch);
      written.set(true);
      return outcomes;
    };
    Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(slow)).build();
    b.start();
    b.publish(upsert("k", 1, "n", 1));
    assertTrue(writing.await(10, TimeUnit.SECONDS));
    b.close();
    assertTrue(written.get(), "close returned once the batch in hand was written");
    assertEquals(1, erp.size());
  }

  @Test
  void startGivesTheCallersLogContextBack() {
    MDC.put(Lifecycle.MDC_PATTERN, "outer-pattern");
    MDC.put(Lifecycle.MDC_NAME, "outer-name");
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(InMemoryStore.create("erp"))).build()) {
      b.start();
      assertEquals("outer-pattern", MDC.get(Lifecycle.MDC_PATTERN));
      assertEquals("outer-name", MDC.get(Lifecycle.MDC_NAME));
    } finally {
      MDC.clear();
    }
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(InMemoryStore.create("erp"))).build()) {
      b.start();
      assertNull(MDC.get(Lifecycle.MDC_PATTERN), "none where the caller had none");
      assertNull(MDC.get(Lifecycle.MDC_NAME));
    }
  }

  @Test
  void aPoisonIsSkippedWhileTheBroadcastIsClosed_andSeedingNumbersItsLedgerAfterTheLast() {
    List<Long> sequences = new CopyOnWriteArrayList<>();
    StateStore state = numbering(sequences, name -> true);
    Outbox outbox = Outbox.inMemory();
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    Destination<Fields> refusing = batch -> {
      if (batch.stream().anyMatch(c -> c.key().equals("bad"))) {
        throw new IllegalArgumentException("refused");
      }
      return erp.write(batch);
    };
    Broadcast.Builder config = Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("erp").into(refusing));
    Broadcast b = config.build();
    assertEquals("destination 'erp' is not parked on a record it refused",
        assertThrows(IllegalStateException.class, () -> b.skip("erp")).getMessage());
    try (b) {
      b.start();
      b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("bad", 1, "n", 2), upsert("c", 1, "n", 3)));
      assertFalse(b.awaitDelivered(WAIT));
    }
    b.skip("erp");   // closed: written to its ledger
    try (b) {
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(2, erp.size());
      assertEquals("skipped by a person after: record 'bad' at position 2 refused by the destination: IllegalArgumentException:"
          + " refused", b.status().destination("erp").failures().get(0).reason());
    }
    long before = sequences.get(sequences.size() - 1);
    b.seed("erp", () -> { });
    assertEquals(before + 1, sequences.get(sequences.size() - 1), "the seeded ledger is numbered after the last");

    List<CatalogEntry> rows = Broadcast.builder().name("b").changesOf(InMemoryStore.create("crm"))
        .destination(Route.to("erp").into(erp)).destination(Route.to("queue").into(erp)).build()
        .catalogEntries(x -> x.status(CatalogEntry.Status.PROPOSED));
    assertEquals(2, rows.size(), "a row per destination");
    assertEquals(CatalogEntry.Pattern.BROADCAST, rows.get(0).pattern());
  }

  /**
   * A status asked while the broadcast starts or closes (a metrics scrape, a health check) reads each
   * ledger from its runner or from the store, never a ledger a runner is taking or letting go of: it
   * made start() fail ("held by another run"), or itself threw, on the code before.
   */
  @Test
  void statusAskedWhileTheBroadcastStartsAndCloses_neverTripsOverTheLedgers() throws Exception {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(erp))
        .destination(Route.to("crm").into(crm)).build()) {
      java.util.concurrent.atomic.AtomicReference<Throwable> thrown = new java.util.concurrent.atomic.AtomicReference<>();
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      java.util.concurrent.atomic.AtomicLong asked = new java.util.concurrent.atomic.AtomicLong();
      Thread scraper = new Thread(() -> {
        while (!done.get()) {
          try {
            b.status();
            asked.incrementAndGet();
          } catch (Throwable t) {
            thrown.compareAndSet(null, t);
          }
        }
      });
      scraper.start();
      try {
        for (int i = 0; i < 200 && thrown.get() == null; i++) {
          b.publish(Change.upsert(Envelope.of("k" + i, Fields.of("n", i))));
          b.start();
          b.close();
        }
      } finally {
        done.set(true);
        scraper.join();
      }
      assertEquals(null, thrown.get(), "a status asked while starting or closing threw");
      assertTrue(asked.get() > 0);
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(200, erp.size());
      assertEquals(200, crm.size());
    }
  }
}
