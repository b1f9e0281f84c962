package dev.patchbay.spring.boot.autoconfigure;

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
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Starts and stops the application's patterns with its context. At start, each pattern as
 * {@code patchbay.patterns.<name>} says: a broadcast is started (its runners deliver until the
 * context stops); a pattern with {@code every} runs now and then that long after each run ends; one
 * with {@code run-at-start} runs once, on a thread of its own; any other waits for the application
 * to run it. A key under {@code patchbay.patterns} that names no pattern stops the start.
 *
 * <p>At stop, every run under way is asked to end at its next checkpoint ({@link Pattern#stop()})
 * and the context waits for them up to {@code patchbay.lifecycle.stop-timeout}; what a run settled
 * is saved, and the next start goes on from there. It stops before the beans it uses are
 * destroyed: the data source is still open while runs end.
 */
public final class PatchbayLifecycle implements SmartLifecycle {

  private static final Logger LOG = LoggerFactory.getLogger(PatchbayLifecycle.class);

  private final PatternBeans patterns;
  private final PatchbayProperties properties;
  private final List<Ending> started = new ArrayList<>();
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
      String name = e.getKey();
      Pattern<?> pattern = e.getValue();
      PatchbayProperties.PatternRuns runs = properties.runsOf(name);
      if (!runs.isAutoStartup()) {
        LOG.info("pattern '{}' is left to the application (patchbay.patterns.{}.auto-startup=false)", name, name);
        continue;
      }
      if (pattern instanceof Broadcast broadcast) {
        if (runs.getEvery() != null || runs.isRunAtStart()) {
          throw new IllegalStateException("patchbay.patterns." + name + ": a broadcast is started with the context and delivers"
              + " as events come; every and run-at-start do not apply to it");
        }
        broadcast.start();
        started.add(new Ending(name, broadcast::close));
      }
      if (runs.getEvery() != null) {
        Schedule schedule = pattern.every(runs.getEvery(), report -> { });
        started.add(new Ending(name, schedule::close));
        LOG.info("pattern '{}' runs every {}", name, runs.getEvery());
      } else if (runs.isRunAtStart()) {
        CompletableFuture<Void> run = new CompletableFuture<>();
        Thread t = new Thread(() -> {
          try {
            pattern.run();
            run.complete(null);
          } catch (RuntimeException | Error failure) {
            LOG.error("pattern '{}': its run at start threw {}", name, failure.getClass().getName());
            run.completeExceptionally(failure);
          }
        }, "patchbay-" + name + "-start");
        t.start();
        started.add(new Ending(name, () -> run.handle((ok, failure) -> null).join()));
      } else if (!(pattern instanceof Broadcast)) {
        LOG.info("pattern '{}' has no schedule (patchbay.patterns.{}.every) and runs when the application runs it", name, name);
      }
    }
    running = true;
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
    }
    for (Pattern<?> p : patterns.all()) {
      if (!(p instanceof Broadcast b && ending.stream().anyMatch(e -> e.name().equals(b.name())))) {
        p.stop();   // a started broadcast is closed below, and waited for: its stop() would close it on a thread of its own
      }
    }
    List<CompletableFuture<Void>> ends = new ArrayList<>();
    for (Ending e : ending) {
      ends.add(CompletableFuture.runAsync(e.end(), r -> new Thread(r, "patchbay-" + e.name() + "-stop").start()));
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int i = 0; i < ends.size(); i++) {
      try {
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

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public boolean isAutoStartup() {
    return properties.getLifecycle().isAutoStartup();
  }
}
