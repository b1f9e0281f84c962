package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ForwardingState;
import dev.patchbay.patterns.LogCapture;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * What a destination's runner saves and says: every decision in its ledger before it acts on it
 * (so that a new process finds it), its logs worded by what happened, and the batches it is given
 * decided the same whatever a key's versions look like.
 */
class BroadcastLedgerTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  /** A state store that writes down, in order, every ledger entry and sequence it saves (and what else {@code log} is given). */
  private static final class Recording {
    final StateStore inner = StateStore.inMemory();
    final List<String> log = new CopyOnWriteArrayList<>();
    final List<Fields> ledgers = new CopyOnWriteArrayList<>();
    final List<Long> sequences = new CopyOnWriteArrayList<>();

    StateStore store() {
      return name -> new ForwardingState(inner.open(name)) {
        @Override
        public void save(Progress progress, Collection<Entry> entries) {
          super.save(progress, entries);
          sequences.add(progress.sequence());
          entries.stream().filter(e -> e.space().equals(Ledger.LEDGER)).forEach(e -> {
            ledgers.add(e.value());
            log.add("ledger skip=" + e.value().get("skip"));
          });
        }
      };
    }

    Fields lastLedger() {
      return ledgers.get(ledgers.size() - 1);
    }
  }

  /** Refuses key "bad" with an error that is not transient; writes down each call. */
  private static Destination<Fields> refusingBad(InMemoryStore<Fields> store, List<String> log) {
    return batch -> {
      log.add("write " + batch.stream().map(Change::key).toList());
      if (batch.stream().anyMatch(c -> c.key().equals("bad"))) {
        throw new IllegalArgumentException("value too long for 'bad'");
      }
      return store.write(batch);
    };
  }

  @Test
  void aPersonsSkipAndResume_areSavedBeforeTheRunnerActs_andAPoisonIsFoundAgainByANewProcess() throws Exception {
    Recording state = new Recording();
    Outbox outbox = Outbox.inMemory();
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    List<String> calls = new CopyOnWriteArrayList<>();
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).state(state.store())
        .destination(Route.to("erp").into(refusingBad(erp, calls))).build()) {
      b.start();
      b.publish(upsert("bad", 1, "n", 1));
      assertFalse(b.awaitDelivered(WAIT));
      assertEquals(List.of("write [bad]"), calls, "a batch of one refused record is asked once, not again to find it");
    }
    assertEquals(1L, state.lastLedger().get("poison"), "the record it is parked on, saved");
    DestinationStatus closed = Broadcast.builder().name("b").outbox(outbox).state(state.store())
        .destination(Route.to("erp").into(erp)).build().status().destination("erp");
    assertEquals(DestinationStatus.State.PARKED, closed.state(), "a closed broadcast's status reads the ledger");
    assertEquals(0, closed.position());
    assertEquals(1, closed.lagChanges(), "the outbox's end less its position");

    try (Broadcast again = Broadcast.builder().name("b").outbox(outbox).state(state.store())
        .destination(Route.to("erp").into(refusingBad(erp, calls))).build()) {
      again.start();
      assertEquals(DestinationStatus.State.PARKED, again.status().destination("erp").state());
      again.publish(upsert("good", 1, "n", 2));
      Thread.sleep(200);   // its runner waits, parked: the skip must wake it
      int saved = state.ledgers.size();
      again.skip("erp");   // possible only where the poison's position was saved and read back
      Fields skip = state.ledgers.get(saved);
      assertEquals(1L, skip.get("skip"), "saved before the runner passes it: " + skip);
      assertEquals("skipped by a person after: record 'bad' at position 1 refused by the destination:"
          + " IllegalArgumentException: value too long for 'bad'", skip.get("skipWhy"));
      assertTrue(again.awaitDelivered(WAIT));
      assertEquals(1, erp.size());

      again.publish(upsert("bad", 2, "n", 3));
      assertFalse(again.awaitDelivered(WAIT));
      saved = state.ledgers.size();
      again.resume("erp");
      assertEquals(Boolean.FALSE, state.ledgers.get(saved).get("parked"), "the resume saved before the batch is tried");
    }
    List<Long> sequences = new ArrayList<>(state.sequences);
    for (int i = 1; i < sequences.size(); i++) {
      assertEquals(sequences.get(i - 1) + 1, sequences.get(i), "each save of the ledger numbered after the last: " + sequences);
    }
  }

  @Test
  void aRecordSentToTheDeadLetter_isSavedAsPassedBeforeItsBatchIsWrittenAgain() {
    Recording state = new Recording();
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> dead = InMemoryStore.create("dead");
    Destination<Fields> deadLetter = batch -> {
      state.log.add("dead letter " + batch.stream().map(Change::key).toList());
      return dead.write(batch);
    };
    try (Broadcast b = Broadcast.builder().name("b").state(state.store())
        .destination(Route.to("erp").deadLetter(deadLetter).into(refusingBad(erp, state.log))).build()) {
      b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("bad", 1, "n", 2), upsert("c", 1, "n", 3)));
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
    }
    List<String> log = state.log;
    int sent = log.indexOf("dead letter [bad]");
    assertTrue(sent > 0, log.toString());
    assertTrue(log.get(sent + 1).startsWith("ledger ") && log.get(sent + 1).contains("skip=2"),
        "passed in the ledger before anything else is written: " + log);
    assertEquals("write [a, c]", log.get(sent + 2), log.toString());
    assertEquals(2, erp.size());
    assertEquals(1, dead.size());
  }

  /** Found by mutation testing: a destination that refused the batch but took each change alone was asked for ever. */
  @Test
  void aDestinationThatRefusesTheBatchButTakesEachChangeAlone_isDelivered_notAskedForEver() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    AtomicInteger calls = new AtomicInteger();
    Destination<Fields> onePerCall = batch -> {
      calls.incrementAndGet();
      if (batch.size() > 1) {
        throw new IllegalArgumentException("at most one change per call");
      }
      return erp.write(batch);
    };
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(onePerCall)).build()) {
      b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("b", 1, "n", 2), upsert("c", 1, "n", 3)));
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      DestinationStatus s = b.status().destination("erp");
      assertEquals(DestinationStatus.State.RUNNING, s.state());
      assertEquals(3, s.counts().created());
      assertEquals(3, s.position());
      assertEquals(4, calls.get(), "the batch once, then each change alone: " + calls);
    }
    assertEquals(3, erp.size());
  }

  /**
   * Found by the B1 to B4 property (about one run in seven): a process died after its batch of
   * nine events landed at a destination; the next process's runner took its first batch from the
   * buffer, which another destination's runner had filled with only the first four, and wrote a
   * key's older version over the newer one the landed batch had left ({@code k: 5 -> 3}).
   */
  @Test
  void aBatchThatLandedBeforeTheProcessDied_isNeverFollowedByAShorterOneWritingOlderVersions() throws Exception {
    Outbox outbox = Outbox.inMemory();
    StateStore state = StateStore.inMemory();
    Broadcast.builder().name("b").outbox(outbox).state(state).destination(Route.to("queue").into(InMemoryStore.create("x")))
        .build().publishAll(List.of(upsert("a", 1, "n", 1), upsert("k", 3, "n", 2), upsert("b", 1, "n", 3),
            upsert("c", 1, "n", 4), upsert("d", 1, "n", 5), upsert("e", 1, "n", 6), upsert("k", 5, "n", 7),
            upsert("f", 1, "n", 8), upsert("g", 1, "n", 9)));   // another process published them
    java.util.Map<String, Long> held = new java.util.concurrent.ConcurrentHashMap<>();
    List<String> backwards = new CopyOnWriteArrayList<>();
    java.util.concurrent.atomic.AtomicBoolean dies = new java.util.concurrent.atomic.AtomicBoolean(true);
    Destination<Fields> queue = batch -> {
      for (Change<Fields> c : batch) {
        long v = ((Change.Upsert<Fields>) c).record().version();
        Long before = held.put(c.key(), v);
        if (before != null && v < before) {
          backwards.add(c.key() + ": " + before + " -> " + v);
        }
      }
      if (dies.getAndSet(false)) {
        throw new Flaky.Crash();   // the write landed; the process dies before it hears
      }
      return batch.stream().<Outcome>map(c -> new Outcome.Created(c.key())).toList();
    };
    try (Broadcast first = Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("queue").batchSize(9).into(queue)).build()) {
      first.start();
      assertFalse(first.awaitDelivered(WAIT), "it died in its first batch");
    }
    java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
    java.util.concurrent.CountDownLatch erpWriting = new java.util.concurrent.CountDownLatch(1);
    InMemoryStore<Fields> erpStore = InMemoryStore.create("erp");
    Destination<Fields> erp = batch -> {
      erpWriting.countDown();
      try {
        release.await(10, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return erpStore.write(batch);
    };
    try (Broadcast next = Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("queue").batchSize(9).into(queue)).destination(Route.to("erp").batchSize(4).into(erp)).build()) {
      next.start();   // the queue starts parked (its last batch threw); the erp reads four events into the buffer
      assertTrue(erpWriting.await(10, java.util.concurrent.TimeUnit.SECONDS));
      next.resume("queue");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (next.status().destination("queue").position() < 9 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      release.countDown();
      assertTrue(next.awaitDelivered(WAIT));
    }
    assertEquals(List.of(), backwards, "the queue never went back to an older version");
    assertEquals(5L, held.get("k"));
  }

  @Test
  void aCleanRunWarnsOfNothing_andAStreakOfFailedBatchesIsSaidOnce_thenItsEnd() {
    try (LogCapture logs = LogCapture.of(Runner.class, Level.DEBUG)) {
      List<Outcome> outcomes = new CopyOnWriteArrayList<>();
      InMemoryStore<Fields> erp = InMemoryStore.create("erp");
      try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").resultCapture(outcomes::add).into(erp))
          .build()) {
        b.start();
        b.publish(upsert("k", 2, "n", 1));
        assertTrue(b.awaitDelivered(WAIT));
        b.publish(upsert("k", 1, "n", 0));   // older, not after a delete
        assertTrue(b.awaitDelivered(WAIT));
      }
      assertEquals(new Outcome.Skipped("k", "older than version 2, delivered already"), outcomes.get(1));
      assertEquals(List.of(), logs.lines(Level.WARN), "a clean run warns of nothing");
      assertTrue(logs.lines(Level.INFO).stream().noneMatch(l -> l.startsWith("delivering again")), logs.lines(Level.INFO).toString());

      logs.clear();
      AtomicInteger failing = new AtomicInteger(1);
      Destination<Fields> twice = batch -> {
        if (failing.getAndDecrement() > 0) {
          throw new TransientException("erp: timeout");
        }
        return erp.write(batch);
      };
      try (Broadcast b = Broadcast.builder().name("c").destination(Route.to("erp")
          .retry(RetryPolicy.immediate(1)).parkAfter(3).into(twice)).build()) {
        b.start();
        b.publish(upsert("m", 1, "n", 1));
        assertTrue(b.awaitDelivered(WAIT));
      }
      assertEquals(List.of("batch after position 0 failed (the destination: TransientException); tried again later"),
          logs.lines(Level.WARN), "the first failure of a streak at WARN");
      assertTrue(logs.lines(Level.DEBUG).stream().noneMatch(l -> l.contains("failed again")), logs.lines(Level.DEBUG).toString());
      assertEquals(1, logs.lines(Level.INFO).stream().filter(l -> l.startsWith("delivering again after")).count(),
          logs.lines(Level.INFO).toString());
    }
  }

  /**
   * Found by mutation testing: each publish woke a runner out of the backoff after a failed batch,
   * so that a destination down while publishes went on was asked again at each one and parked
   * within moments, whatever its retry policy said.
   */
  @Test
  void aFailedBatchWaitsItsBackoffWhateverIsPublished_andParksOnlyAfterItsLimit() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    Destination<Fields> down = batch -> {
      calls.incrementAndGet();
      throw new TransientException("erp: connection refused");
    };
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp")
        .retry(RetryPolicy.exponential(1, Duration.ofMillis(600), Duration.ofMillis(600))).parkAfter(3).into(down)).build()) {
      b.start();
      for (int i = 0; i < 5; i++) {   // publishes go on while it is down: none of them cuts its backoff short
        b.publish(upsert("k" + i, 1, "n", i));
        Thread.sleep(50);
      }
      assertEquals(DestinationStatus.State.RETRYING, b.status().destination("erp").state());
      assertEquals(1, calls.get(), "one batch failed, the next waits its backoff");
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (b.status().destination("erp").state() != DestinationStatus.State.PARKED && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertEquals(DestinationStatus.State.PARKED, b.status().destination("erp").state());
      assertEquals(3, calls.get(), "parked after its third failed batch");
    }
  }

  @Test
  void theLast1000FailuresAreKept() {
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").transform(r -> {
      throw DataException.field("n", "not a number");
    }).into(InMemoryStore.create("erp"))).build()) {
      List<Change<Fields>> changes = new ArrayList<>();
      for (int i = 0; i < 1001; i++) {
        changes.add(upsert("k" + i, 1, "n", i));
      }
      b.publishAll(changes);
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      List<Outcome.Failed> kept = b.status().destination("erp").failures();
      assertEquals(1000, kept.size());
      assertEquals("k1", kept.get(0).key(), "the oldest went");
      assertEquals(1001, b.status().destination("erp").counts().failed());
    }
  }

  /**
   * Versions decide what is older, never what is equal: changes of one key sharing a version (a
   * timestamp at the column's precision) are each delivered, and a change without one (0) is never
   * taken as older; a delete ignored here still marks what came before it as older than the delete.
   */
  @Test
  void changesSharingAVersionAreEachDelivered_andAnIgnoredDeleteStillMarksWhatIsOlderThanIt() {
    List<Outcome> outcomes = new CopyOnWriteArrayList<>();
    Flaky erp = new Flaky("erp", 1);
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").deletes(DeletePolicy.IGNORE)
        .resultCapture(outcomes::add).into(erp)).build()) {
      b.start();
      for (Change<Fields> c : List.of(upsert("k", 5, "n", 1), upsert("k", 5, "n", 2), upsert("k", 0, "n", 3),
          upsert("a", 2, "n", 1), new Change.Delete<Fields>("a", 2), upsert("a", 1, "n", 2),
          upsert("z", 2, "n", 1), new Change.Delete<Fields>("z", 0), upsert("z", 1, "n", 2))) {
        b.publish(c);
        assertTrue(b.awaitDelivered(WAIT));
      }
    }
    assertEquals(List.of(1, 2, 3), erp.asked.stream().filter(c -> c.key().equals("k"))
        .map(c -> ((Change.Upsert<Fields>) c).record().payload().get("n")).toList(), "each of k's changes delivered");
    String olderThanDelete = "older than its delete at version 2 (where a key's versions start over when it is created"
        + " again, declare Route.versionsRestartAfterDelete())";
    assertEquals(new Outcome.Skipped("a", olderThanDelete), outcomes.get(5));
    assertEquals(new Outcome.Skipped("z", olderThanDelete), outcomes.get(8));
  }

  @Test
  void aNewDestinationJoinedFromNow_hasThatPositionSaved_beforeItDeliversAnything() {
    Outbox outbox = Outbox.inMemory();
    StateStore state = StateStore.inMemory();
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("erp").into(InMemoryStore.create("erp"))).build()) {
      b.start();
      for (int i = 0; i < 5; i++) {
        b.publish(upsert("k" + i, 1, "n", i));
      }
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(5, b.purge());
    }
    Broadcast.Builder withAudit = Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("erp").into(InMemoryStore.create("erp"))).destination(Route.to("audit").into(InMemoryStore.create("audit")));
    try (Broadcast b = withAudit.build()) {
      b.start();
    }
    assertEquals(5, Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("audit").into(InMemoryStore.create("audit"))).build().status().destination("audit").position(),
        "joined at the outbox's end, and saved there");
    assertEquals(0, Broadcast.builder().name("b").outbox(outbox).state(state)
        .destination(Route.to("erp").into(InMemoryStore.create("erp"))).build().status().destination("erp").lagChanges(),
        "a closed broadcast's lag: the outbox's end less the position");
  }

  @Test
  void aPublishIsDeliveredAtOnce_whateverThePollInterval() throws Exception {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("b").pollInterval(Duration.ofHours(1))
        .destination(Route.to("erp").into(erp)).build()) {
      b.start();
      Thread.sleep(200);   // the runner has looked and waits for the next poll, an hour away
      b.publish(upsert("k", 1, "n", 1));
      assertTrue(b.awaitDelivered(WAIT), "the publish woke the runner; it did not wait for the poll");
      Thread.sleep(200);
      b.publish(upsert("k", 2, "n", 2));
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(2, erp.get("k").version());
    }
  }

  /** Every place a batch can fail on its way, each tried again (or parked where it cannot be), each said where. */
  @Test
  void aBatchFailingAnywhereOnItsWay_isTriedAgainOrParked_namingWhere() {
    try (LogCapture logs = LogCapture.of(Runner.class, Level.DEBUG)) {
      Outbox outbox = org.mockito.Mockito.spy(Outbox.inMemory());
      org.mockito.Mockito.doThrow(new IllegalStateException("outbox: connection reset")).doCallRealMethod()
          .when(outbox).after(org.mockito.ArgumentMatchers.eq("b"), org.mockito.ArgumentMatchers.anyLong(),
              org.mockito.ArgumentMatchers.anyInt());
      AtomicInteger transformFails = new AtomicInteger(1);
      AtomicInteger aloneFails = new AtomicInteger(1);
      InMemoryStore<Fields> erp = InMemoryStore.create("erp");
      Destination<Fields> onePerCall = batch -> {
        if (batch.size() > 1) {
          throw new IllegalArgumentException("at most one change per call");
        }
        if (aloneFails.getAndDecrement() > 0) {
          throw new TransientException("erp: timeout");
        }
        return erp.write(batch);
      };
      StateStore inner = StateStore.inMemory();
      AtomicInteger readFails = new AtomicInteger(1);
      StateStore readOnceFailing = name -> new ForwardingState(inner.open(name)) {
        @Override
        public java.util.Map<String, Entry> entries(String space, Collection<String> keys) {
          if (space.equals(Delivery.KEYS.space()) && readFails.getAndDecrement() > 0) {
            throw new IllegalStateException("state: connection reset");
          }
          return super.entries(space, keys);
        }
      };
      try (Broadcast b = Broadcast.builder().name("b").outbox(outbox).state(readOnceFailing).destination(Route.to("erp")
          .retry(RetryPolicy.immediate(1)).parkAfter(5).transform(r -> {
            if (transformFails.getAndDecrement() > 0) {
              throw new TransientException("lookup: timeout");
            }
            return r;
          }).into(onePerCall)).build()) {
        Broadcast.builder().name("b").outbox(outbox).destination(Route.to("erp").into(erp)).build()   // another process's
            .publishAll(List.of(upsert("a", 1, "n", 1), upsert("b", 1, "n", 2)));   // so that the runner reads the outbox first
        b.start();
        assertTrue(b.awaitDelivered(WAIT));
        assertEquals(2, erp.size());
      }
      List<String> said = new ArrayList<>(logs.lines(Level.WARN));   // a streak's first failure at WARN, the others at DEBUG
      said.addAll(logs.lines(Level.DEBUG));
      for (String where : List.of("the transform: TransientException", "the destination: TransientException",
          "reading the outbox: IllegalStateException", "delivering: IllegalStateException")) {
        assertTrue(said.stream().anyMatch(l -> l.contains("(" + where + ")")), where + " in " + said);
      }
    }

    Destination<Fields> setupAlone = batch -> {
      if (batch.size() > 1) {
        throw new IllegalArgumentException("at most one change per call");
      }
      throw new dev.patchbay.core.SetupException("erp: table 'orders' does not exist");
    };
    StateStore state = StateStore.inMemory();
    Broadcast.Builder config = Broadcast.builder().name("b").state(state).destination(Route.to("erp").into(setupAlone));
    try (Broadcast b = config.build()) {
      b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("b", 1, "n", 2)));
      b.start();
      assertFalse(b.awaitDelivered(WAIT));
    }
    DestinationStatus parked = Broadcast.builder().name("b").state(state).destination(Route.to("erp").into(setupAlone)).build()
        .status().destination("erp");   // as its ledger was left once its runner ended
    assertEquals(DestinationStatus.State.PARKED, parked.state(), "a setup error parks at once");
    assertTrue(parked.lastError().startsWith("the destination: SetupException"), parked.lastError());
  }

  @Test
  void aDeadLetterDestinationThatFails_isTriedAgain_orParksNamingIt() {
    LogCapture logs = LogCapture.of(Runner.class, Level.WARN);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> dead = InMemoryStore.create("dead");
    AtomicInteger deadFails = new AtomicInteger(1);
    Destination<Fields> flakyDead = batch -> {
      if (deadFails.getAndDecrement() > 0) {
        throw new TransientException("dead: timeout");
      }
      return dead.write(batch);
    };
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").retry(RetryPolicy.immediate(1))
        .deadLetter(flakyDead).into(refusingBad(erp, new CopyOnWriteArrayList<>()))).build()) {
      b.publishAll(List.of(upsert("a", 1, "n", 1), upsert("bad", 1, "n", 2)));
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(1, dead.size());
      assertEquals(1, erp.size());
    } finally {
      logs.close();
    }
    assertTrue(logs.lines(Level.WARN).stream().anyMatch(l -> l.contains("(the dead-letter destination: TransientException)")),
        logs.lines(Level.WARN).toString());
    Destination<Fields> brokenDead = batch -> {
      throw new IllegalStateException("dead: no such queue");
    };
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").deadLetter(brokenDead)
        .into(refusingBad(erp, new CopyOnWriteArrayList<>()))).build()) {
      b.publishAll(List.of(upsert("bad", 2, "n", 3)));
      b.start();
      assertFalse(b.awaitDelivered(WAIT));
      DestinationStatus parked = b.status().destination("erp");
      assertEquals(DestinationStatus.State.PARKED, parked.state());
      assertTrue(parked.lastError().startsWith("the dead-letter destination: IllegalStateException"), parked.lastError());
    }
  }

  @Test
  void aDestinationsWriterThreadsEndWithTheBroadcast() throws Exception {
    try (Broadcast b = Broadcast.builder().name("w").destination(Route.to("erp").writers(3).into(InMemoryStore.create("erp")))
        .build()) {
      b.start();
      List<Change<Fields>> changes = new ArrayList<>();
      for (int i = 0; i < 30; i++) {
        changes.add(upsert("k" + i, 1, "n", i));
      }
      b.publishAll(changes);
      assertTrue(b.awaitDelivered(WAIT));
      assertTrue(writerThreads() > 0, "the route writes with threads of its own");
    }
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (writerThreads() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(10);
    }
    assertEquals(0, writerThreads(), "none left once the broadcast is closed");
  }

  private static long writerThreads() {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().startsWith("patchbay-broadcast-w-erp-writer")).count();
  }
}
