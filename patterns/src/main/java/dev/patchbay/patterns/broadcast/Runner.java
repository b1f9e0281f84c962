package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.HoldLostException;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Retrying;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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

  private final Broadcast broadcast;
  private final Route<T> route;
  private final NamedState state;
  /** A dry run's runner: it plans, captures nothing, tells no listener. */
  private final boolean planning;
  /** Decides and writes a batch. */
  private final Delivery<T> delivery;
  private final Wakeup wakeup = new Wakeup();
  /** The ledger as last saved, or as it is to be saved; changed under this runner's lock. */
  private volatile Ledger ledger;
  /** The number of the ledger's next save. */
  private long sequence;
  private volatile DestinationStatus.State now;
  private volatile Instant pendingSince;
  /** Parked for events purged before it read them: resuming joins the outbox again, and parks again while they are missing. */
  private volatile boolean gapped;
  private volatile boolean lost;
  /**
   * Whether this runner has read its first batch. That one is read from the outbox, never the
   * buffer: a batch of a process that died after its write landed may have held more of the events
   * after the ledger's position than the buffer of this one holds, and a shorter batch would write a
   * key's older versions over the newer ones that write left (B2). Afterwards a batch tried again
   * is read from a buffer that only grew, so it holds at least the events of the try before.
   */
  private boolean started;
  /** The position last told to the outbox's registry (by the purger's thread, or purge()). */
  volatile long advanced;

  Runner(Broadcast broadcast, Route<T> route, NamedState state) {
    this(broadcast, route, state, null);
  }

  /** A runner; where {@code run} is a dry run's, one that plans into it over a scratch of {@code state}. */
  Runner(Broadcast broadcast, Route<T> route, NamedState state, Engine<BroadcastStatus>.Run run) {
    this.broadcast = broadcast;
    this.route = route;
    this.planning = run != null && run.planning();
    this.state = planning ? state.scratch() : state;
    Retrying retrying = new Retrying(broadcast.name + "." + route.name, route.retry, broadcast.engine::retried);
    this.delivery = new Delivery<>(route, new RecordStep<>(route.scope, route.transform, broadcast.reasonDetail),
        this.state, planning ? run.destination(route.name, route.destination, retrying) : route.destination, retrying,
        broadcast.reasonDetail,
        new Pipeline<>(broadcast.engine.threads(route.name + "-writer", true), route.writers, 1), this::retried);
    this.ledger = Ledger.read(state);
    this.sequence = ledger.sequence();
    this.now = ledger.parked() ? DestinationStatus.State.PARKED : DestinationStatus.State.RUNNING;   // so from the first status on
  }

  String name() {
    return route.name;
  }

  /** The outbox position of the last event this destination accepted: what purging may go up to. */
  long position() {
    return ledger.position();
  }

  boolean parked() {
    return ledger.parked();
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
      while (!wakeup.stopping()) {
        if (ledger.parked()) {
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
          events = broadcast.tail.next(position(), route.batchSize, !started);
        } catch (RuntimeException e) {
          failed("reading the outbox", e, false);
          continue;
        }
        if (events == null) {   // an append of this process is under way: it wakes us once its events are in the tail
          look = await(broadcast.pollInterval);
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
          LOG.error("destination parked at position {}: delivering threw {}", position(), e.getClass().getName());
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

  /** Registers this destination with the outbox's readers from where its ledger says it is ({@link OutboxJoin}). */
  void join() {
    OutboxJoin.Joined joined = OutboxJoin.join(broadcast, route, reader(), ledger, sequence == 0 && position() == 0);
    synchronized (this) {
      gapped = joined.gapped();
      if (joined.changed()) {
        ledger = joined.ledger();
        if (gapped) {
          now = DestinationStatus.State.PARKED;
        }
        saveLedgerOnly();
      }
    }
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
    wakeup.stop();
    lost = true;
    synchronized (this) {
      now = DestinationStatus.State.STOPPED;
      ledger = ledger.erred("the hold on its ledger was lost: " + e.getMessage(), "the hold on its ledger was lost",
          broadcast.clock.instant());
    }
    LOG.error("destination stopped at position {}: the hold on its ledger was lost, another runner may serve it now",
        position());
    broadcast.progressed();
  }

  /** Wakes the runner to look: it was resumed, or is to stop, or was told of events but not how far. */
  void wake() {
    wakeup.wake(0);
  }

  /** Wakes the runner: events up to {@code upTo} were published (0: not known how far). */
  void wake(long upTo) {
    wakeup.wake(upTo);
  }

  void stop() {
    wakeup.stop();
  }

  /** Lets go of the destination's state (after the runner's thread ended). */
  void release() {
    delivery.close();
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
      if (!ledger.parkedOnPoison()) {
        throw new IllegalStateException("destination '" + route.name + "' is not parked on a record it refused");
      }
      ledger = ledger.skipped();
      LOG.warn("record at position {} skipped, as a person asked", ledger.skipAt());
      now = DestinationStatus.State.RUNNING;
      saveLedgerOnly();
    }
    wake();
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
      ledger = ledger.resumed();
      now = DestinationStatus.State.RUNNING;
      saveLedgerOnly();
    }
    LOG.info("destination resumed at position {}", position());
    wake();
  }

  DestinationStatus status(long outboxEnd) {
    Ledger l = ledger;
    Instant since = pendingSince;
    Duration lag = since == null || outboxEnd <= l.position() ? Duration.ZERO
        : Duration.between(since, broadcast.clock.instant());
    return l.status(route.name, now, outboxEnd, lag.isNegative() ? Duration.ZERO : lag);
  }

  /**
   * Waits until woken or {@code timeout} passed; whether the runner is then to read the outbox:
   * after the timeout (a poll), when told to look, or told of events past its position.
   */
  private boolean await(Duration timeout) {
    return wakeup.await(timeout, true, position());
  }

  /**
   * Delivers one batch read from the outbox; the position moves past it only once it was accepted.
   */
  void deliver(List<OutboxEvent> events) {
    Ledger l = ledger;
    Delivery.Verdict verdict = delivery.deliver(l.position(), events, l.skipAt(), l.skipReason());
    if (verdict instanceof Delivery.Delivered d) {
      settle(events, d);
    } else if (verdict instanceof Delivery.Failed f) {
      if (f.poisonAt() > 0) {   // parked on it until a person skips it, or the cause is mended and it is resumed
        synchronized (this) {
          ledger = ledger.poisonedAt(f.poisonAt());
        }
      }
      failed(f.where(), f.whereLogged(), f.cause(), f.parkNow());
    } else if (verdict instanceof Delivery.DeadLettered d) {
      deadLettered(d.position(), d.reason());
    } else {
      wakeup.stop();   // interrupted
    }
  }

  /** A write failed transiently and is tried again: counted, said in the status. */
  private void retried(TransientException e) {
    synchronized (this) {
      ledger = ledger.retried(Failures.forReport(e, broadcast.reasonDetail), Failures.forLog(e), broadcast.clock.instant());
    }
    now = DestinationStatus.State.RETRYING;
  }

  /** The poison record at {@code at} went to the dead-letter destination: passed (reported FAILED) when its batch is delivered again. */
  private void deadLettered(long at, String reason) {
    synchronized (this) {
      ledger = ledger.passing(at, reason);
      saveLedgerOnly();
    }
  }

  /** Saves the batch as delivered (position, counts, failures, key versions, a clean ledger), then tells who waits. */
  private void settle(List<OutboxEvent> events, Delivery.Delivered delivered) {
    if (!planning) {
      delivered.outcomes().forEach(route.capture::capture);
      broadcast.engine.settled(delivered.outcomes(), delivered.took());
    }
    long last = events.get(events.size() - 1).position();
    RuntimeException unsaved = null;
    Ledger was;
    Ledger next;
    synchronized (this) {
      was = ledger;
      next = was.delivered(last, events.size(), delivered.outcomes());
      List<Entry> entries = new ArrayList<>(delivered.entries());
      entries.add(next.entry());
      try {
        state.save(progress(next), entries);
        ledger = next;     // with the save, so that a ledger saved by resume() never goes back to before it
      } catch (RuntimeException e) {
        unsaved = e;
      }
    }
    if (unsaved instanceof HoldLostException lost) {
      throw lost;
    }
    if (unsaved != null) {   // out of the lock: the wait before trying again must not hold resume() up
      failed("saving the ledger", unsaved, false);
      return;
    }
    if (was.failedBatches() > 0 || was.attempts() > 0) {
      LOG.info("delivering again after {} failed attempts", was.attempts());
    }
    now = DestinationStatus.State.RUNNING;
    long rejected = next.counts().failed() - was.counts().failed();
    if (rejected > 0) {
      LOG.warn("{} records rejected in the batch up to position {}", rejected, last);
    }
    broadcast.progressed();
  }

  private Progress progress(Ledger l) {
    return l.progress(++sequence, broadcast.clock.instant(), Map.of("destination", route.destination.toString()));
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
      ledger = ledger.failed(where + ": " + Failures.forReport(e, broadcast.reasonDetail),
          whereLogged + ": " + Failures.forLog(e), broadcast.clock.instant(), parkNow, route.parkAfter);
      if (ledger.parked()) {
        now = DestinationStatus.State.PARKED;
        LOG.warn("destination parked at position {} after {} failed batches: {} failed ({})", position(),
            ledger.failedBatches(), whereLogged, Failures.forLog(e));
      } else {
        now = DestinationStatus.State.RETRYING;
        if (ledger.failedBatches() == 1) {   // the first of a streak; the rest at DEBUG, the status counts them
          LOG.warn("batch after position {} failed ({}: {}); tried again later", position(), whereLogged, Failures.forLog(e));
        } else {
          LOG.debug("batch after position {} failed again ({}: {})", position(), whereLogged, Failures.forLog(e));
        }
      }
      LOG.debug("failure detail: {}", e.getMessage());
      backOff = !ledger.parked();   // decided here: a resume right after the park must not find the runner in a backoff
      saveLedgerOnly();
    }
    broadcast.progressed();
    if (backOff) {
      wakeup.await(route.retry.backoff(route.retry.maxAttempts(), ThreadLocalRandom.current().nextDouble()), false,
          position());
    }
  }

  /** Saves the ledger as it is; a failure to save is logged, and the runner goes on. */
  private void saveLedgerOnly() {
    Ledger l = ledger;
    try {
      state.save(progress(l), List.of(l.entry()));
    } catch (RuntimeException x) {
      LOG.warn("could not save the ledger ({})", Failures.forLog(x));
    }
  }
}
