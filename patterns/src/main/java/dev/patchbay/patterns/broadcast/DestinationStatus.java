package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One destination's ledger as {@link Broadcast#status()} reads it: where it is in the outbox, how
 * far behind, how its last batches went.
 *
 * @param name        the destination's name
 * @param state       what its runner is doing
 * @param position    the outbox position of the last event it accepted (0: none yet)
 * @param lagChanges  events in the outbox after its position
 * @param lagTime     how long the oldest of those has waited; zero where there are none
 * @param attempts    failed attempts at the batch it is on (0 once a batch is accepted)
 * @param lastError   the last failure, as the broadcast's reason detail words it (by default with the
 *                    first line of a system's message, which may quote a value); null where none since
 *                    the last accepted batch
 * @param lastErrorLogged the same failure as logs word it: where, the exception's class and SQLState,
 *                    never a message or a value; null where none
 * @param lastErrorAt when that was; null where none
 * @param counts      the outcomes of every event it was given: read = the events, each ended once
 * @param failures    the records it rejected (the last 1,000), key, stage, field and reason
 */
public record DestinationStatus(String name, State state, long position, long lagChanges, Duration lagTime, int attempts,
                                String lastError, String lastErrorLogged, Instant lastErrorAt, Counts counts,
                                List<Outcome.Failed> failures) {

  /** What a destination's runner is doing. */
  public enum State {
    /** Delivering, or waiting for more events. */
    RUNNING,
    /** A batch failed: trying it again with backoff. */
    RETRYING,
    /** Failed past its limit: left alone until {@link Broadcast#resume} is called. */
    PARKED,
    /** Not running in this broadcast object (before {@code start()}, after {@code close()}). */
    STOPPED
  }

  public DestinationStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(lagTime, "lagTime");
    Objects.requireNonNull(counts, "counts");
    failures = List.copyOf(failures);
  }

  /**
   * One line for a person: name, state, position, lag, attempts, the last error as logs word it;
   * never a record's values, whatever the reason detail (the whole last error is {@link #lastError()}).
   */
  public String summary() {
    return name + ": " + state.name().toLowerCase(java.util.Locale.ROOT) + " at " + position + ", " + lagChanges
        + " behind (" + lagTime.toMillis() + " ms), delivered " + (counts.created() + counts.updated() + counts.unchanged()
        + counts.deleted()) + ", skipped " + counts.skipped() + ", failed " + counts.failed()
        + (attempts > 0 ? ", " + attempts + " failed attempts" : "") + (lastErrorLogged != null ? ", last error " + lastErrorLogged : "");
  }
}
