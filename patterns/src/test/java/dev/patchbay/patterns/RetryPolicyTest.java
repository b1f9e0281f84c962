package dev.patchbay.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.doubles;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.QuickTheory.qt;

import dev.patchbay.core.TransientException;
import dev.patchbay.patterns.internal.Retrying;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy = RetryPolicy.exponential(8, Duration.ofMillis(100), Duration.ofSeconds(2));

  @Test
  void backoff_growsExponentially_withinTheJitter_andNeverPastTheBound() {
    long seed = Long.getLong("patchbay.seed", System.nanoTime());
    System.out.println("[seed] retry backoff: " + seed + " (reproduce with -Dpatchbay.seed=" + seed + ")");
    qt().withFixedSeed(seed).forAll(integers().between(1, 30), doubles().between(0, 0.999999)).checkAssert((attempt, r) -> {
      long base = Math.min(100L << Math.min(attempt - 1, 20), 2_000L);
      long ms = policy.backoff(attempt, r).toMillis();
      assertTrue(ms <= 2_000, attempt + " -> " + ms);
      assertTrue(ms >= base / 2 - 1, attempt + " -> " + ms + " below half of " + base);
    });
    assertEquals(Duration.ofMillis(50), policy.backoff(1, 0.0));
    assertEquals(Duration.ofMillis(400), policy.backoff(3, 0.5));
    assertEquals(Duration.ofSeconds(2), policy.backoff(20, 0.99));
  }

  @Test
  void retrying_retriesTransientFailuresOnly_upToTheAttempts() {
    Retrying retrying = new Retrying("t", RetryPolicy.immediate(4));
    AtomicInteger calls = new AtomicInteger();
    assertEquals("ok", retrying.call(() -> calls.incrementAndGet() < 3 ? fail() : "ok"));
    assertEquals(3, calls.get());
    assertEquals(2, retrying.retries());

    AtomicInteger always = new AtomicInteger();
    assertThrows(TransientException.class, () -> retrying.call(() -> {
      always.incrementAndGet();
      return fail();
    }));
    assertEquals(4, always.get());

    AtomicInteger other = new AtomicInteger();
    assertThrows(IllegalStateException.class, () -> retrying.call(() -> {
      other.incrementAndGet();
      throw new IllegalStateException("bug");
    }));
    assertEquals(1, other.get(), "other exceptions are not retried");
  }

  @Test
  void invalidPolicies_areRefusedWithTheReason() {
    assertEquals("retry needs at least 1 attempt, was 0",
        assertThrows(IllegalArgumentException.class, () -> RetryPolicy.immediate(0)).getMessage());
    assertEquals("max backoff PT0.01S is less than the initial backoff PT1S",
        assertThrows(IllegalArgumentException.class,
            () -> RetryPolicy.exponential(3, Duration.ofSeconds(1), Duration.ofMillis(10))).getMessage());
  }

  private static String fail() {
    throw new TransientException("flaky");
  }
}
