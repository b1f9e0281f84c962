package dev.patchbay.patterns;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** Holds the n-th call that passes it until opened: a run caught between two of its checkpoints. */
public final class Gate {

  private final int at;
  private final AtomicInteger calls = new AtomicInteger();
  private final CountDownLatch reached = new CountDownLatch(1);
  private final CountDownLatch open = new CountDownLatch(1);

  /** A gate holding call {@code at} (1 the first); 0 holds none. */
  public Gate(int at) {
    this.at = at;
  }

  public static Gate none() {
    return new Gate(0);
  }

  public void pass() {
    if (calls.incrementAndGet() == at) {
      reached.countDown();
      try {
        if (!open.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the gate was never opened");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  /** Waits until a call is held here. */
  public boolean awaitReached() throws InterruptedException {
    return reached.await(30, TimeUnit.SECONDS);
  }

  public void open() {
    open.countDown();
  }
}
