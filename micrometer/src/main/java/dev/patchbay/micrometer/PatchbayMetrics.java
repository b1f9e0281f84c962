package dev.patchbay.micrometer;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Report;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.RunListener;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.BroadcastStatus;
import dev.patchbay.patterns.broadcast.DestinationStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The patterns' meters, for the registry a host gives: {@code new PatchbayMetrics(migration,
 * sync).bindTo(registry)}. Never the global registry. Named in the style of Spring Batch's and
 * Kafka Connect's, every meter tagged with the pattern's kind and name ({@code pattern},
 * {@code name}):
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>more tags</th><th>what it counts</th></tr>
 *   <tr><td>{@code patchbay.records}</td><td>counter</td><td>{@code outcome}, {@code stage}</td>
 *       <td>records settled, by outcome (created, updated, unchanged, deleted, skipped, failed) and, for
 *       a failure, the stage it failed at (read, scope, transform, write; else {@code none})</td></tr>
 *   <tr><td>{@code patchbay.batch}</td><td>timer</td><td></td><td>the time each settled batch's writes took</td></tr>
 *   <tr><td>{@code patchbay.run}</td><td>timer</td><td>{@code status}</td><td>each run's time, by how it ended</td></tr>
 *   <tr><td>{@code patchbay.retries}</td><td>counter</td><td></td><td>transient failures tried again</td></tr>
 *   <tr><td>{@code patchbay.conflicts}</td><td>counter</td><td></td><td>pairs changed on both sides (a sync, a correlation)</td></tr>
 *   <tr><td>{@code patchbay.broadcast.lag.events}</td><td>gauge</td><td>{@code destination}</td>
 *       <td>events in the outbox after the destination's position</td></tr>
 *   <tr><td>{@code patchbay.broadcast.lag}</td><td>time gauge</td><td>{@code destination}</td>
 *       <td>how long the oldest of those has waited</td></tr>
 *   <tr><td>{@code patchbay.broadcast.parked}</td><td>gauge</td><td>{@code destination}</td>
 *       <td>1 while the destination is parked, waiting for a person; else 0</td></tr>
 * </table>
 *
 * <p>Counters and timers are told by the patterns as they run (a {@link RunListener} each); the
 * broadcast's gauges read {@link Pattern#status()} when the registry reads them, and answer NaN
 * where it cannot be read (a ledger another process holds).
 */
public final class PatchbayMetrics implements MeterBinder {

  private static final Logger LOG = LoggerFactory.getLogger(PatchbayMetrics.class);

  private final List<Pattern<?>> patterns;

  /** The meters of {@code patterns}; a pattern's meters are made when it is bound, its broadcast destinations read then. */
  public PatchbayMetrics(Pattern<?>... patterns) {
    this(List.of(patterns));
  }

  public PatchbayMetrics(List<? extends Pattern<?>> patterns) {
    this.patterns = List.copyOf(patterns);
  }

  /** Makes every pattern's meters in {@code registry} and has each pattern tell them what it does from now on. */
  @Override
  public void bindTo(MeterRegistry registry) {
    Objects.requireNonNull(registry, "registry");
    for (Pattern<?> p : patterns) {
      // a broadcast's status reads its ledgers, which another instance of the service may hold: bound without it
      Tags tags = Tags.of("pattern", p instanceof Broadcast ? "broadcast" : p.status().pattern(), "name", p.name());
      p.listen(new Meters(registry, tags));
      if (p instanceof Broadcast broadcast) {
        for (String d : broadcast.destinations()) {
          destination(registry, p, tags.and("destination", d), d);
        }
      }
    }
  }

  private static void destination(MeterRegistry registry, Pattern<?> p, Tags tags, String destination) {
    Gauge.builder("patchbay.broadcast.lag.events", p, read(destination, d -> d.lagChanges()))
        .tags(tags).description("events in the outbox after the destination's position").register(registry);
    TimeGauge.builder("patchbay.broadcast.lag", p, TimeUnit.MILLISECONDS, read(destination, d -> d.lagTime().toMillis()))
        .tags(tags).description("how long the oldest event the destination does not have has waited").register(registry);
    Gauge.builder("patchbay.broadcast.parked", p, read(destination, d -> d.state() == DestinationStatus.State.PARKED ? 1 : 0))
        .tags(tags).description("1 while the destination is parked, waiting for a person").register(registry);
  }

  /** A gauge's reading of one destination's status; NaN where the status cannot be read now. */
  private static ToDoubleFunction<Pattern<?>> read(String destination, ToDoubleFunction<DestinationStatus> value) {
    return p -> {
      try {
        return value.applyAsDouble(((BroadcastStatus) p.status()).destination(destination));
      } catch (RuntimeException e) {
        LOG.debug("broadcast '{}': its status could not be read for a gauge ({})", p.name(), e.getClass().getSimpleName());
        return Double.NaN;
      }
    };
  }

  /** One pattern's counters and timers, told by its runs. */
  private static final class Meters implements RunListener {
    private final MeterRegistry registry;
    private final Tags tags;
    private final Timer batch;
    private final Counter retries;
    private final Counter conflicts;

    Meters(MeterRegistry registry, Tags tags) {
      this.registry = registry;
      this.tags = tags;
      this.batch = Timer.builder("patchbay.batch").tags(tags).description("the time a settled batch's writes took")
          .register(registry);
      this.retries = Counter.builder("patchbay.retries").tags(tags).description("transient failures tried again")
          .register(registry);
      this.conflicts = Counter.builder("patchbay.conflicts").tags(tags)
          .description("pairs changed on both sides since they last agreed").register(registry);
    }

    @Override
    public void batch(List<Outcome> outcomes, Duration took) {
      batch.record(took);
      for (Outcome o : outcomes) {
        String stage = o instanceof Outcome.Failed f ? f.stage().name().toLowerCase(Locale.ROOT) : "none";
        Counter.builder("patchbay.records").tags(tags).tag("outcome", outcome(o)).tag("stage", stage)
            .description("records settled, by outcome and, for a failure, stage").register(registry).increment();
      }
    }

    @Override
    public void retried() {
      retries.increment();
    }

    @Override
    public void conflict() {
      conflicts.increment();
    }

    @Override
    public void ended(Report report) {
      Timer.builder("patchbay.run").tags(tags).tag("status", report.status().name().toLowerCase(Locale.ROOT))
          .description("a run's time, by how it ended").register(registry).record(report.duration());
    }

    private static String outcome(Outcome o) {
      if (o instanceof Outcome.Created) {
        return "created";
      } else if (o instanceof Outcome.Updated) {
        return "updated";
      } else if (o instanceof Outcome.Unchanged) {
        return "unchanged";
      } else if (o instanceof Outcome.Deleted) {
        return "deleted";
      } else if (o instanceof Outcome.Skipped) {
        return "skipped";
      }
      return "failed";
    }
  }
}
