package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sync report's sums and its summary, word for word; and last writer wins at its tolerance exactly. */
class SyncReportTest {

  @Test
  void writtenSums_andTheSummary() {
    Conflict c = new Conflict("a-1", "b-1", Fields.of("n", 1), Fields.of("n", 2), Fields.of("n", 3), 10, 20);
    SyncReport r = new SyncReport("crm-permits", RunStatus.COMPLETED, null,
        new EndpointCounts(9, 1, 2, 3, 4, 0, 0), new EndpointCounts(8, 5, 6, 7, 0, 2, 1),
        List.of(new SyncReport.ResolvedConflict(c, Resolution.keep(Fields.of("n", 3), "last writer wins: side B changed later"))),
        List.of(new Outcome.Failed("b-9", Stage.WRITE, null, "refused")), Instant.EPOCH, Instant.EPOCH.plusSeconds(1),
        Duration.ZERO, List.of("a finding"));
    assertEquals(6, r.a().written());
    assertEquals(18, r.b().written());
    assertEquals(24, r.written());
    assertEquals("Sync 'crm-permits' round COMPLETED"
        + "\n  side A: read 9 changes from its feed; wrote 6 (created 1, updated 2, deleted 3); left 4 as they were"
        + "\n  side B: read 8 changes from its feed; wrote 18 (created 5, updated 6, deleted 7); left 0 as they were;"
        + " skipped 2 out of scope; failed 1"
        + "\n  conflicts: 1"
        + "\n    a-1 <-> b-1: last writer wins: side B changed later"
        + "\n  failed: 1 x WRITE: refused (b-9)"
        + "\n  finding: a finding", r.summary());
  }

  @Test
  void lastWriterWins_takesTimesExactlyTheToleranceApart_asSimultaneous() {
    ConflictPolicy lww = ConflictPolicy.lastWriterWins(Duration.ofSeconds(2), Side.A);
    Conflict atTolerance = new Conflict("k", "k", null, Fields.of("n", "a"), Fields.of("n", "b"), 0, 2_000_000);
    assertEquals(Fields.of("n", "a"), lww.resolve(atTolerance).values(), "2 s apart: within the tolerance, A by tiebreak");
    Conflict beyond = new Conflict("k", "k", null, Fields.of("n", "a"), Fields.of("n", "b"), 0, 2_000_001);
    assertEquals(Fields.of("n", "b"), lww.resolve(beyond).values(), "a microsecond more: B changed later");
  }
}
