package dev.patchbay.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailureGroupTest {

  @Test
  void failuresAlike_areOneLine_withTheFirstKeys_inTheOrderTheyFirstFailed() {
    List<Outcome.Failed> failures = new ArrayList<>();
    failures.add(new Outcome.Failed("k0", Stage.WRITE, null, "refused"));
    for (int i = 1; i <= 101; i++) {
      failures.add(new Outcome.Failed("k" + i, Stage.TRANSFORM, "amount", "IllegalStateException: not a number"));
    }
    failures.add(new Outcome.Failed("k102", Stage.TRANSFORM, "amount", "IllegalStateException: negative"));
    failures.add(new Outcome.Failed("k103", Stage.TRANSFORM, null, "IllegalStateException: not a number"));

    assertEquals(List.of("1 x WRITE: refused (k0)",
        "101 x TRANSFORM, field 'amount': IllegalStateException: not a number (k1, k2, k3, ...)",
        "1 x TRANSFORM, field 'amount': IllegalStateException: negative (k102)",
        "1 x TRANSFORM: IllegalStateException: not a number (k103)"), FailureGroup.lines(failures, 10));
    assertEquals(List.of("1 x WRITE: refused (k0)",
        "101 x TRANSFORM, field 'amount': IllegalStateException: not a number (k1, k2, k3, ...)",
        "... and 2 more kinds of failure (the report lists every record)"), FailureGroup.lines(failures, 2));
    FailureGroup big = FailureGroup.of(failures).get(1);
    assertEquals(101, big.count());
    assertEquals(List.of("k1", "k2", "k3"), big.keys());
    assertEquals(List.of(), FailureGroup.lines(List.of(), 10));
  }

  @Test
  void aRunReportsSummary_groupsItsFailures() {
    List<Outcome.Failed> failures = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      failures.add(new Outcome.Failed("r" + i, Stage.WRITE, "email", "value too long for the column"));
    }
    RunReport r = new RunReport("m", "migration", RunStatus.COMPLETED, null, new Counts(500, 0, 0, 0, 0, 0, 500), failures,
        java.time.Instant.EPOCH, java.time.Instant.EPOCH, 1, 0, null, null, null, List.of());
    String[] lines = r.summary().split(System.lineSeparator());
    assertEquals(3, lines.length, r.summary());
    assertEquals("  FAILED 500 x WRITE, field 'email': value too long for the column (r0, r1, r2, ...)", lines[2]);
  }
}
