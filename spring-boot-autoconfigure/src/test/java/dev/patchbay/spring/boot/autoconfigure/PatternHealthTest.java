package dev.patchbay.spring.boot.autoconfigure;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.PatternStatus;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** The rules that turn a pattern's status into its health, one by one. */
class PatternHealthTest {

  private static Health health(PatternStatus.State state, RunStatus last, int failedRecords) {
    Pattern<?> pattern = mock(Pattern.class);
    Optional<Report> report = Optional.empty();
    if (last != null) {
      Report r = mock(Report.class);
      when(r.status()).thenReturn(last);
      when(r.finishedAt()).thenReturn(Instant.parse("2026-12-08T01:00:00Z"));
      when(r.failures()).thenReturn(java.util.Collections.nCopies(failedRecords, mock(Outcome.Failed.class)));
      report = Optional.of(r);
    }
    when(pattern.status()).thenReturn(PatternStatus.of("p", "migration", state, report, Optional.empty()));
    return new PatternHealth(pattern, () -> false).health();
  }

  @Test
  void aFailedOrPartialRunIsDown() {
    assertEquals(Status.DOWN, health(PatternStatus.State.IDLE, RunStatus.FAILED, 0).getStatus());
    assertEquals(Status.DOWN, health(PatternStatus.State.IDLE, RunStatus.PARTIAL, 0).getStatus());
  }

  @Test
  void aBlockedRunIsOutOfService() {
    assertEquals(Status.OUT_OF_SERVICE, health(PatternStatus.State.IDLE, RunStatus.BLOCKED, 0).getStatus());
  }

  @Test
  void parkedIsDown_whateverTheLastRun() {
    assertEquals(Status.DOWN, health(PatternStatus.State.PARKED, RunStatus.COMPLETED, 0).getStatus());
    assertEquals(Status.DOWN, health(PatternStatus.State.PARKED, RunStatus.BLOCKED, 0).getStatus());
  }

  @Test
  void completedStoppedRunningOrNeverRunIsUp_rejectedRecordsCounted() {
    Health completed = health(PatternStatus.State.IDLE, RunStatus.COMPLETED, 3);
    assertEquals(Status.UP, completed.getStatus());
    assertEquals(3, completed.getDetails().get("lastRunFailedRecords"));
    assertEquals("2026-12-08T01:00:00Z", completed.getDetails().get("lastRunEnded"));
    assertEquals(Status.UP, health(PatternStatus.State.STOPPED, RunStatus.STOPPED, 0).getStatus());
    assertEquals(Status.UP, health(PatternStatus.State.RUNNING, null, 0).getStatus());
    assertEquals(Status.UP, health(PatternStatus.State.IDLE, null, 0).getStatus());
  }

  @Test
  void aStatusThatCannotBeRead_isUnknown_namingTheExceptionsClassOnly() {
    Pattern<?> pattern = mock(Pattern.class);
    when(pattern.status()).thenThrow(new SetupException("ledger held by host-7 with secret text"));
    Health h = new PatternHealth(pattern, () -> false).health();
    assertEquals(Status.UNKNOWN, h.getStatus());
    assertEquals(java.util.Map.of("error", SetupException.class.getName()), h.getDetails());
    Health standing = new PatternHealth(pattern, () -> true).health();
    assertEquals(Status.UP, standing.getStatus(), "a broadcast standing by for another instance");
    assertEquals("STANDBY", standing.getDetails().get("state"));
  }
}
