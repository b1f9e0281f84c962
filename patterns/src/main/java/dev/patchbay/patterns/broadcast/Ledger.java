package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.Tally;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * A destination's ledger, as saved and as its runner keeps it: the position of the last event the
 * destination accepted, counts, the last failures, attempts and failed batches since it last
 * delivered, whether it is parked, the last error (as reports and as logs word it), the record it
 * is parked on and the record to pass. Each change is a new ledger.
 */
record Ledger(long position, long sequence, Counts counts, List<Outcome.Failed> failures, int attempts,
              int failedBatches, boolean parked, String lastError, String lastErrorLogged, Instant lastErrorAt,
              long poisonAt, long skipAt, String skipReason) {

  /** The state space of the ledger's one entry: attempts, failed batches, parked, last error. */
  static final String LEDGER = "ledger";
  /** The name of the ledger's one position. */
  static final String OUTBOX = "outbox";
  /** The failures a ledger keeps, the latest. */
  static final int KEPT_FAILURES = 1_000;

  Ledger {
    failures = List.copyOf(failures);
  }

  /**
   * The ledger's one entry: attempts, failed batches, parked, last error, the record it is parked on
   * and the one to pass (position, counts and failures are the progress's).
   */
  static final EntryCodec<Ledger> ENTRY = new EntryCodec<>() {
    @Override
    public String space() {
      return LEDGER;
    }

    @Override
    public Entry encode(String key, Ledger l) {
      return new Entry(LEDGER, key, null, null, Fields.ofNullable("attempts", (long) l.attempts,
          "failedBatches", (long) l.failedBatches, "parked", l.parked, "lastError", l.lastError,
          "lastErrorLogged", l.lastErrorLogged, "lastErrorAt", l.lastErrorAt, "poison", l.poisonAt == 0 ? null : l.poisonAt,
          "skip", l.skipAt == 0 ? null : l.skipAt, "skipWhy", l.skipAt == 0 ? null : l.skipReason));
    }

    /** The entry's part of a ledger; its position, sequence, counts and failures are the progress's. */
    @Override
    public Ledger decode(Entry e) {
      Fields v = e.value();
      return new Ledger(0, 0, Counts.zero(), List.of(), v.get("attempts") instanceof Long a ? a.intValue() : 0,
          v.get("failedBatches") instanceof Long f ? f.intValue() : 0, Boolean.TRUE.equals(v.get("parked")),
          (String) v.get("lastError"), (String) v.get("lastErrorLogged"), (Instant) v.get("lastErrorAt"),
          v.get("poison") instanceof Long x ? x : 0, v.get("skip") instanceof Long x ? x : 0, (String) v.get("skipWhy"));
    }
  };

  static Ledger read(NamedState state) {
    Progress p = state.progress(w -> LoggerFactory.getLogger(Runner.class).warn("{}", w)).orElse(null);
    Ledger e = ENTRY.read(state, List.of(LEDGER)).getOrDefault(LEDGER, ENTRY.decode(new Entry(LEDGER, LEDGER, null, null,
        Fields.empty())));
    if (p == null) {
      return e;
    }
    long position = p.position(OUTBOX).isStart() ? 0 : Long.parseLong(p.position(OUTBOX).position());
    return new Ledger(position, p.sequence(), p.counts(), p.failures(), e.attempts, e.failedBatches, e.parked, e.lastError,
        e.lastErrorLogged, e.lastErrorAt, e.poisonAt, e.skipAt, e.skipReason);
  }

  /** The ledger's entry, saved with its progress. */
  Entry entry() {
    return ENTRY.encode(LEDGER, this);
  }

  /** Its progress, saved as the {@code sequence}th of the destination's: position, counts, failures. */
  Progress progress(long sequence, Instant at, Map<String, String> description) {
    return Progress.numbered(sequence, at).at(OUTBOX, Checkpoint.at(Long.toString(position)))
        .counting(counts, failures).describing(description);
  }

  /**
   * Delivered up to {@code to}: {@code read} more events read, {@code outcomes} counted, their
   * failures kept; nothing pending, nothing failed since.
   */
  Ledger delivered(long to, int read, List<Outcome> outcomes) {
    List<Outcome.Failed> failedNow = new ArrayList<>();
    Tally tally = Tally.from(counts);
    for (Outcome o : outcomes) {
      Outcome.Failed f = tally.add(o);
      if (f != null) {
        failedNow.add(f);
      }
    }
    return delivered(to, tally.counts(counts.read() + read, counts.failed() + failedNow.size()), failedNow);
  }

  /** Delivered up to {@code to}, with these counts and these new failures: nothing pending, nothing failed since. */
  Ledger delivered(long to, Counts now, List<Outcome.Failed> failedNow) {
    List<Outcome.Failed> kept = failures;
    if (!failedNow.isEmpty()) {
      List<Outcome.Failed> all = new ArrayList<>(failures);
      all.addAll(failedNow);
      kept = all.subList(Math.max(0, all.size() - KEPT_FAILURES), all.size());
    }
    return new Ledger(to, sequence, now, kept, 0, 0, false, null, null, null, 0, 0, null);
  }

  /** Moved to {@code to} (joining the outbox), nothing else changed. */
  Ledger at(long to) {
    return new Ledger(to, sequence, counts, failures, attempts, failedBatches, parked, lastError, lastErrorLogged,
        lastErrorAt, poisonAt, skipAt, skipReason);
  }

  /** A write that failed transiently, to be tried again: one more attempt, its error the last. */
  Ledger retried(String error, String logged, Instant at) {
    return new Ledger(position, sequence, counts, failures, attempts + 1, failedBatches, parked, error, logged, at,
        poisonAt, skipAt, skipReason);
  }

  /** The last error, nothing else changed. */
  Ledger erred(String error, String logged, Instant at) {
    return new Ledger(position, sequence, counts, failures, attempts, failedBatches, parked, error, logged, at, poisonAt,
        skipAt, skipReason);
  }

  /** A batch that failed: one more failed batch; parked where {@code parkNow} or the failed batches reach {@code parkAfter}. */
  Ledger failed(String error, String logged, Instant at, boolean parkNow, int parkAfter) {
    return new Ledger(position, sequence, counts, failures, attempts, failedBatches + 1,
        parked || parkNow || failedBatches + 1 >= parkAfter, error, logged, at, poisonAt, skipAt, skipReason);
  }

  /** Parked, for {@code error}, without a failed batch (events it missed). */
  Ledger parkedFor(String error, Instant at) {
    return new Ledger(position, sequence, counts, failures, attempts, failedBatches, true, error, error, at, poisonAt,
        skipAt, skipReason);
  }

  /** Parked on the record at {@code at}: the destination refuses it with an error that is not transient. */
  Ledger poisonedAt(long at) {
    return new Ledger(position, sequence, counts, failures, attempts, failedBatches, parked, lastError, lastErrorLogged,
        lastErrorAt, at, skipAt, skipReason);
  }

  /** The record at {@code at} to be passed, reported FAILED for {@code reason} (it went to the dead-letter destination). */
  Ledger passing(long at, String reason) {
    return new Ledger(position, sequence, counts, failures, attempts, failedBatches, parked, lastError, lastErrorLogged,
        lastErrorAt, poisonAt, at, reason);
  }

  /** Taken back from parked: its failed batch tried again from its position; its last error and failures stay. */
  Ledger resumed() {
    return new Ledger(position, sequence, counts, failures, 0, 0, false, lastError, lastErrorLogged, lastErrorAt,
        poisonAt, skipAt, skipReason);
  }

  /** Whether it is parked on a record the destination refused. */
  boolean parkedOnPoison() {
    return parked && poisonAt != 0;
  }

  /** The record it is parked on passed, as a person asked: reported FAILED, and delivery goes on after it. */
  Ledger skipped() {
    return new Ledger(position, sequence, counts, failures, 0, 0, false, lastError, lastErrorLogged, lastErrorAt,
        poisonAt, poisonAt, "skipped by a person" + (lastError == null ? "" : " after: " + lastError));
  }

  /** The status of a destination whose runner is not running: parked or stopped. */
  DestinationStatus status(String name, long outboxEnd) {
    return status(name, parked ? DestinationStatus.State.PARKED : DestinationStatus.State.STOPPED, outboxEnd, Duration.ZERO);
  }

  DestinationStatus status(String name, DestinationStatus.State state, long outboxEnd, Duration lag) {
    return new DestinationStatus(name, state, position, Math.max(0, outboxEnd - position), lag, attempts, lastError,
        lastErrorLogged, lastErrorAt, counts, failures);
  }
}
