package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.FailureGroup;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.PatternStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A broadcast as {@link Broadcast#status()} finds it, or as a {@link Broadcast#run()} left it: the
 * outbox and every destination's ledger. It is the broadcast's {@link PatternStatus} (state, lag,
 * last run's report) and its {@link Report} (status, failures, each destination as an endpoint),
 * so that a result capture, a listener and a meter read it as they read any pattern's.
 *
 * @param name         the broadcast's name
 * @param status       COMPLETED where every destination is delivering (or, for a run, has every
 *                     event); PARTIAL where one is parked (the message names it); STOPPED where a
 *                     run was stopped on request
 * @param message      why it is not COMPLETED; null where it is
 * @param state        what the broadcast is doing
 * @param outboxEnd    the position of the last event published
 * @param outboxSize   the events the outbox holds (those no destination has purged yet)
 * @param purgeHeldBy  the destination furthest behind, which holds purging back; empty where every
 *                     destination has every event
 * @param destinations each destination's ledger, in the order they were given
 * @param startedAt    when the run began; for a status read, when it was read
 * @param finishedAt   when the run ended, or the status was read
 * @param last         the report of the last run in this process (for a status read); empty for a run's report
 */
public record BroadcastStatus(String name, RunStatus status, String message, State state, long outboxEnd,
                              long outboxSize, Optional<String> purgeHeldBy, List<DestinationStatus> destinations,
                              Instant startedAt, Instant finishedAt, Optional<Report> last)
    implements PatternStatus, Report {

  public BroadcastStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(purgeHeldBy, "purgeHeldBy");
    destinations = List.copyOf(destinations);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    Objects.requireNonNull(last, "last");
  }

  /** {@code broadcast}. */
  @Override
  public String pattern() {
    return "broadcast";
  }

  /** The destination called {@code name}. */
  public DestinationStatus destination(String name) {
    return destinations.stream().filter(d -> d.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("broadcast '" + this.name + "' has no destination '" + name + "'"));
  }

  /** The furthest-behind destination's lag in events, and the longest any event has waited. */
  @Override
  public Optional<Lag> lag() {
    long changes = 0;
    Duration time = Duration.ZERO;
    for (DestinationStatus d : destinations) {
      changes = Math.max(changes, d.lagChanges());
      time = d.lagTime().compareTo(time) > 0 ? d.lagTime() : time;
    }
    return Optional.of(new Lag(changes, time));
  }

  /** Every destination's rejected records (each ledger keeps its last 1,000). */
  @Override
  public List<Outcome.Failed> failures() {
    List<Outcome.Failed> all = new ArrayList<>();
    destinations.forEach(d -> all.addAll(d.failures()));
    return all;
  }

  /** Which destination holds purging back, where one does. */
  @Override
  public List<String> findings() {
    return purgeHeldBy.map(d -> List.of("purging is held back by destination '" + d + "'")).orElse(List.of());
  }

  /** Each destination, by name: the events it was given, and how each ended. */
  @Override
  public Map<String, EndpointCounts> endpoints() {
    Map<String, EndpointCounts> e = new LinkedHashMap<>();
    for (DestinationStatus d : destinations) {
      var c = d.counts();
      e.put(d.name(), new EndpointCounts(c.read(), c.created(), c.updated(), c.deleted(), c.unchanged(), c.skipped(),
          c.failed()));
    }
    return e;
  }

  /** The outbox's end and size, who holds purging back, and each destination's state, position, lag and attempts. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("state", state.name());
    d.put("outboxEnd", outboxEnd);
    d.put("outboxSize", outboxSize);
    d.put("purgeHeldBy", purgeHeldBy.orElse(null));
    List<Object> each = new ArrayList<>();
    for (DestinationStatus x : destinations) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", x.name());
      m.put("state", x.state().name());
      m.put("position", x.position());
      m.put("lagChanges", x.lagChanges());
      m.put("lagMillis", x.lagTime().toMillis());
      m.put("attempts", x.attempts());
      m.put("lastError", x.lastErrorLogged());
      each.add(m);
    }
    d.put("destinations", each);
    return d;
  }

  /** A few lines for a person: keys and counts, never values. */
  @Override
  public String summary() {
    StringBuilder s = new StringBuilder("Broadcast '" + name + "': outbox at " + outboxEnd + ", holding " + outboxSize
        + purgeHeldBy.map(d -> " (purge held back by " + d + ")").orElse(""));
    if (message != null) {
      s.append(" - ").append(message);
    }
    destinations.forEach(d -> s.append("\n  ").append(d.summary()));
    FailureGroup.lines(failures(), 10).forEach(f -> s.append("\n  failed: ").append(f));
    return s.toString();
  }
}
