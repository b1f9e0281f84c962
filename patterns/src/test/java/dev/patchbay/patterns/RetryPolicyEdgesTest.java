package dev.patchbay.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The retry policy's ranges at both ends. */
class RetryPolicyEdgesTest {

  @Test
  void jitterMayBeZeroOrOne_notBeyond() {
    Duration d = Duration.ofMillis(100);
    assertEquals(1.0, new RetryPolicy(2, d, 1.0, 1.0, d).jitter());
    assertEquals(0.0, new RetryPolicy(2, d, 1.0, 0.0, d).jitter());
    assertEquals("jitter must be between 0 and 1, was 1.01",
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, d, 1.0, 1.01, d)).getMessage());
    assertEquals("jitter must be between 0 and 1, was -0.01",
        assertThrows(IllegalArgumentException.class, () -> new RetryPolicy(2, d, 1.0, -0.01, d)).getMessage());
  }
}
