package dev.patchbay.patterns.internal;

import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.MDC;

/** Threads of a pattern's: daemons named after it, carrying the MDC of the thread that made them. */
public final class Threads {

  private Threads() {
  }

  /**
   * Makes threads named {@code name}, or {@code name-1}, {@code name-2}, ... where {@code numbered};
   * each starts with the MDC the calling thread has now.
   */
  public static ThreadFactory named(String name, boolean numbered) {
    return named(name, numbered, null);
  }

  /**
   * As {@link #named(String, boolean)}, the threads made by {@code host} where given (a host's
   * virtual threads, its own pool's factory): named as above, daemons only where the pattern made them.
   */
  public static ThreadFactory named(String name, boolean numbered, ThreadFactory host) {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    AtomicInteger made = new AtomicInteger();
    return r -> {
      Runnable withMdc = () -> {
        if (mdc != null) {
          MDC.setContextMap(mdc);
        }
        r.run();
      };
      Thread t = host == null ? new Thread(withMdc) : host.newThread(withMdc);
      t.setName(numbered ? name + "-" + made.incrementAndGet() : name);
      if (host == null) {
        t.setDaemon(true);
      }
      return t;
    };
  }

  /** Two results computed at once. */
  public record Both<T>(T first, T second) {
  }

  /**
   * Runs {@code first} on this thread and {@code second} on a new one at the same time; returns when
   * both have ended. If either throws, that is thrown (the first's where both do), after both ended.
   */
  public static <T> Both<T> both(Supplier<T> first, Supplier<T> second, ThreadFactory threads) {
    FutureTask<T> task = new FutureTask<>(second::get);
    threads.newThread(task).start();
    T one;
    try {
      one = first.get();
    } catch (RuntimeException | Error e) {
      try {
        join(task);
      } catch (RuntimeException | Error other) {
        e.addSuppressed(other);
      }
      throw e;
    }
    return new Both<>(one, join(task));
  }

  private static <T> T join(FutureTask<T> task) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;   // the other thread still uses a connector: wait for it all the same
        } catch (ExecutionException e) {
          if (e.getCause() instanceof RuntimeException r) {
            throw r;
          }
          if (e.getCause() instanceof Error err) {
            throw err;
          }
          throw new IllegalStateException(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** The driver's thread was interrupted while it waited for another thread of the run. */
  public static final class Interrupted extends RuntimeException {
    Interrupted(InterruptedException cause) {
      super("interrupted while waiting for another thread of the run", cause);
    }
  }

  /**
   * What {@code future} computed; what it threw, thrown here (a checked exception wrapped).
   *
   * @throws Interrupted where this thread was interrupted while waiting
   */
  public static <R> R result(Future<R> future) {
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Interrupted(e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("a thread of the run failed", e.getCause());
    }
  }

  /** Shuts {@code pool} down and waits for its threads, idle by now, to end. */
  public static void finish(ExecutorService pool) {
    pool.shutdown();
    try {
      pool.awaitTermination(1, TimeUnit.MINUTES);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Waits for {@code pool}, shut down, to end its work (at most an hour); an interrupt ends the wait, the flag kept. */
  public static void await(ExecutorService pool) {
    try {
      pool.awaitTermination(1, TimeUnit.HOURS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
