package dev.patchbay.patterns.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A destination's ledger as its progress and its one entry: typed both ways, its fields named. */
class LedgerCodecTest {

  @Test
  void aLedgerSavedReadsAsItWas_whateverItsState() {
    Instant at = Instant.parse("2026-12-07T06:00:00.5Z");
    List<Outcome.Failed> failed = List.of(new Outcome.Failed("k-1", Stage.WRITE, null, "refused"));
    Ledger fresh = new Ledger(0, 0, Counts.zero(), List.of(), 0, 0, false, null, null, null, 0, 0, null);
    Ledger delivered = fresh.delivered(41, 3, List.of(new Outcome.Created("k-0"), failed.get(0), new Outcome.Created("k-2")));
    Ledger parked = delivered.failed("record 'k-9' at position 42 refused by the destination: E",
        "record at position 42 refused by the destination: E", at, true, 5).poisonedAt(42);
    Ledger skipped = parked.skipped();
    Ledger retrying = delivered.retried("the destination: down", "the destination: TransientException", at);
    long sequence = 0;
    try (NamedState state = StateStore.inMemory().open("ledger-codec")) {
      for (Ledger l : List.of(fresh, delivered, parked, skipped, retrying)) {
        state.save(l.progress(++sequence, at, Map.of()), List.of(l.entry()));
        Ledger read = Ledger.read(state);
        assertEquals(new Ledger(l.position(), sequence, l.counts(), l.failures(), l.attempts(), l.failedBatches(), l.parked(),
            l.lastError(), l.lastErrorLogged(), l.lastErrorAt(), l.poisonAt(), l.skipAt(), l.skipAt() == 0 ? null : l.skipReason()),
            read);
        assertTrue(l.entry().value().names().stream().allMatch(n -> n.length() > 1), l.entry().value().names().toString());
      }
    }
    assertEquals(1, delivered.counts().failed());
    assertEquals(Checkpoint.at("41"), delivered.progress(1, at, Map.of()).position(Ledger.OUTBOX));
    assertEquals("skipped by a person after: " + parked.lastError(), skipped.skipReason());
    assertEquals(42, skipped.skipAt());
  }
}
