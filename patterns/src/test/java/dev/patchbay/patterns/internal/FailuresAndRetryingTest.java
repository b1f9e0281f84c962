package dev.patchbay.patterns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.patchbay.core.TransientException;
import dev.patchbay.patterns.LogCapture;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How failures are worded for logs and reports, and how retries are made, counted and logged. */
class FailuresAndRetryingTest {

  private LogCapture log;

  @BeforeEach
  void capture() {
    log = LogCapture.of(Retrying.class, Level.DEBUG);
  }

  @AfterEach
  void release() {
    log.close();
  }

  @Test
  void forLog_isTheClassAndTheFirstSqlStateAmongTheCauses_neverTheMessage() {
    SQLException noState = new SQLException("no state, value alice@example.org");
    SQLException state = new SQLException("duplicate key alice@example.org", "23505");
    noState.initCause(state);
    RuntimeException wrapped = new IllegalStateException("wrapped alice@example.org", noState);
    assertEquals("IllegalStateException (SQLState 23505)", Failures.forLog(wrapped));
    assertEquals("IllegalArgumentException", Failures.forLog(new IllegalArgumentException("alice@example.org")));
    assertEquals("SQLException (SQLState 23505)", Failures.forLog(state));
  }

  @Test
  void forReport_keepsTheFirstLineOfTheMessage_orOnlyTheClassAndState() {
    SQLException e = new SQLException("value too long\nDetail: alice@example.org", "22001");
    assertEquals("SQLException: value too long", Failures.forReport(e, ReasonDetail.SYSTEM_MESSAGE));
    assertEquals("SQLException (SQLState 22001)", Failures.forReport(e, ReasonDetail.CLASS_AND_STATE));
    assertEquals("IllegalStateException: one line", Failures.forReport(new IllegalStateException("one line"),
        ReasonDetail.SYSTEM_MESSAGE));
    assertEquals("IllegalStateException", Failures.forReport(new IllegalStateException(), ReasonDetail.SYSTEM_MESSAGE),
        "no message: the class");
    assertEquals("IllegalStateException: ", Failures.forReport(new IllegalStateException("\nalice@example.org"),
        ReasonDetail.SYSTEM_MESSAGE), "an empty first line: nothing of the next");
  }

  @Test
  void transientFailuresAreRetried_countedAndLogged_theClassAtWarn_theMessageAtDebugOnly() {
    Retrying retrying = new Retrying("test", new RetryPolicy(3, Duration.ofMillis(20), 1.0, 0.0, Duration.ofMillis(20)));
    AtomicInteger calls = new AtomicInteger();
    String result = retrying.call(() -> {
      if (calls.incrementAndGet() < 3) {
        throw new TransientException("timeout reading alice@example.org");
      }
      return "done";
    });
    assertEquals("done", result);
    assertEquals(3, calls.get());
    assertEquals(2, retrying.retries());
    assertEquals(3, retrying.maxAttempts());
    List<String> warnings = log.lines(Level.WARN);
    assertEquals(List.of("transient failure (TransientException), retrying in 20 ms (attempt 2 of 3)",
        "transient failure (TransientException), retrying in 20 ms (attempt 3 of 3)"), warnings, "the attempt about to be made");
    List<String> debug = log.lines(Level.DEBUG);
    assertEquals(List.of("transient failure detail: timeout reading alice@example.org",
        "transient failure detail: timeout reading alice@example.org"), debug);
  }

  @Test
  void theWaitBetweenAttemptsIsThePolicysBackoff() {
    Retrying retrying = new Retrying("test", new RetryPolicy(3, Duration.ofMillis(150), 2.0, 0.0, Duration.ofSeconds(1)));
    AtomicInteger calls = new AtomicInteger();
    long t0 = System.nanoTime();
    assertThrows(TransientException.class, () -> retrying.call(() -> {
      calls.incrementAndGet();
      throw new TransientException("down");
    }));
    long waited = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(3, calls.get());
    assertTrue(waited >= 450, "150 ms then 300 ms between the three attempts; waited " + waited + " ms");
    List<String> warnings = log.lines(Level.WARN);
    assertEquals(List.of("transient failure (TransientException), retrying in 150 ms (attempt 2 of 3)",
        "transient failure (TransientException), retrying in 300 ms (attempt 3 of 3)"), warnings);
  }

  @Test
  void otherFailuresAreNotRetried() {
    Retrying retrying = new Retrying("test", RetryPolicy.immediate(5));
    AtomicInteger calls = new AtomicInteger();
    IllegalStateException thrown = new IllegalStateException("refused");
    assertSame(thrown, assertThrows(IllegalStateException.class, () -> retrying.call(() -> {
      calls.incrementAndGet();
      throw thrown;
    })));
    assertEquals(1, calls.get());
    assertEquals(0, retrying.retries());
    assertTrue(log.lines(Level.WARN).isEmpty());
  }
}
