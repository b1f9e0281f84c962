package dev.patchbay.spring.boot.autoconfigure;

import dev.patchbay.core.report.Report;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.broadcast.BroadcastStatus;
import dev.patchbay.patterns.broadcast.DestinationStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;

/**
 * One pattern's health, read from its {@link Pattern#status()}:
 *
 * <ul>
 *   <li>DOWN where a part of it is parked (a broadcast destination that failed past its limit,
 *       until {@code resume}), or its last run FAILED or was PARTIAL (a source that failed);</li>
 *   <li>OUT_OF_SERVICE where its last run was BLOCKED: refused for a person to check (a mass delete);</li>
 *   <li>UP otherwise: running, idle, stopped, never run, or its last run COMPLETED (records it
 *       rejected are counted in the details, not a reason to be down).</li>
 * </ul>
 *
 * The details: the pattern's kind and state, its last run's status, end and counts of failed
 * records, its lag, and a broadcast's destinations' states; never a record's value or a system's
 * message. A broadcast that stands by (another instance of the service holds its ledgers) is UP,
 * in state STANDBY. Any other status that cannot be read is UNKNOWN, naming the exception's class.
 */
final class PatternHealth implements HealthIndicator {

  private final Pattern<?> pattern;
  private final BooleanSupplier standsBy;

  PatternHealth(Pattern<?> pattern, BooleanSupplier standsBy) {
    this.pattern = pattern;
    this.standsBy = standsBy;
  }

  @Override
  public Health health() {
    PatternStatus status;
    try {
      status = pattern.status();
    } catch (RuntimeException e) {
      if (standsBy.getAsBoolean()) {
        return Health.up().withDetail("pattern", "broadcast").withDetail("state", "STANDBY").build();
      }
      return Health.unknown().withDetail("error", e.getClass().getName()).build();
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("pattern", status.pattern());
    details.put("state", status.state().name());
    Status health = status.state() == PatternStatus.State.PARKED ? Status.DOWN : Status.UP;
    if (status.last().isPresent()) {
      Report last = status.last().get();
      details.put("lastRun", last.status().name());
      details.put("lastRunEnded", last.finishedAt().toString());
      details.put("lastRunFailedRecords", last.failures().size());
      switch (last.status()) {
        case FAILED, PARTIAL -> health = Status.DOWN;
        case BLOCKED -> health = health == Status.DOWN ? health : Status.OUT_OF_SERVICE;
        default -> { }
      }
    }
    status.lag().ifPresent(lag -> {
      details.put("lagChanges", lag.changes());
      details.put("lagMillis", lag.time().toMillis());
    });
    if (status instanceof BroadcastStatus broadcast) {
      Map<String, String> destinations = new LinkedHashMap<>();
      for (DestinationStatus d : broadcast.destinations()) {
        destinations.put(d.name(), d.state().name());
      }
      details.put("destinations", destinations);
      List<String> parked = broadcast.destinations().stream().filter(d -> d.state() == DestinationStatus.State.PARKED)
          .map(DestinationStatus::name).toList();
      if (!parked.isEmpty()) {
        health = Status.DOWN;
        details.put("parked", parked);
      }
    }
    return Health.status(health).withDetails(details).build();
  }
}
