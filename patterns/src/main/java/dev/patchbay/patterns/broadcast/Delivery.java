package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.HoldLostException;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.internal.BatchStep;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.internal.Writes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One destination's delivery of a batch read from the outbox: decided through the route's
 * {@link BatchStep}, written through the engine's pipeline, and, where the destination refuses the
 * batch with an error that is not transient, written again one change at a time to find the
 * record it refuses. A record it refuses goes to the route's dead-letter destination
 * where it has one. It saves nothing: its {@link Verdict} says what the runner is to do.
 */
final class Delivery<T> implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

  /** What became of a batch. */
  sealed interface Verdict {
  }

  /** Accepted: the outcomes in record order, and the key entries to save with the position after it. */
  record Delivered(List<Outcome> outcomes, List<Entry> entries, Duration took) implements Verdict {
  }

  /**
   * Not delivered: tried again later, or the destination parked at once where {@code parkNow};
   * {@code where} it failed, worded {@code whereLogged} (no key, no value) for logs and summaries.
   * Where {@code poisonAt} is above 0, the destination refuses the record at that position with an
   * error that is not transient, and the route has no dead-letter destination: it parks on it.
   */
  record Failed(String where, String whereLogged, Throwable cause, boolean parkNow, long poisonAt) implements Verdict {
    Failed(String where, Throwable cause, boolean parkNow) {
      this(where, where, cause, parkNow, 0);
    }
  }

  /**
   * Not delivered: the destination refuses the record at {@code position}, which went to the
   * route's dead-letter destination; the batch is delivered again without it, reported FAILED for
   * {@code reason}.
   */
  record DeadLettered(long position, String reason) implements Verdict {
  }

  /** Not delivered: the thread was interrupted. */
  record Interrupted() implements Verdict {
  }

  /** Each key's last version delivered, and whether this route wrote it. */
  static final EntryCodec<BatchStep.Held> KEYS = BatchStep.Held.codec("keys");

  private final Route<T> route;
  private final BatchStep<Fields, T> batchStep;
  private final NamedState state;
  private final Destination<T> destination;
  private final Retrying retrying;
  private final ReasonDetail reasonDetail;
  private final Pipeline<T, Void> pipeline;
  /** Told of each transient failure of a write before it is tried again. */
  private final Consumer<TransientException> retried;
  /** The time the writes of the batch in hand took so far (its tries and isolations added up). */
  private Duration took = Duration.ZERO;
  /** The outcomes of the last {@link #isolate} that found no record refused. */
  private List<Outcome> isolated;

  Delivery(Route<T> route, RecordStep<Fields, T> step, NamedState state, Destination<T> destination, Retrying retrying,
      ReasonDetail reasonDetail, Pipeline<T, Void> pipeline, Consumer<TransientException> retried) {
    this.route = route;
    this.batchStep = new BatchStep<>(step, new BatchStep.Policy(route.deletes, KEYS, true, route.versionsRestart,
        route.eachChange));
    this.state = state;
    this.destination = destination;
    this.retrying = retrying;
    this.reasonDetail = reasonDetail;
    this.pipeline = pipeline;
    this.retried = retried;
  }

  /**
   * Delivers {@code events}, read after position {@code after} (each key's last effective change
   * written, unless the route delivers each change); {@code skipAt}, where above 0, is the position of a record to pass, reported
   * FAILED for {@code skipReason}.
   *
   * @throws HoldLostException where the destination's state is held by another runner now
   */
  Verdict deliver(long after, List<OutboxEvent> events, long skipAt, String skipReason) {
    List<Change<Fields>> changes = new ArrayList<>(events.size());
    List<Outcome> early = new ArrayList<>(events.size());
    for (OutboxEvent e : events) {
      changes.add(e.change());
      // a record the destination refused and a person passed: reported, its key as it was
      early.add(skipAt > 0 && e.position() == skipAt ? new Outcome.Failed(e.aggregateId(), Stage.WRITE, null, skipReason) : null);
    }
    BatchStep.Decided<T> decided;
    try {
      decided = batchStep.decide(changes, early, keys -> KEYS.read(state, keys), Long.MAX_VALUE);
    } catch (RecordStep.Transient e) {
      return new Failed(e.where(), e.getCause(), false);
    }
    List<Outcome> written;
    try {
      written = write(decided);
    } catch (HoldLostException e) {
      throw e;
    } catch (TransientException e) {
      return new Failed("the destination", e, false);
    } catch (Threads.Interrupted e) {
      return new Interrupted();
    } catch (SetupException e) {   // the destination's setup, not a record: parked whole
      return new Failed("the destination", e, true);
    } catch (RuntimeException e) {   // not transient: a record the destination cannot take, found and named
      Verdict alone = isolate(after, events, decided, e);
      if (alone != null) {
        return alone;
      }
      written = isolated;
    }
    if (decided.olderThanDelete() > 0) {
      LOG.warn("{} upserts skipped as older than their key's delete; if versions start over when a record is created"
          + " again, declare Route.versionsRestartAfterDelete()", decided.olderThanDelete());
    }
    BatchStep.Result<T> result = decided.settle(written);
    if (result.misfit() != null) {   // not the records': parked on the batch, which is delivered again once resumed
      return new Failed("the destination", new SetupException(result.misfitMessage("destination '" + route.name + "'",
          "position " + after)), true);
    }
    Delivered delivered = new Delivered(result.outcomes(), new ArrayList<>(result.entries()), took);
    took = Duration.ZERO;
    return delivered;
  }

  /**
   * A batch the destination refused with an error that is not transient: its changes (each key's
   * latest of the batch, as the batch wrote them: never an older one after it) written one by one,
   * in order, to find the one it refuses. Where each alone was taken (a destination that refuses
   * the batch, not a record of it), their outcomes are the batch's ({@link #isolated}) and this
   * answers null; else the verdict.
   */
  private Verdict isolate(long after, List<OutboxEvent> events, BatchStep.Decided<T> decided, RuntimeException refused) {
    List<Change<T>> writes = decided.writes();
    if (writes.size() == 1) {
      return poisoned(events.get(decided.recordOf(0)), refused);
    }
    LOG.info("batch after position {} refused by the destination; writing its {} changes one by one to find the one",
        after, writes.size());
    List<Outcome> alone = new ArrayList<>(writes.size());
    for (int j = 0; j < writes.size(); j++) {
      try {
        alone.addAll(write(List.of(writes.get(j))));
      } catch (HoldLostException e) {
        throw e;
      } catch (Threads.Interrupted e) {
        return new Interrupted();
      } catch (TransientException e) {
        return new Failed("the destination", e, false);
      } catch (SetupException e) {
        return new Failed("the destination", e, true);
      } catch (RuntimeException e) {
        return poisoned(events.get(decided.recordOf(j)), e);
      }
    }
    LOG.info("each of the {} changes was taken alone: the batch is delivered", writes.size());
    isolated = alone;
    return null;
  }

  /** The one event {@code e} the destination refuses: to the route's dead-letter destination where it has one. */
  private Verdict poisoned(OutboxEvent e, RuntimeException refused) {
    if (route.deadLetter == null) {
      return new Failed("record '" + e.aggregateId() + "' at position " + e.position() + " refused by the destination",
          "record at position " + e.position() + " refused by the destination", refused, true, e.position());
    }
    try {
      Writes.write(route.deadLetter, List.of(e.change()), retrying, "the dead-letter destination of '" + route.name + "'");
    } catch (TransientException x) {
      return new Failed("the dead-letter destination", x, false);
    } catch (RuntimeException x) {
      return new Failed("the dead-letter destination", x, true);
    }
    LOG.warn("record at position {} refused by the destination ({}); sent to the dead-letter destination", e.position(),
        Failures.forLog(refused));
    return new DeadLettered(e.position(), Failures.forReport(refused, reasonDetail) + " (sent to the dead-letter destination)");
  }

  /**
   * The destination's outcomes for the batch's writes, in the order of its writes, written through
   * the engine's pipeline: changes of one destination key in successive waves (two source keys
   * mapped to one), each wave's keys in up to {@code writers} parts at once.
   */
  private List<Outcome> write(BatchStep.Decided<T> decided) {
    if (decided.writes().isEmpty()) {
      return List.of();
    }
    Pipeline.Batch<T, Void> batch = pipeline.open(null);
    decided.waves(route.writers).forEach(part -> batch.write(route.name, part, this::writePart));
    List<Outcome> answered = batch.outcomes();   // in step order
    took = took.plus(batch.took());
    return decided.inWriteOrder(answered);
  }

  /** One change written alone (finding the one the destination refuses). */
  private List<Outcome> write(List<Change<T>> one) {
    Pipeline.Batch<T, Void> batch = pipeline.open(null);
    batch.write(route.name, one, this::writePart);
    List<Outcome> answered = batch.outcomes();
    took = took.plus(batch.took());
    return answered;
  }

  private List<Outcome> writePart(List<Change<T>> batch) {
    Destination<T> counted = b -> {
      state.check();   // still this destination's one runner, its lease renewed: before each attempt at a write
      try {
        return destination.write(b);
      } catch (TransientException e) {
        retried.accept(e);
        throw e;
      }
    };
    return Writes.write(counted, batch, retrying, "destination '" + route.name + "'");
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
