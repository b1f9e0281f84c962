package dev.patchbay.spring.boot.autoconfigure;

import dev.patchbay.core.SetupException;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.Schedule;
import dev.patchbay.patterns.broadcast.Broadcast;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the application's patterns with its context. At start, each pattern as
 * {@code patchbay.patterns.<name>} says: a broadcast is started (its runners deliver until the
 * context stops); a pattern with {@code every} runs now and then that long after each run ends; one
 * with {@code run-at-start} runs once, on a thread of its own; any other waits for the application
 * to run it. A key under {@code patchbay.patterns} that names no pattern stops the start.
 *
 * <p>Where two instances of a service share one state store, one of them runs each pattern at a
 * time: a scheduled run that finds its name held by the other instance is refused and the next one
 * tries again; a broadcast whose ledgers the other instance holds stands by, trying again every
 * {@code patchbay.lifecycle.standby-retry}, and takes over once they are let go.
 *
 * <p>At stop, every run under way is asked to end at its next checkpoint ({@link Pattern#stop()})
 * and the context waits for them up to {@code patchbay.lifecycle.stop-timeout}; what a run settled
 * is saved, and the next start goes on from there. It stops before the beans it uses are
 * destroyed: the data source is still open while runs end.
 */
public final class PatchbayLifecycle implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PatchbayLifecycle.class);
  /** The MDC key the patterns' own log lines carry their name under. */
  private static final String MDC_NAME = "patchbay.name";

  private final PatternBeans patterns;
  private final PatchbayProperties properties;
  private final List<Ending> started = new ArrayList<>();
  private ScheduledExecutorService standby;
  private final java.util.Set<String> standingBy = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  PatchbayLifecycle(PatternBeans patterns, PatchbayProperties properties) {
    this.patterns = patterns;
    this.properties = properties;
  }

  /** What the context waits for at stop: one pattern's runs ending. */
  private record Ending(String name, Runnable end) { }

  @Override
  public synchronized void start() {
    checkNames();
    for (Map.Entry<String, Pattern<?>> e : patterns.byName().entrySet()) {
      try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_NAME, e.getKey())) {
        start(e.getKey(), e.getValue());
      }
    }
    running = true;
  }

  private void start(String name, Pattern<?> pattern) {
    PatchbayProperties.PatternRuns runs = properties.runsOf(name);
    if (!runs.isAutoStartup()) {
      LOG.info("pattern '{}' is left to the application (patchbay.patterns.{}.auto-startup=false)", name, name);
    } else if (pattern instanceof Broadcast broadcast) {
      if (runs.getEvery() != null || runs.isRunAtStart()) {
        throw new IllegalStateException("patchbay.patterns." + name + ": a broadcast is started with the context and delivers"
            + " as events come; every and run-at-start do not apply to it");
      }
      startBroadcast(name, broadcast);
    } else if (runs.getEvery() != null) {
      Schedule schedule = pattern.every(runs.getEvery(), report -> { });
      started.add(new Ending(name, schedule::close));
      LOG.info("pattern '{}' runs every {}", name, runs.getEvery());
    } else if (runs.isRunAtStart()) {
      CompletableFuture<Void> run = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_NAME, name)) {
          pattern.run();
          run.complete(null);
        } catch (RuntimeException | Error failure) {
          LOG.warn("pattern '{}': its run at start threw {}{}", name, failure.getClass().getName(),
              failure instanceof SetupException ? " (another instance may be running it)" : "");
          run.completeExceptionally(failure);
        }
      }, "patchbay-" + name + "-start");
      t.start();
      started.add(new Ending(name, () -> run.handle((ok, failure) -> null).join()));
    } else {
      LOG.info("pattern '{}' has no schedule (patchbay.patterns.{}.every) and runs when the application runs it", name, name);
    }
  }

  /** Starts {@code broadcast}, or, where its ledgers are held elsewhere, tries again until they are let go or the context stops. */
  private void startBroadcast(String name, Broadcast broadcast) {
    try {
      broadcast.start();
      started.add(new Ending(name, broadcast::close));
      return;
    } catch (SetupException held) {
      LOG.warn("broadcast '{}' is not started here ({}): another instance may hold its ledgers; trying again every {}", name,
          held.getClass().getName(), properties.getLifecycle().getStandbyRetry());
    }
    standingBy.add(name);
    if (standby == null) {
      standby = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "patchbay-standby");
        t.setDaemon(true);
        return t;
      });
    }
    long every = properties.getLifecycle().getStandbyRetry().toMillis();
    ScheduledFuture<?>[] retry = new ScheduledFuture<?>[1];
    retry[0] = standby.scheduleWithFixedDelay(() -> {
      try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_NAME, name)) {
        broadcast.start();
        standingBy.remove(name);
        LOG.info("broadcast '{}' took over: its ledgers were let go", name);
        retry[0].cancel(false);
      } catch (SetupException stillHeld) {
        LOG.debug("broadcast '{}' still stands by", name);
      } catch (RuntimeException e) {
        LOG.warn("broadcast '{}': starting it threw {}", name, e.getClass().getName());
      }
    }, every, every, TimeUnit.MILLISECONDS);
    started.add(new Ending(name, () -> {
      retry[0].cancel(false);
      standingBy.remove(name);
      broadcast.close();   // a no-op where it never started
    }));
  }

  /** A key under patchbay.patterns must name a pattern bean: a typo would otherwise leave a pattern unscheduled, silently. */
  private void checkNames() {
    TreeSet<String> unknown = new TreeSet<>(properties.getPatterns().keySet());
    unknown.removeAll(patterns.byName().keySet());
    if (!unknown.isEmpty()) {
      throw new IllegalStateException("patchbay.patterns." + unknown.first() + (unknown.size() > 1 ? " (and " + (unknown.size() - 1)
          + " more: " + String.join(", ", unknown) + ")" : "") + " names no pattern bean; the patterns are: "
          + (patterns.byName().isEmpty() ? "none" : String.join(", ", new TreeSet<>(patterns.byName().keySet()))));
    }
  }

  @Override
  public void stop() {
    stopWithin(properties.getLifecycle().getStopTimeout());
  }

  @Override
  public void stop(Runnable callback) {
    Thread t = new Thread(() -> {
      try {
        stop();
      } finally {
        callback.run();
      }
    }, "patchbay-stop");
    t.start();
  }

  private void stopWithin(Duration timeout) {
    List<Ending> ending;
    synchronized (this) {
      running = false;
      ending = List.copyOf(started);
      started.clear();
      if (standby != null) {
        standby.shutdown();
        standby = null;
      }
    }
    for (Pattern<?> p : patterns.all()) {
      if (!(p instanceof Broadcast b && ending.stream().anyMatch(e -> e.name().equals(b.name())))) {
        p.stop();   // a broadcast the context started is closed below, and waited for: its stop() would close it on a thread of its own
      }
    }
    List<CompletableFuture<Void>> ends = new ArrayList<>();
    for (Ending e : ending) {
      ends.add(CompletableFuture.runAsync(e.end(), r -> new Thread(r, "patchbay-" + e.name() + "-stop").start()));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < ends.size(); i++) {
      try (MDC.MDCCloseable mdc = MDC.putCloseable(MDC_NAME, ending.get(i).name())) {
        ends.get(i).get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException late) {
        LOG.warn("pattern '{}' did not reach a checkpoint within {} (patchbay.lifecycle.stop-timeout); the next start goes on"
            + " from its last one", ending.get(i).name(), timeout);
      } catch (ExecutionException failed) {
        LOG.warn("pattern '{}': ending it threw {}", ending.get(i).name(), failed.getCause().getClass().getName());
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** Whether the broadcast called {@code name} stands by here, its ledgers held by another instance. */
  public boolean standsBy(String name) {
    return standingBy.contains(name);
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    return properties.getLifecycle().isAutoStartup();
  }
}
