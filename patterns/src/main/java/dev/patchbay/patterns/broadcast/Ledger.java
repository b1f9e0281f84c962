package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.report.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.LoggerFactory;

/** A destination's ledger as saved: position, counts, failures, attempts, failed batches, parked, last error. */
record Ledger(long position, long sequence, Counts counts, List<Outcome.Failed> failures, int attempts,
              int failedBatches, boolean parked, String lastError, String lastErrorLogged, Instant lastErrorAt,
              long poisonAt, long skipAt, String skipReason) {

  static Ledger read(NamedState state) {
    Progress p = state.progress(w -> LoggerFactory.getLogger(Runner.class).warn("{}", w)).orElse(null);
    Entry e = state.entries(Runner.LEDGER, List.of(Runner.LEDGER)).get(Runner.LEDGER);
    Fields v = e == null ? Fields.empty() : e.value();
    long position = p == null || p.position(Runner.OUTBOX).isStart() ? 0 : Long.parseLong(p.position(Runner.OUTBOX).position());
    return new Ledger(position, p == null ? 0 : p.sequence(), p == null ? Counts.zero() : p.counts(),
        p == null ? List.of() : p.failures(), v.get("attempts") instanceof Long a ? a.intValue() : 0,
        v.get("failedBatches") instanceof Long f ? f.intValue() : 0, Boolean.TRUE.equals(v.get("parked")),
        (String) v.get("lastError"), (String) v.get("lastErrorLogged"), (Instant) v.get("lastErrorAt"),
        v.get("poison") instanceof Long x ? x : 0, v.get("skip") instanceof Long x ? x : 0, (String) v.get("skipWhy"));
  }

  static Entry entry(int attempts, int failedBatches, boolean parked, String lastError, String lastErrorLogged,
                     Instant lastErrorAt, long poisonAt, long skipAt, String skipReason) {
    return new Entry(Runner.LEDGER, Runner.LEDGER, null, null, Fields.ofNullable("attempts", (long) attempts,
        "failedBatches", (long) failedBatches, "parked", parked, "lastError", lastError, "lastErrorLogged", lastErrorLogged,
        "lastErrorAt", lastErrorAt, "poison", poisonAt == 0 ? null : poisonAt, "skip", skipAt == 0 ? null : skipAt,
        "skipWhy", skipAt == 0 ? null : skipReason));
  }

  DestinationStatus status(String name, long outboxEnd) {
    return new DestinationStatus(name, parked ? DestinationStatus.State.PARKED : DestinationStatus.State.STOPPED,
        position, Math.max(0, outboxEnd - position), Duration.ZERO, attempts, lastError, lastErrorLogged, lastErrorAt, counts,
        failures);
  }
}
