package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.FeedReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a started {@link Broadcast} runs: a runner per destination, the feed's poller, the purger. */
final class Running {

  /** The broadcast's own logger: a started broadcast's lines are the broadcast's. */
  private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);

  private final Broadcast b;
  final List<Runner<?>> runners = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final NamedState feedState;
  private final AutoCloseable subscription;
  private final Object signal = new Object();
  private volatile boolean stopping;
  /** Guarded by {@code signal}: polls of the change feed begun, and the last one that found it drained. */
  private long pollsBegun;
  private long drainedBy;
  /** Guarded by {@code signal}: the poll that awaitDelivered waits to see drained; the poller does not pause before it. */
  private long drainWanted;

  Running(Broadcast b) {
    this.b = b;
    long end = b.outbox.end();
    NamedState fed = null;
    try {
      for (Route<?> route : b.routes) {
        runners.add(runner(route, b.store.open(b.ledgerName(route))));
        Runner<?> r = runners.get(runners.size() - 1);
        if (r.position() > end) {
          throw new SetupException("Broadcast '" + b.name + "': destination '" + route.name + "' is at position "
              + r.position() + ", past the outbox's end " + end + ": the outbox is not the one its ledger was kept"
              + " against (an in-memory outbox lost with its process keeps nothing; use a durable one)");
        }
      }
      runners.forEach(Runner::join);
      fed = b.feed == null ? null : b.store.open(b.name);
    } catch (RuntimeException e) {
      runners.forEach(Runner::release);
      throw e;
    }
    this.feedState = fed;
    for (Runner<?> r : runners) {
      threads.add(b.engine.threads(r.name(), false).newThread(r));
    }
    if (feedState != null) {
      threads.add(b.engine.threads("poller", false).newThread(this::poll));
    }
    threads.add(b.engine.threads("purger", false).newThread(this::purge));
    AutoCloseable sub;
    try {
      sub = b.outbox.subscribe(this::told);
    } catch (RuntimeException e) {
      LOG.warn("outbox notifications not available ({}); polling every {} ms", Failures.forLog(e),
          b.pollInterval.toMillis());
      sub = () -> { };
    }
    this.subscription = sub;
    threads.forEach(Thread::start);
  }

  /**
   * The outbox told of events up to {@code upTo} (0: it cannot say how far). While this object
   * appends, the runners are woken by the append itself, once its events are in the tail (so they
   * read them from memory); otherwise now.
   */
  private void told(long upTo) {
    b.told.accumulateAndGet(upTo, Math::max);
    if (upTo <= 0 || !b.tail.appending()) {
      runners.forEach(r -> r.wake(upTo));
    }
  }

  private <T> Runner<T> runner(Route<T> route, NamedState state) {
    return new Runner<>(b, route, state);
  }

  Runner<?> runner(String name) {
    return runners.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** Tells every thread to end after what it has in hand; returns at once. */
  void signalStop() {
    stopping = true;
    runners.forEach(Runner::stop);
    synchronized (signal) {
      signal.notifyAll();
    }
  }

  void stop() {
    signalStop();
    try {
      subscription.close();
    } catch (Exception e) {
      LOG.warn("closing the outbox subscription failed ({})", Failures.forLog(e));
    }
    for (Thread t : threads) {
      try {
        t.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    runners.forEach(Runner::release);
    if (feedState != null) {
      feedState.close();
    }
  }

  private void pause(Duration d) {
    synchronized (signal) {
      if (!stopping) {
        try {
          signal.wait(Math.max(1, d.toMillis()));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopping = true;
        }
      }
    }
  }

  /**
   * Waits until a poll of the change feed that began after this call found it drained (no
   * feed: at once), or the deadline; whether it did.
   */
  boolean awaitDrained(long deadline) {
    if (feedState == null) {
      return true;
    }
    synchronized (signal) {
      long after = pollsBegun;
      drainWanted = Math.max(drainWanted, after + 1);
      signal.notifyAll();   // the poller looks now rather than at its next interval
      while (drainedBy <= after) {
        long left = deadline - System.nanoTime();
        if (left <= 0 || stopping) {
          return false;
        }
        try {
          signal.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
      return true;
    }
  }

  /** The feed's poller: appends what changed since its checkpoint to the outbox, then saves the checkpoint. */
  private void poll() {
    Progress p = feedState.progress(w -> LOG.warn("{}", w)).orElse(Progress.start(b.clock.instant()));
    Checkpoint at = p.position(Progress.SOURCE);
    long sequence = p.sequence();
    while (!stopping) {
      long begun;
      synchronized (signal) {
        begun = ++pollsBegun;
      }
      List<Change<Fields>> changes = new ArrayList<>();
      Checkpoint next;
      boolean read = false;
      try {
        FeedReader.Chunk<Fields> chunk = FeedReader.read(b.feed, at, b.feedBatch, "broadcast '" + b.name + "'");
        changes.addAll(chunk.changes());
        next = chunk.end();
        if (!changes.isEmpty()) {
          b.publishAll(changes);
          feedState.save(Progress.numbered(++sequence, b.clock.instant()).at(Progress.SOURCE, next), List.of());
          at = next;
        }
        read = true;
      } catch (RuntimeException e) {
        LOG.warn("polling the change feed failed ({}); trying again in {} ms", Failures.forLog(e),
            b.pollInterval.toMillis());
        LOG.debug("change feed failure detail: {}", e.getMessage());
        changes.clear();
      }
      if (changes.size() < b.feedBatch) {
        synchronized (signal) {
          if (read) {
            drainedBy = begun;
            signal.notifyAll();
          }
          if (drainWanted <= begun && !stopping) {   // in the lock: a wish for a fresh poll is never missed
            try {
              signal.wait(Math.max(1, b.pollInterval.toMillis()));
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              stopping = true;
            }
          }
        }
      }
    }
  }

  /** Tells the outbox's registry how far each runner here is: what purging, in any process, waits for. */
  void advance() {
    for (Runner<?> r : runners) {
      long at = r.position();
      if (!r.gapped() && at > r.advanced) {
        b.outbox.advance(b.aggregateType, r.reader(), at);
        r.advanced = at;
      }
    }
  }

  /**
   * The purger: tells the registry where the runners are, then purges the outbox below the
   * slowest reader of the type, in bounded batches; each second where a whole batch can go, else
   * every ten seconds (fewer, fuller deletes cost the database less).
   */
  private void purge() {
    long purgedThrough = 0;
    long lastPurge = System.nanoTime();
    while (!stopping) {
      pause(Duration.ofSeconds(1));
      if (stopping) {
        break;
      }
      try {
        advance();
        long below = runners.stream().mapToLong(Runner::position).min().orElse(0);
        if (below - purgedThrough < b.purgeBatch && System.nanoTime() - lastPurge < 10_000_000_000L) {
          continue;
        }
        lastPurge = System.nanoTime();
        b.purgeAll(() -> stopping);
        purgedThrough = below;
      } catch (RuntimeException e) {
        LOG.warn("purging the outbox failed ({}); trying again later", Failures.forLog(e));
      }
    }
    try {
      advance();
    } catch (RuntimeException e) {
      LOG.warn("telling the outbox where the destinations are failed ({})", Failures.forLog(e));
    }
  }
}
