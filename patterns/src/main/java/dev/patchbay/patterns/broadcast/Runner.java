package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.HoldLostException;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.outbox.OutboxReader;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.report.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.BatchStep;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Tally;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.internal.Writes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One destination's runner: reads the outbox from the destination's own position, delivers in
 * batches, and moves the position (saved with the batch's key versions and the ledger, in one step)
 * only once the destination accepted the batch. Holds the destination's state from construction to
 * {@link #release()}: a second runner of the destination, here or in another process, is refused.
 */
final class Runner<T> implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

  /** The MDC key of the destination a broadcast's runner delivers to. */
  static final String MDC_DESTINATION = "patchbay.destination";
  /** The state space of each key's last version delivered, and whether this route wrote it. */
  static final String KEYS = "keys";
  /** The state space of the ledger's one entry: attempts, failed batches, parked, last error. */
  static final String LEDGER = "ledger";
  static final String OUTBOX = "outbox";
  private static final int KEPT_FAILURES = 1_000;

  private final Broadcast broadcast;
  private final Route<T> route;
  /** The route's record policy, batch by batch. */
  private final BatchStep<Fields, T> batchStep;
  private final NamedState state;
  /** Where the runner writes: the route's destination, or a dry run's plan over it. */
  private final Destination<T> destination;
  /** A dry run's runner: it plans, captures nothing, tells no listener. */
  private final boolean planning;
  private final Retrying retrying;
  private final Pipeline<T, Void> pipeline;
  private final Object signal = new Object();
  private boolean woken;
  /** Guarded by {@code signal}: whether a wake asked the runner to look whatever it was told. */
  private boolean mustLook;
  /** The highest position publishes and notifications told of. */
  private volatile long told;
  private volatile boolean stopping;

  private volatile long position;
  private volatile DestinationStatus.State now;
  private volatile Instant pendingSince;
  private volatile int attempts;
  private volatile String lastError;
  /** The last error as logs word it (where, class, SQLState): what a summary shows, never a value. */
  private volatile String lastErrorLogged;
  private volatile Instant lastErrorAt;
  private volatile Counts counts;
  private final Deque<Outcome.Failed> failures = new ArrayDeque<>();
  private long sequence;
  private int failedBatches;
  private volatile boolean parked;
  /** Parked for events purged before it read them: resuming joins the outbox again, and parks again while they are missing. */
  private volatile boolean gapped;
  private volatile boolean lost;
  /** The position of the record the destination is parked on (it refused it, not transiently); 0 where none. */
  private volatile long poisonAt;
  /** The position of the record to pass (a person skipped it, or it went to the dead letter); 0 where none. */
  private volatile long skipAt;
  /** Why: the reason its FAILED outcome gives. */
  private volatile String skipReason;
  /**
   * Whether this runner has read its first batch. That one is read from the outbox, never the
   * buffer: a batch of a process that died after its write landed may have held more of the events
   * after the ledger's position than the buffer of this one holds, and a shorter batch would write a
   * key's older versions over the newer ones that write left (B2). Afterwards a batch tried again
   * is read from a buffer that only grew, so it holds at least the events of the try before.
   */
  private boolean started;
  /** The time the writes of the batch in hand took so far (its tries and isolations added up). */
  private java.time.Duration took = java.time.Duration.ZERO;
  /** The position last told to the outbox's registry (by the purger's thread, or purge()). */
  volatile long advanced;

  Runner(Broadcast broadcast, Route<T> route, NamedState state) {
    this(broadcast, route, state, null);
  }

  /** A runner; where {@code run} is a dry run's, one that plans into it over a scratch of {@code state}. */
  Runner(Broadcast broadcast, Route<T> route, NamedState state, Engine<BroadcastStatus>.Run run) {
    this.broadcast = broadcast;
    this.route = route;
    this.batchStep = new BatchStep<>(new RecordStep<>(route.scope, route.transform, broadcast.reasonDetail),
        new BatchStep.Policy(route.deletes, KEYS, true, route.versionsRestart, route.eachChange));
    this.planning = run != null && run.planning();
    this.state = planning ? state.scratch() : state;
    this.retrying = new Retrying(broadcast.name + "." + route.name, route.retry, broadcast.engine::retried);
    this.destination = planning ? run.destination(route.name, route.destination, retrying) : route.destination;
    this.pipeline = new Pipeline<>(broadcast.engine.threads(route.name + "-writer", true), route.writers, 1);
    Ledger ledger = Ledger.read(state);
    this.position = ledger.position();
    this.counts = ledger.counts();
    this.failures.addAll(ledger.failures());
    this.sequence = ledger.sequence();
    this.attempts = ledger.attempts();
    this.failedBatches = ledger.failedBatches();
    this.parked = ledger.parked();
    this.now = parked ? DestinationStatus.State.PARKED : DestinationStatus.State.RUNNING;   // so from the first status on
    this.lastError = ledger.lastError();
    this.lastErrorLogged = ledger.lastErrorLogged();
    this.lastErrorAt = ledger.lastErrorAt();
    this.poisonAt = ledger.poisonAt();
    this.skipAt = ledger.skipAt();
    this.skipReason = ledger.skipReason();
  }

  String name() {
    return route.name;
  }

  /** The outbox position of the last event this destination accepted: what purging may go up to. */
  /**
   * A dry run's delivery, on the caller's thread: every event after the ledger's position, a batch
   * at a time, decided and planned as a delivery would; it ends where a batch did not move the
   * position (it would be tried again, or park: the status says which).
   */
  void planAll() {
    while (true) {
      List<OutboxEvent> events = broadcast.outbox.after(broadcast.aggregateType, position, route.batchSize);
      if (events.isEmpty()) {
        return;
      }
      long before = position;
      deliver(events);
      if (position == before) {
        return;
      }
    }
  }

  long position() {
    return position;
  }

  boolean parked() {
    return parked;
  }

  /** Stopped for good: its hold on the ledger was lost. */
  boolean lost() {
    return lost;
  }

  @Override
  public void run() {
    MDC.put(MDC_DESTINATION, route.name);
    try {
      boolean look = true;
      while (!stopping) {
        if (parked) {
          now = DestinationStatus.State.PARKED;
          await(Duration.ofDays(1));
          look = true;   // resumed (or stopping): the failed batch is read again
          continue;
        }
        if (!look) {   // told of nothing past this destination's position: no read
          look = await(broadcast.pollInterval);
          continue;
        }
        List<OutboxEvent> events;
        try {
          events = started ? broadcast.tail.after(position, route.batchSize) : List.of();
          if (events.isEmpty() && started && broadcast.appending.get() > 0) {
            look = await(broadcast.pollInterval);   // an append of this object's is under way: it wakes us once its events are in the tail
            continue;
          }
          if (events.isEmpty()) {
            events = broadcast.outbox.after(broadcast.aggregateType, position, route.batchSize);
            broadcast.tail.add(events);
          }
        } catch (RuntimeException e) {
          failed("reading the outbox", e, false);
          continue;
        }
        started = true;
        if (events.isEmpty()) {
          pendingSince = null;
          now = DestinationStatus.State.RUNNING;
          look = await(broadcast.pollInterval);
          continue;
        }
        pendingSince = events.get(0).at();
        try {
          deliver(events);
        } catch (HoldLostException e) {   // another runner may serve the destination now: this one must not
          holdLost(e);
          break;
        } catch (RuntimeException e) {   // the state store failed: the batch is tried again
          failed("delivering", e, false);
        } catch (Error e) {   // a destination's StackOverflowError, NoClassDefFoundError...: parked, named, never a dead thread
          LOG.error("destination parked at position {}: delivering threw {}", position, e.getClass().getName());
          LOG.debug("the error, with its message and stack", e);   // a message may quote a value: not above DEBUG
          failed("delivering", e, true);
        }
      }
    } finally {
      MDC.remove(MDC_DESTINATION);
    }
  }

  /** This destination's name in the outbox's registry of readers: its ledger's name. */
  String reader() {
    return state.name();
  }

  /**
   * Registers this destination with the outbox's readers, from where its ledger says it is, so
   * that purging waits for it in every process. A destination with no ledger joins at the first
   * event of its type where none was purged yet, else at the outbox's end (from now, said at INFO);
   * one with a ledger joins at its position, and where events it had not read were purged (it was
   * forgotten, or registered elsewhere) it parks, naming how many it missed: it is never moved past them.
   */
  void join() {
    String type = broadcast.aggregateType;
    if (sequence == 0 && position == 0) {   // no ledger yet
      OutboxReader r = broadcast.outbox.join(type, reader(), 0);
      long end = broadcast.outbox.end();
      if (r.position() > end) {   // the registry outlived its outbox (its tables made again): never trusted past the end
        throw new dev.patchbay.core.SetupException("Broadcast '" + broadcast.name + "': the outbox's registry has destination '"
            + route.name + "' at position " + r.position() + ", past the outbox's end " + end + ": the registry belongs to"
            + " an outbox that is gone (its tables were made again); drop the registry's table, or forget the destination");
      }
      if (!r.joined()) {
        r = broadcast.outbox.joinAtEnd(type, reader());
        LOG.info("destination joins at position {}, from now: events of its type were purged before it joined;"
            + " seed it from the source (Broadcast.seed) for what came before", r.position());
      } else if (r.position() > 0) {
        LOG.warn("destination has no ledger; the outbox's registry has it at position {}: it goes on from there", r.position());
      }
      synchronized (this) {
        position = r.position();
        saveLedgerOnly();
      }
      gapped = false;
      return;
    }
    OutboxReader r = broadcast.outbox.join(type, reader(), position);
    if (r.joined() && r.position() <= position) {
      if (gapped) {
        gapped = false;
      }
      return;
    }
    gapped = true;
    long missed = r.joined() ? -1 : r.missed();
    String gap = "missed " + (missed < 0 ? "an unknown number of" : Long.toString(missed)) + " events of type '" + type
        + "' after position " + position + ", purged while it was not a reader of the outbox (up to position "
        + broadcast.outbox.purgedThrough(type) + "); seed it again from the source with Broadcast.seed(\"" + route.name
        + "\", ...)";
    synchronized (this) {
      parked = true;
      now = DestinationStatus.State.PARKED;
      lastError = gap;
      lastErrorLogged = gap;   // counts and positions only
      lastErrorAt = broadcast.clock.instant();
      saveLedgerOnly();
    }
    LOG.error("destination parked: {}", gap);
  }

  /** Whether the destination was parked for events it missed. */
  boolean gapped() {
    return gapped;
  }

  /**
   * The hold on this destination's ledger was lost (its connection dropped and another runner took
   * it): this runner stops at once, said at ERROR and in the status; the batch it was on was not saved.
   */
  private void holdLost(HoldLostException e) {
    stopping = true;
    lost = true;
    synchronized (this) {
      now = DestinationStatus.State.STOPPED;
      lastError = "the hold on its ledger was lost: " + e.getMessage();
      lastErrorLogged = "the hold on its ledger was lost";
      lastErrorAt = broadcast.clock.instant();
    }
    LOG.error("destination stopped at position {}: the hold on its ledger was lost, another runner may serve it now",
        position);
    broadcast.progressed();
  }

  /** Wakes the runner to look: it was resumed, or is to stop, or was told of events but not how far. */
  void wake() {
    wake(0);
  }

  /** Wakes the runner: events up to {@code upTo} were published (0: not known how far). */
  void wake(long upTo) {
    synchronized (signal) {
      if (upTo <= 0) {
        mustLook = true;
      } else if (upTo > told) {
        told = upTo;
      }
      woken = true;
      signal.notifyAll();
    }
  }

  void stop() {
    stopping = true;
    wake();
  }

  /** Lets go of the destination's state (after the runner's thread ended). */
  void release() {
    pipeline.close();
    state.close();
  }

  /**
   * Passes the record this destination is parked on (one it refused with an error that is not
   * transient): reported FAILED as skipped by a person, and delivery goes on after it.
   *
   * @throws IllegalStateException where it is not parked on such a record
   */
  void skip() {
    synchronized (this) {
      if (!parked || poisonAt == 0) {
        throw new IllegalStateException("destination '" + route.name + "' is not parked on a record it refused");
      }
      skipAt = poisonAt;
      skipReason = skippedByAPerson(lastError);
      LOG.warn("record at position {} skipped, as a person asked", skipAt);
      parked = false;
      now = DestinationStatus.State.RUNNING;
      failedBatches = 0;
      attempts = 0;
      saveLedgerOnly();
    }
    wake();
  }

  /** The reason a record a person skipped is reported FAILED with, after the error it was parked on. */
  static String skippedByAPerson(String lastError) {
    return "skipped by a person" + (lastError == null ? "" : " after: " + lastError);
  }

  /** Takes a parked destination back: its failed batch is tried again from its position. */
  void resume() {
    if (gapped) {
      join();
      if (gapped) {
        return;
      }
    }
    synchronized (this) {
      parked = false;
      now = DestinationStatus.State.RUNNING;
      failedBatches = 0;
      attempts = 0;
      saveLedgerOnly();
    }
    LOG.info("destination resumed at position {}", position);
    wake();
  }

  DestinationStatus status(long outboxEnd) {
    Instant since = pendingSince;
    Duration lag = since == null || outboxEnd <= position ? Duration.ZERO
        : Duration.between(since, broadcast.clock.instant());
    List<Outcome.Failed> kept;
    synchronized (failures) {
      kept = List.copyOf(failures);
    }
    return new DestinationStatus(route.name, now, position, Math.max(0, outboxEnd - position),
        lag.isNegative() ? Duration.ZERO : lag, attempts, lastError, lastErrorLogged, lastErrorAt, counts, kept);
  }

  /**
   * Waits until woken or {@code timeout} passed; whether the runner is then to read the outbox:
   * after the timeout (a poll), when told to look, or told of events past its position.
   */
  private boolean await(Duration timeout) {
    return await(timeout, true);
  }

  /**
   * As {@link #await(Duration)}; where not {@code byNews}, only a stop ends the wait early: the
   * backoff after a failed batch, which publishes must not cut short (a destination that is down
   * would be asked again at each one, and parked within moments).
   */
  private boolean await(Duration timeout, boolean byNews) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (signal) {
      boolean timedOut = false;
      while (!(woken && byNews) && !stopping) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          timedOut = true;
          break;
        }
        try {
          signal.wait(Math.max(1, left / 1_000_000), 0);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
      boolean look = timedOut || mustLook || told > position;
      woken = false;
      mustLook = false;
      return look;
    }
  }

  /**
   * Delivers one batch read from the outbox through the route's {@link BatchStep} (each key's last
   * effective change written, unless the route delivers each change); the position moves past it
   * only once it was accepted.
   */
  private void deliver(List<OutboxEvent> events) {
    List<Change<Fields>> changes = new ArrayList<>(events.size());
    List<Outcome> early = new ArrayList<>(events.size());
    for (OutboxEvent e : events) {
      changes.add(e.change());
      // a record the destination refused and a person passed: reported, its key as it was
      early.add(skipAt > 0 && e.position() == skipAt ? new Outcome.Failed(e.aggregateId(), Stage.WRITE, null, skipReason) : null);
    }
    BatchStep.Decided<T> decided;
    try {
      decided = batchStep.decide(changes, early, this::held, Long.MAX_VALUE);
    } catch (RecordStep.Transient e) {
      failed(e.where(), e.getCause(), false);
      return;
    }
    List<Outcome> written;
    try {
      written = write(decided);
    } catch (HoldLostException e) {
      throw e;
    } catch (TransientException e) {
      failed("the destination", e, false);
      return;
    } catch (Threads.Interrupted e) {
      stopping = true;
      return;
    } catch (dev.patchbay.core.SetupException e) {   // the destination's setup, not a record: parked whole
      failed("the destination", e, true);
      return;
    } catch (RuntimeException e) {   // not transient: a record the destination cannot take, found and named
      written = isolate(events, decided, e);
      if (written == null) {
        return;
      }
    }
    if (decided.olderThanDelete() > 0) {
      LOG.warn("{} upserts skipped as older than their key's delete; if versions start over when a record is created"
          + " again, declare Route.versionsRestartAfterDelete()", decided.olderThanDelete());
    }
    BatchStep.Result<T> result = decided.settle(written);
    if (result.misfit() != null) {   // not the records': parked on the batch, which is delivered again once resumed
      failed("the destination", new dev.patchbay.core.SetupException(result.misfitMessage("destination '" + route.name + "'",
          "position " + position)), true);
      return;
    }
    settle(events, result.outcomes(), new ArrayList<>(result.entries()));
  }

  /** The route's saved state of {@code keys}. */
  private Map<String, BatchStep.Held> held(java.util.Collection<String> keys) {
    Map<String, BatchStep.Held> held = new HashMap<>();
    state.entries(KEYS, keys).forEach((k, entry) -> held.put(k, BatchStep.Held.of(k, entry.value())));
    return held;
  }

  /**
   * A batch the destination refused with an error that is not transient: its changes (each key's
   * latest of the batch, as the batch wrote them: never an older one after it) written one by one,
   * in order, to find the one it refuses, which is then {@linkplain #poisoned poisoned}, and
   * nothing settled: the batch is delivered again once the poison is passed. Where each alone was
   * taken (a destination that refuses the batch, not a record of it), their outcomes are the batch's.
   *
   * @return the outcomes of {@code writes}, each written alone; null where one was refused
   */
  private List<Outcome> isolate(List<OutboxEvent> events, BatchStep.Decided<T> decided, RuntimeException refused) {
    List<Change<T>> writes = decided.writes();
    if (writes.size() == 1) {
      poisoned(events.get(decided.recordOf(0)), refused);
      return null;
    }
    LOG.info("batch after position {} refused by the destination; writing its {} changes one by one to find the one",
        position, writes.size());
    List<Outcome> alone = new ArrayList<>(writes.size());
    for (int j = 0; j < writes.size(); j++) {
      try {
        alone.addAll(write(List.of(writes.get(j))));
      } catch (HoldLostException | Threads.Interrupted e) {
        throw e;
      } catch (TransientException e) {
        failed("the destination", e, false);
        return null;
      } catch (dev.patchbay.core.SetupException e) {
        failed("the destination", e, true);
        return null;
      } catch (RuntimeException e) {
        poisoned(events.get(decided.recordOf(j)), e);
        return null;
      }
    }
    LOG.info("each of the {} changes was taken alone: the batch is delivered", writes.size());
    return alone;
  }

  /**
   * The one event {@code e} the destination refuses with an error that is not transient (a poison
   * record): sent to the route's dead-letter destination where it has one, then passed (reported
   * FAILED) when its batch is delivered again; otherwise the destination parks on it, the record
   * named by key and position in the last error, until a person {@linkplain Broadcast#skip skips}
   * it or the cause is mended and it is resumed.
   */
  private void poisoned(OutboxEvent e, RuntimeException refused) {
    String key = e.aggregateId();
    String reason = Failures.forReport(refused, broadcast.reasonDetail);
    if (route.deadLetter != null) {
      try {
        Writes.write(route.deadLetter, List.of(e.change()), retrying, "the dead-letter destination of '" + route.name + "'");
      } catch (TransientException x) {
        failed("the dead-letter destination", x, false);
        return;
      } catch (RuntimeException x) {
        failed("the dead-letter destination", x, true);
        return;
      }
      LOG.warn("record at position {} refused by the destination ({}); sent to the dead-letter destination", e.position(),
          Failures.forLog(refused));
      synchronized (this) {
        skipAt = e.position();
        skipReason = reason + " (sent to the dead-letter destination)";
        saveLedgerOnly();
      }
      return;   // its batch again, without it
    }
    synchronized (this) {
      poisonAt = e.position();
    }
    failed("record '" + key + "' at position " + e.position() + " refused by the destination",
        "record at position " + e.position() + " refused by the destination", refused, true);
  }

  /**
   * The destination's outcomes for the batch's writes, in the order of its writes, written through
   * the engine's pipeline: changes of one destination key in successive waves (two source keys
   * mapped to one), each wave's keys in up to {@code writers} parts at once.
   */
  private List<Outcome> write(BatchStep.Decided<T> decided) {
    if (decided.writes().isEmpty()) {
      return List.of();
    }
    Pipeline.Batch<T, Void> batch = pipeline.open(null);
    decided.waves(route.writers).forEach(part -> batch.write(route.name, part, this::writePart));
    List<Outcome> answered = batch.outcomes();   // in step order
    took = took.plus(batch.took());
    return decided.inWriteOrder(answered);
  }

  /** One change written alone (finding the one the destination refuses). */
  private List<Outcome> write(List<Change<T>> one) {
    Pipeline.Batch<T, Void> batch = pipeline.open(null);
    batch.write(route.name, one, this::writePart);
    List<Outcome> answered = batch.outcomes();
    took = took.plus(batch.took());
    return answered;
  }

  private List<Outcome> writePart(List<Change<T>> batch) {
    Destination<T> counted = b -> {
      state.check();   // still this destination's one runner, its lease renewed: before each attempt at a write
      try {
        return destination.write(b);
      } catch (TransientException e) {
        synchronized (this) {
          attempts++;
          lastError = Failures.forReport(e, broadcast.reasonDetail);
          lastErrorLogged = Failures.forLog(e);
          lastErrorAt = broadcast.clock.instant();
        }
        now = DestinationStatus.State.RETRYING;
        throw e;
      }
    };
    return Writes.write(counted, batch, retrying, "destination '" + route.name + "'");
  }

  /** Saves the batch as delivered (position, counts, failures, key versions, a clean ledger), then tells who waits. */
  private void settle(List<OutboxEvent> events, List<Outcome> outcomes, List<Entry> entries) {
    List<Outcome.Failed> failedNow = new ArrayList<>();
    Tally tally = Tally.from(counts);
    for (Outcome o : outcomes) {
      Outcome.Failed f = tally.add(o);
      if (f != null) {
        failedNow.add(f);
      }
    }
    if (!planning) {
      outcomes.forEach(route.capture::capture);
      broadcast.engine.settled(outcomes, took);
    }
    took = java.time.Duration.ZERO;
    Counts next = tally.counts(counts.read() + events.size(), counts.failed() + failedNow.size());
    long last = events.get(events.size() - 1).position();
    Deque<Outcome.Failed> keeping;
    synchronized (failures) {
      keeping = new ArrayDeque<>(failures);
    }
    keeping.addAll(failedNow);
    while (keeping.size() > KEPT_FAILURES) {
      keeping.removeFirst();
    }
    List<Outcome.Failed> kept = List.copyOf(keeping);
    RuntimeException unsaved = null;
    synchronized (this) {
      entries.add(Ledger.entry(0, 0, false, null, null, null, 0, 0, null));
      try {
        state.save(progress(last, next, kept), entries);
      } catch (RuntimeException e) {
        unsaved = e;
      }
      if (unsaved == null) {
        if (failedBatches > 0 || attempts > 0) {
          LOG.info("delivering again after {} failed attempts", attempts);
        }
        attempts = 0;
        failedBatches = 0;
        lastError = null;
        lastErrorLogged = null;
        lastErrorAt = null;
        counts = next;     // with the save, so that a ledger saved by resume() never goes back to before it
        position = last;
        poisonAt = 0;
        skipAt = 0;
        synchronized (failures) {
          failures.clear();
          failures.addAll(kept);
        }
      }
    }
    if (unsaved instanceof HoldLostException lost) {
      throw lost;
    }
    if (unsaved != null) {   // out of the lock: the wait before trying again must not hold resume() up
      failed("saving the ledger", unsaved, false);
      return;
    }
    now = DestinationStatus.State.RUNNING;
    if (!failedNow.isEmpty()) {
      LOG.warn("{} records rejected in the batch up to position {}", failedNow.size(), last);
    }
    broadcast.progressed();
  }

  private Progress progress(long at, Counts c, List<Outcome.Failed> kept) {
    return Progress.numbered(++sequence, broadcast.clock.instant()).at(OUTBOX, Checkpoint.at(Long.toString(at)))
        .counting(c, kept).describing(Map.of("destination", route.destination.toString()));
  }

  /**
   * A batch (or the read before it) failed: counted against the park limit where it was transient
   * and past its retries, parked at once where it was not; the ledger saved; then a wait before the
   * batch is tried again.
   */
  private void failed(String where, Throwable e, boolean parkNow) {
    failed(where, where, e, parkNow);
  }

  /** As {@link #failed(String, Throwable, boolean)}, worded {@code whereLogged} (no key, no value) for logs and summaries. */
  private void failed(String where, String whereLogged, Throwable e, boolean parkNow) {
    boolean backOff;
    synchronized (this) {
      failedBatches++;
      lastError = where + ": " + Failures.forReport(e, broadcast.reasonDetail);
      lastErrorLogged = whereLogged + ": " + Failures.forLog(e);
      lastErrorAt = broadcast.clock.instant();
      if (parkNow || failedBatches >= route.parkAfter) {
        parked = true;
        now = DestinationStatus.State.PARKED;
        LOG.warn("destination parked at position {} after {} failed batches: {} failed ({})", position, failedBatches,
            whereLogged, Failures.forLog(e));
      } else {
        now = DestinationStatus.State.RETRYING;
        if (failedBatches == 1) {   // the first of a streak; the rest at DEBUG, the status counts them
          LOG.warn("batch after position {} failed ({}: {}); tried again later", position, whereLogged, Failures.forLog(e));
        } else {
          LOG.debug("batch after position {} failed again ({}: {})", position, whereLogged, Failures.forLog(e));
        }
      }
      LOG.debug("failure detail: {}", e.getMessage());
      backOff = !parked;   // decided here: a resume right after the park must not find the runner in a backoff
      saveLedgerOnly();
    }
    broadcast.progressed();
    if (backOff) {
      await(route.retry.backoff(route.retry.maxAttempts(), ThreadLocalRandom.current().nextDouble()), false);
    }
  }

  /** Saves the ledger at the position the destination is at; a failure to save is logged, and the runner goes on. */
  private void saveLedgerOnly() {
    List<Outcome.Failed> kept;
    synchronized (failures) {
      kept = List.copyOf(failures);
    }
    try {
      state.save(progress(position, counts, kept),
          List.of(Ledger.entry(attempts, failedBatches, parked, lastError, lastErrorLogged, lastErrorAt, poisonAt, skipAt,
              skipReason)));
    } catch (RuntimeException x) {
      LOG.warn("could not save the ledger ({})", Failures.forLog(x));
    }
  }
}
