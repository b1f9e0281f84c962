package dev.patchbay.patterns.broadcast;

import java.time.Duration;

/**
 * A runner's wait between batches, and what may end it early: publishes telling how far the
 * outbox went, a resume or skip telling it to look, a stop.
 */
final class Wakeup {

  private final Object signal = new Object();
  /** Guarded by {@code signal}. */
  private boolean woken;
  /** Guarded by {@code signal}: whether a wake asked the runner to look whatever it was told. */
  private boolean mustLook;
  /** The highest position publishes and notifications told of. */
  private volatile long told;
  private volatile boolean stopping;

  /**
   * Waits until woken or {@code timeout} passed; whether the runner, at {@code position}, is then
   * to read the outbox: after the timeout (a poll), when told to look, or told of events past it.
   * Where not {@code byNews}, only a stop ends the wait early: the backoff after a failed batch,
   * which publishes must not cut short (a destination that is down would be asked again at each
   * one, and parked within moments). An interrupt is taken as a stop.
   */
  boolean await(Duration timeout, boolean byNews, long position) {
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

  /** Wakes the runner: events up to {@code upTo} were published (0 or less: to look, whatever it was told). */
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

  /** Ends every wait, this one and those to come. */
  void stop() {
    stopping = true;
    wake(0);
  }

  boolean stopping() {
    return stopping;
  }
}
