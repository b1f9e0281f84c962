package dev.patchbay.patterns.broadcast;

import static dev.patchbay.patterns.broadcast.BroadcastTest.upsert;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.ReasonDetail;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class BroadcastEdgesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String QUOTED = "ada@example.org";
  /** Keeps each event's thread and MDC as they were where it was logged (a runner's thread), not where it is read. */
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent e) {
      e.prepareForDeferredProcessing();
      super.append(e);
    }
  };
  private Logger root;
  private Level level;

  @BeforeEach
  void capture() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    level = root.getLevel();
    root.setLevel(Level.DEBUG);
    logged.start();
    root.addAppender(logged);
  }

  @AfterEach
  void release() {
    root.detachAppender(logged);
    root.setLevel(level);
  }

  @Test
  void aRouteThatDeliversEachChange_getsEveryVersionOfAKeyInOrder_evenWithinOneBatch() {
    Flaky queue = new Flaky("queue", 1);
    Flaky table = new Flaky("table", 2);
    Outbox outbox = Outbox.inMemory();
    try (Broadcast b = Broadcast.builder().name("b").outbox(outbox)
        .destination(Route.to("queue").eachChange().into(queue))
        .destination(Route.to("table").into(table)).build()) {
      List<Change<Fields>> versions = new ArrayList<>();
      for (int v = 1; v <= 5; v++) {
        versions.add(upsert("k", v, "v", v));
        versions.add(upsert("other", v, "v", v));
      }
      b.publishAll(versions);   // before start: one batch holds them all
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
    }
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), queue.asked.stream().filter(c -> c.key().equals("k"))
        .map(c -> ((Change.Upsert<Fields>) c).record().version()).toList());
    assertEquals(10, queue.asked.size());
    assertEquals(2, table.asked.size(), "a record destination gets each key's latest of the batch only");
    assertEquals(5, table.held().get("k").version());
  }

  @Test
  void aSlowDestinationHoldsNobodyBack_andCatchesUpFromTheOutbox() throws Exception {
    CountDownLatch stuck = new CountDownLatch(1);
    InMemoryStore<Fields> slowStore = InMemoryStore.create("slow");
    Destination<Fields> slow = batch -> {
      try {
        stuck.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return slowStore.write(batch);
    };
    InMemoryStore<Fields> fast = InMemoryStore.create("fast");
    InMemoryStore<Fields> other = InMemoryStore.create("other");
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("slow").batchSize(10).into(slow))
        .destination(Route.to("fast").into(fast))
        .destination(Route.to("other").into(other)).build()) {
      b.start();
      for (int i = 0; i < 300; i++) {
        b.publish(upsert("k" + i, 1, "n", i));
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      // their ledgers, not only their stores: a batch written whole is accepted once its position is saved
      while ((b.status().destination("fast").position() < 300 || b.status().destination("other").position() < 300)
          && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertEquals(300, fast.size(), "the fast destination has everything while the slow one is stuck");
      assertEquals(300, other.size());
      DestinationStatus s = b.status().destination("slow");
      assertEquals(0, s.position());
      assertEquals(300, s.lagChanges());
      assertTrue(s.lagTime().toNanos() > 0, "the slow destination's lag in time: " + s.lagTime());
      assertEquals("slow", b.status().purgeHeldBy().orElseThrow());
      stuck.countDown();
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(300, slowStore.size());
      assertEquals(Duration.ZERO, b.status().destination("slow").lagTime());
    }
  }

  @Test
  void anErrorThatIsNotTransient_parksAtOnce_loggedWithoutItsText_andAParkedLedgerIsResumedWhileStopped() {
    StateStore state = StateStore.inMemory();
    Outbox outbox = Outbox.inMemory();
    boolean[] refuse = {true};
    InMemoryStore<Fields> erpStore = InMemoryStore.create("erp");
    Destination<Fields> erp = batch -> {
      if (refuse[0]) {
        throw new SetupException("table orders: permission denied for " + QUOTED);
      }
      return erpStore.write(batch);
    };
    InMemoryStore<Fields> queue = InMemoryStore.create("queue");
    Broadcast b = Broadcast.builder().name("closed-won").outbox(outbox).state(state)
        .reasonDetail(ReasonDetail.CLASS_AND_STATE)
        .destination(Route.to("erp").into(erp)).destination(Route.to("queue").into(queue)).build();
    b.start();
    b.publish(upsert("o1", 1, "email", QUOTED));
    assertFalse(b.awaitDelivered(WAIT), "erp is parked: not delivered");
    DestinationStatus parked = b.status().destination("erp");
    assertEquals(DestinationStatus.State.PARKED, parked.state());
    assertEquals("the destination: SetupException", parked.lastError());
    assertEquals(1, queue.size());
    b.close();

    List<ILoggingEvent> warnings = logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO)).toList();
    assertFalse(warnings.isEmpty());
    for (ILoggingEvent e : warnings) {
      assertFalse(e.getFormattedMessage().contains(QUOTED), "a value reached the log: " + e.getFormattedMessage());
    }
    ILoggingEvent park = warnings.stream().filter(e -> e.getFormattedMessage().contains("parked")).findFirst().orElseThrow();
    assertEquals("broadcast", park.getMDCPropertyMap().get("patchbay.pattern"));
    assertEquals("closed-won", park.getMDCPropertyMap().get("patchbay.name"));
    assertEquals("erp", park.getMDCPropertyMap().get("patchbay.destination"));

    assertEquals(DestinationStatus.State.PARKED, b.status().destination("erp").state(), "parked survives a stop");
    b.resume("erp");
    refuse[0] = false;
    assertEquals(DestinationStatus.State.STOPPED, b.status().destination("erp").state());
    b.start();
    assertTrue(b.awaitDelivered(WAIT));
    b.close();
    assertEquals(1, erpStore.size());
  }

  /**
   * A lost hold, as the state store reports it (a lease taken over): the runner stops before its
   * next write, says so in its status and at ERROR, saves nothing after, and is not waited for.
   */
  @Test
  void aRunnerThatLostItsHold_stopsBeforeItsNextWrite_saysSo_andIsNotWaitedFor() {
    java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
    java.util.concurrent.atomic.AtomicInteger savedAfter = new java.util.concurrent.atomic.AtomicInteger();
    StateStore inner = StateStore.inMemory();
    StateStore leased = name -> new dev.patchbay.patterns.ForwardingState(inner.open(name)) {
      @Override
      public void check() {
        if (!held.get()) {
          throw new dev.patchbay.core.HoldLostException("State '" + name + "': taken over by another run");
        }
      }

      @Override
      public void save(dev.patchbay.core.state.Progress p, java.util.Collection<dev.patchbay.core.state.Entry> entries) {
        if (!held.get()) {
          savedAfter.incrementAndGet();
        }
        super.save(p, entries);
      }
    };
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> queue = InMemoryStore.create("queue");
    try (Broadcast b = Broadcast.builder().name("b").state(leased).destination(Route.to("erp").into(erp))
        .destination(Route.to("queue").into(queue)).build()) {
      b.start();
      b.publish(upsert("k1", 1, "n", 1));
      assertTrue(b.awaitDelivered(WAIT));
      held.set(false);
      b.publish(upsert("k2", 1, "n", 2));
      assertFalse(b.awaitDelivered(WAIT), "nothing of k2 is delivered by runners that lost their holds");
      assertEquals(1, erp.size(), "no write after the hold was lost");
      assertEquals(0, savedAfter.get(), "no ledger saved after it");
      DestinationStatus lost = b.status().destination("erp");
      assertEquals(DestinationStatus.State.STOPPED, lost.state());
      assertEquals("the hold on its ledger was lost: State 'b.erp': taken over by another run", lost.lastError());
      assertEquals("the hold on its ledger was lost", lost.lastErrorLogged());
      assertEquals(1, lost.position());
      assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == Level.ERROR
          && e.getFormattedMessage().equals("destination stopped at position 1: the hold on its ledger was lost,"
          + " another runner may serve it now")), "said at ERROR");
    }
  }

  /** A state store whose second save of each ledger fails once, as a full disk or a lost connection would. */
  private static StateStore failingOnce(StateStore inner, java.util.concurrent.atomic.AtomicInteger failed) {
    return name -> {
      dev.patchbay.core.state.NamedState held = inner.open(name);
      int[] saves = {0};
      return new dev.patchbay.core.state.NamedState() {
        public String name() {
          return held.name();
        }

        public java.util.Optional<dev.patchbay.core.state.Progress> progress(java.util.function.Consumer<String> w) {
          return held.progress(w);
        }

        public java.util.Map<String, dev.patchbay.core.state.Entry> entries(String space, java.util.Collection<String> keys) {
          return held.entries(space, keys);
        }

        public java.util.Map<String, dev.patchbay.core.state.Entry> entriesByAlias(String space,
            java.util.Collection<String> aliases) {
          return held.entriesByAlias(space, aliases);
        }

        public long count(String space, String tag) {
          return held.count(space, tag);
        }

        public void save(dev.patchbay.core.state.Progress p, java.util.Collection<dev.patchbay.core.state.Entry> entries) {
          if (++saves[0] == 2) {
            failed.incrementAndGet();
            throw new IllegalStateException("state: disk full");
          }
          held.save(p, entries);
        }

        public void clear() {
          held.clear();
        }

        public void close() {
          held.close();
        }
      };
    };
  }

  @Test
  void aLedgerThatCouldNotBeSaved_hasItsBatchDeliveredAgain_andCountedOnce() {
    java.util.concurrent.atomic.AtomicInteger failed = new java.util.concurrent.atomic.AtomicInteger();
    Flaky erp = new Flaky("erp", 5);
    try (Broadcast b = Broadcast.builder().name("b").state(failingOnce(StateStore.inMemory(), failed))
        .destination(Route.to("erp").retry(dev.patchbay.patterns.RetryPolicy.immediate(1)).batchSize(5).into(erp)).build()) {
      b.start();
      for (int i = 0; i < 12; i++) {
        b.publish(upsert("k" + i, 1, "n", i));
      }
      assertTrue(b.awaitDelivered(WAIT));
      DestinationStatus d = b.status().destination("erp");
      assertEquals(12, d.counts().read(), "each event counted once: " + d.summary());
      assertTrue(d.counts().balanced());
      assertEquals(12, erp.held().size());
      assertEquals(1, failed.get());
      assertEquals(DestinationStatus.State.RUNNING, d.state());
    }
    assertTrue(logged.list.stream().anyMatch(e -> e.getFormattedMessage().contains("(saving the ledger: IllegalStateException)")),
        "the failed save said, and waited out as a failed batch");
  }

  /**
   * Defect 7: an Error thrown by a destination (StackOverflowError, NoClassDefFoundError) killed its
   * runner's thread; the status still said running, with no last error and nothing logged at WARN.
   */
  @Test
  void anErrorThrownByADestination_parksIt_namedInStatusAndAtError_andTheOthersGoOn() {
    boolean[] overflow = {true};
    InMemoryStore<Fields> erpStore = InMemoryStore.create("erp");
    Destination<Fields> erp = batch -> {
      if (overflow[0]) {
        throw new StackOverflowError();
      }
      return erpStore.write(batch);
    };
    InMemoryStore<Fields> queue = InMemoryStore.create("queue");
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(erp))
        .destination(Route.to("queue").into(queue)).build()) {
      b.start();
      b.publish(upsert("o1", 1, "n", 1));
      assertFalse(b.awaitDelivered(WAIT), "erp is parked");
      DestinationStatus parked = b.status().destination("erp");
      assertEquals(DestinationStatus.State.PARKED, parked.state());
      assertEquals("delivering: StackOverflowError", parked.lastError());
      assertEquals(1, queue.size(), "the other destination goes on");
      ILoggingEvent error = logged.list.stream().filter(e -> e.getLevel() == Level.ERROR).findFirst().orElseThrow();
      assertTrue(error.getFormattedMessage().contains("java.lang.StackOverflowError"), error.getFormattedMessage());
      assertEquals("erp", error.getMDCPropertyMap().get("patchbay.destination"));
      overflow[0] = false;
      b.resume("erp");
      assertTrue(b.awaitDelivered(WAIT), "the runner's thread lived: resumed, it delivers");
      assertEquals(1, erpStore.size());
    }
  }

  /**
   * Defect 13: awaitDelivered answered true right after start() with a change feed not polled
   * yet; now it waits for a poll begun after the call to find the feed drained, and for the events.
   */
  @Test
  void awaitDelivered_waitsForTheChangeFeedToBeDrained() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    List<Change<Fields>> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      records.add(upsert("k" + i, 1, "n", i));
    }
    crm.write(records);
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("b").changesOf(crm).pollInterval(Duration.ofHours(1))
        .destination(Route.to("erp").into(erp)).build()) {
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      assertEquals(30, erp.size(), "everything the feed had when awaitDelivered was called");
      crm.write(List.of(upsert("late", 1, "n", 0)));
      assertTrue(b.awaitDelivered(WAIT), "the poller is asked to look now, not in an hour");
      assertEquals(31, erp.size());
    }
  }

  /**
   * Defect 11: a RabbitMQ queue connected when built, so with the broker down at start-up the whole
   * broadcast could not be built and the healthy destinations received nothing either. Now the
   * queue is one destination down: retried, parked past its limit, the others delivered.
   */
  @Test
  void aBrokerDownAtStartUp_isOneDestinationDown_notABroadcastThatCannotStart() {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    dev.patchbay.connectors.rabbitmq.RabbitQueue fulfilment = dev.patchbay.connectors.rabbitmq.RabbitQueue
        .builder("amqp://guest:guest@127.0.0.1:1").queue("fulfilment").build();
    try (Broadcast b = Broadcast.builder().name("won").destination(Route.to("erp").into(erp))
        .destination(Route.to("fulfilment").retry(dev.patchbay.patterns.RetryPolicy.immediate(2)).parkAfter(2)
            .into(fulfilment)).build()) {
      b.start();
      b.publish(upsert("o1", 1, "n", 1));
      assertFalse(b.awaitDelivered(WAIT), "the queue is down");
      assertEquals(1, erp.size(), "the healthy destination has it");
      DestinationStatus down = b.status().destination("fulfilment");
      assertEquals(DestinationStatus.State.PARKED, down.state());
      assertTrue(down.lastError().contains("RabbitMQ queue 'fulfilment'"), down.lastError());
      assertEquals(0, down.position());
    }
  }

  /** Defect 12: status().summary() carried record values through the last error under the default reason detail. */
  @Test
  void theSummary_neverCarriesAValue_whateverTheReasonDetail() {
    Destination<Fields> erp = batch -> {
      throw new dev.patchbay.core.TransientException("duplicate key value (email)=(" + QUOTED + ")");
    };
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("erp").retry(dev.patchbay.patterns.RetryPolicy.immediate(1)).parkAfter(1).into(erp)).build()) {
      b.start();
      b.publish(upsert("o1", 1, "email", QUOTED));
      assertFalse(b.awaitDelivered(WAIT));
      DestinationStatus d = b.status().destination("erp");
      assertTrue(d.lastError().contains(QUOTED), "the full last error keeps the system's message: " + d.lastError());
      assertEquals("the destination: TransientException", d.lastErrorLogged());
      assertFalse(b.status().summary().contains(QUOTED), b.status().summary());
      assertTrue(b.status().summary().contains("last error the destination: TransientException"), b.status().summary());
    }
  }

  /**
   * Defect 14: a key deleted and created again with a version counter that starts over (JPA
   * {@code @Version}) was skipped for ever as older, with no report. By default it is still skipped
   * (versions only rise), but the outcome says why and names the setting, and a WARN counts them;
   * with versionsRestartAfterDelete() the new record is delivered, and its later versions too.
   */
  @Test
  void aKeyCreatedAgainWithItsVersionStartedOver_isReportedByDefault_andDeliveredWhereDeclared() {
    List<dev.patchbay.core.Outcome> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
    InMemoryStore<Fields> strict = InMemoryStore.create("strict");
    InMemoryStore<Fields> restarting = InMemoryStore.create("restarting");
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("strict").resultCapture(seen::add).into(strict))
        .destination(Route.to("restarting").versionsRestartAfterDelete().into(restarting)).build()) {
      b.start();
      b.publish(upsert("k", 7, "n", 1));
      assertTrue(b.awaitDelivered(WAIT));
      b.publish(new Change.Delete<>("k", 8));
      assertTrue(b.awaitDelivered(WAIT));
      b.publish(upsert("k", 1, "n", 2));   // created again: its counter starts at 1
      assertTrue(b.awaitDelivered(WAIT));
      b.publish(upsert("k", 2, "n", 3));
      assertTrue(b.awaitDelivered(WAIT));
    }
    assertEquals(3, restarting.get("k").payload().get("n"), "created again, then updated");
    assertEquals(null, strict.get("k"));
    dev.patchbay.core.Outcome skipped = seen.get(2);
    assertEquals(new dev.patchbay.core.Outcome.Skipped("k", "older than its delete at version 8 (where a key's versions"
        + " start over when it is created again, declare Route.versionsRestartAfterDelete())"), skipped);
    assertTrue(logged.list.stream().anyMatch(e -> e.getLevel() == Level.WARN
        && e.getFormattedMessage().startsWith("1 upserts skipped as older than their key's delete")));
  }

  private static Destination<Fields> refusing(InMemoryStore<Fields> store, String poison) {
    return batch -> {
      if (batch.stream().anyMatch(c -> c.key().equals(poison))) {
        throw new IllegalStateException("value too long for type character varying(20): " + QUOTED);
      }
      return store.write(batch);
    };
  }

  /**
   * Defect 8: a poison record parked its whole destination, but neither the last error nor the
   * failures named its key, resume() parked again at once, and nothing moved past that one record.
   * Now the refused batch is delivered one by one to find it; the destination parks on it, named
   * by key and position (never in the summary or the log); a person skips it, reported FAILED.
   */
  @Test
  void aPoisonRecord_isFoundAndNamed_andAPersonSkipsIt_reported() {
    InMemoryStore<Fields> store = InMemoryStore.create("erp");
    List<Change<Fields>> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(upsert(i == 4 ? "poison" : "k" + i, 1, "n", i));
    }
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("erp").into(refusing(store, "poison"))).build()) {
      b.publishAll(batch);   // one batch
      b.start();
      assertFalse(b.awaitDelivered(WAIT));
      DestinationStatus parked = b.status().destination("erp");
      assertEquals(DestinationStatus.State.PARKED, parked.state());
      assertEquals(0, parked.position(), "nothing of its batch settled: the batch is delivered again once it is passed");
      assertEquals(4, store.size(), "the four before it were written, alone, while it was being found");
      assertTrue(parked.lastError().startsWith("record 'poison' at position 5 refused by the destination:"),
          parked.lastError());
      assertEquals("record at position 5 refused by the destination: IllegalStateException", parked.lastErrorLogged());
      assertFalse(b.status().summary().contains("poison"), b.status().summary());
      b.resume("erp");
      assertFalse(b.awaitDelivered(Duration.ofMillis(500)));
      assertEquals(DestinationStatus.State.PARKED, b.status().destination("erp").state(), "resumed, it meets it again");
      b.skip("erp");
      assertTrue(b.awaitDelivered(WAIT));
      DestinationStatus past = b.status().destination("erp");
      assertEquals(9, store.size());
      assertEquals(10, past.position());
      assertEquals(1, past.counts().failed());
      assertEquals(10, past.counts().read());
      dev.patchbay.core.Outcome.Failed f = past.failures().get(0);
      assertEquals("poison", f.key());
      assertTrue(f.reason().startsWith("skipped by a person after: record 'poison' at position 5"), f.reason());
      org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> b.skip("erp"),
          "not parked on a record: nothing to skip");
    }
    assertTrue(logged.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .noneMatch(e -> e.getFormattedMessage().contains("poison") || e.getFormattedMessage().contains(QUOTED)));
  }

  /** A route with a dead-letter destination sends a poison record there, reported FAILED, and never parks. */
  @Test
  void aPoisonRecord_goesToTheDeadLetterDestination_andTheOthersGoOn() {
    InMemoryStore<Fields> store = InMemoryStore.create("erp");
    InMemoryStore<Fields> dead = InMemoryStore.create("dead");
    List<Change<Fields>> batch = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      batch.add(upsert(i == 4 ? "poison" : "k" + i, 1, "n", i));
    }
    try (Broadcast b = Broadcast.builder().name("b")
        .destination(Route.to("erp").deadLetter(dead).into(refusing(store, "poison"))).build()) {
      b.publishAll(batch);
      b.start();
      assertTrue(b.awaitDelivered(WAIT));
      DestinationStatus d = b.status().destination("erp");
      assertEquals(DestinationStatus.State.RUNNING, d.state());
      assertEquals(9, store.size());
      assertEquals(Fields.of("n", 4), dead.get("poison").payload(), "the record as published");
      assertEquals(1, d.counts().failed());
      assertTrue(d.failures().get(0).reason().endsWith("(sent to the dead-letter destination)"), d.failures().get(0).reason());
    }
  }
}
