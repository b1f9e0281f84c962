package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.outbox.OutboxReader;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.internal.Engine;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broadcast's runs through the engine: a run that delivers what the outbox holds now and returns
 * ({@link Broadcast#run()}), a dry run ({@link Broadcast#plan()}), and the status they and
 * {@link Broadcast#status()} report.
 */
final class Runs {

  /** The broadcast's own logger: a run's lines are the broadcast's. */
  private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);
  /** How long a run waits for delivery between two looks at a stop, a parked destination and its progress. */
  private static final Duration AWAIT_STEP = Duration.ofMillis(100);

  private Runs() {
  }

  /**
   * Starts the runners where {@code b} is not started (and closes them again at the end), and
   * waits until every destination has every event or is parked, or a stop is asked.
   */
  static BroadcastStatus deliver(Broadcast b, Engine<BroadcastStatus>.Run run) {
    Instant began = b.clock.instant();
    boolean mine = b.running() == null;
    long delivered = delivered(snapshot(b, began, null, PatternStatus.State.RUNNING, Optional.empty()));   // before the runners start
    if (mine) {
      b.start();
    }
    boolean stopped = false;
    try {
      run.phase(RunProgress.Phase.WRITING, OptionalLong.empty());
      while (!b.awaitDelivered(AWAIT_STEP)) {
        if (run.stopRequested() || b.running() == null) {
          stopped = true;
          break;
        }
        BroadcastStatus now = snapshot(b, began, null, PatternStatus.State.RUNNING, Optional.empty());
        long more = delivered(now);
        run.advanced(more - delivered);
        delivered = more;
        if (now.destinations().stream().anyMatch(d -> d.lagChanges() > 0) && now.destinations().stream()
            .filter(d -> d.lagChanges() > 0).allMatch(d -> d.state() == DestinationStatus.State.PARKED)) {
          break;   // every destination short of the end waits for a person
        }
      }
      run.advanced(delivered(snapshot(b, began, null, PatternStatus.State.RUNNING, Optional.empty())) - delivered);
    } finally {
      if (mine || stopped) {
        b.close();
      }
    }
    BroadcastStatus end = snapshot(b, began, stopped ? RunStatus.STOPPED : RunStatus.COMPLETED, null, Optional.empty());
    LOG.info("Broadcast '{}' run {}: outbox at {}", b.name(), end.status(), end.outboxEnd());
    return end;
  }

  /**
   * Each destination's events after its ledger's position, a batch at a time, decided and planned
   * by a runner of the dry run's on the caller's thread, over a scratch of its ledger; a
   * destination's plan ends where a batch did not move its position (it would be tried again, or
   * park: its status says which).
   */
  static BroadcastStatus plan(Broadcast b, Engine<BroadcastStatus>.Run run) {
    if (b.running() != null) {
      throw new SetupException("Broadcast '" + b.name() + "': close it before planning; a started broadcast delivers as it goes");
    }
    Instant began = b.clock.instant();
    List<DestinationStatus> planned = new ArrayList<>();
    long end = b.outbox.end(b.aggregateType);
    for (Route<?> route : b.routes) {
      try (NamedState held = b.store.open(b.ledgerName(route))) {
        Runner<?> r = new Runner<>(b, route, held, run);
        try {
          while (true) {
            List<OutboxEvent> events = b.outbox.after(b.aggregateType, r.position(), route.batchSize);
            long before = r.position();
            if (events.isEmpty()) {
              break;
            }
            r.deliver(events);
            if (r.position() == before) {
              break;
            }
          }
          planned.add(r.status(end));
        } finally {
          r.release();
        }
      }
    }
    BroadcastStatus now = snapshot(b, began, RunStatus.PLANNED, PatternStatus.State.IDLE, Optional.empty());
    return new BroadcastStatus(b.name(), planned.stream().anyMatch(d -> d.state() == DestinationStatus.State.PARKED)
        ? RunStatus.PARTIAL : RunStatus.PLANNED, null, PatternStatus.State.IDLE, now.outboxEnd(), now.outboxSize(),
        now.purgeHeldBy(), planned, began, b.clock.instant(), Optional.empty());
  }

  /**
   * The outbox and every ledger now. {@code status} null or COMPLETED: PARTIAL where a destination
   * is parked, else COMPLETED. {@code state} null: as the engine finds the broadcast (running where
   * started), or, where {@code status} is given, as the run it reports left it.
   */
  static BroadcastStatus snapshot(Broadcast b, Instant began, RunStatus status, PatternStatus.State state,
      Optional<Report> last) {
    long end = b.outbox.end(b.aggregateType);
    Running r;
    List<DestinationStatus> all = new ArrayList<>();
    synchronized (b.ledgers) {
      r = b.running();
      for (Route<?> route : b.routes) {
        if (r != null) {
          all.add(r.runner(route.name).status(end));
        } else {
          try (NamedState held = b.store.open(b.ledgerName(route))) {
            all.add(Ledger.read(held).status(route.name, end));
          }
        }
      }
    }
    Map<String, Long> here = new HashMap<>();   // fresher than the registry, which the purger tells each second
    if (r != null) {
      r.runners.forEach(x -> here.put(x.reader(), x.position()));
    }
    Optional<String> slowest = b.outbox.readers(b.aggregateType).stream().filter(OutboxReader::joined)
        .map(x -> new OutboxReader(x.aggregateType(), x.name(), Math.max(x.position(), here.getOrDefault(x.name(), 0L)),
            true, 0))
        .filter(x -> x.position() < end)
        .min(Comparator.comparingLong(OutboxReader::position))
        .map(x -> x.name().startsWith(b.name() + ".") ? x.name().substring(b.name().length() + 1) : x.name());
    List<String> parked = all.stream().filter(d -> d.state() == DestinationStatus.State.PARKED).map(DestinationStatus::name)
        .toList();
    RunStatus outcome = status != null && status != RunStatus.COMPLETED ? status
        : parked.isEmpty() ? RunStatus.COMPLETED : RunStatus.PARTIAL;
    String message = outcome == RunStatus.STOPPED ? "stopped on request; each destination's ledger is saved where it is"
        : parked.isEmpty() ? null : "destination" + (parked.size() > 1 ? "s " : " ") + String.join(", ", parked)
            + (parked.size() > 1 ? " are" : " is") + " parked: see each one's last error, then resume or skip";
    PatternStatus.State doing = state != null ? state
        : b.engine.status(r != null, !parked.isEmpty(), Optional.empty()).state();
    if (state == null && status != null) {   // a run's report: how it left the broadcast
      doing = outcome == RunStatus.STOPPED ? PatternStatus.State.STOPPED
          : parked.isEmpty() ? PatternStatus.State.IDLE : PatternStatus.State.PARKED;
    }
    return new BroadcastStatus(b.name(), outcome, message, doing, end, b.outbox.size(b.aggregateType), slowest, all, began,
        b.clock.instant(), last);
  }

  private static long delivered(BroadcastStatus s) {
    return s.destinations().stream().mapToLong(d -> d.counts().read()).sum();
  }
}
