package dev.patchbay.patterns;

import java.time.Duration;
import java.util.Objects;

/**
 * How a pattern retries an operation that failed with a {@link dev.patchbay.core.TransientException}:
 * at most {@code maxAttempts} tries, waiting between them a backoff that grows by
 * {@code multiplier} from {@code initialBackoff}, spread by {@code jitter} (0.5 means anywhere from
 * half to one and a half times the backoff) and never longer than {@code maxBackoff}.
 * Other exceptions are never retried.
 *
 * @param maxAttempts    tries in all, including the first; at least 1
 * @param initialBackoff wait before the second try; zero or more
 * @param multiplier     growth of the wait per try; at least 1
 * @param jitter         random spread of each wait, from 0 (none) to 1
 * @param maxBackoff     upper bound of any wait, jitter included; at least {@code initialBackoff}
 */
public record RetryPolicy(int maxAttempts, Duration initialBackoff, double multiplier, double jitter,
                          Duration maxBackoff) {

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("retry needs at least 1 attempt, was " + maxAttempts);
    }
    Objects.requireNonNull(initialBackoff, "initialBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    if (initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initial backoff must not be negative, was " + initialBackoff);
    }
    if (!(multiplier >= 1)) {
      throw new IllegalArgumentException("backoff multiplier must be at least 1, was " + multiplier);
    }
    if (!(jitter >= 0 && jitter <= 1)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("max backoff " + maxBackoff + " is less than the initial backoff " + initialBackoff);
    }
  }

  /** Five attempts, 200 ms doubling to at most 10 s, jitter 0.5. */
  public static RetryPolicy defaults() {
    return exponential(5, Duration.ofMillis(200), Duration.ofSeconds(10));
  }

  /** Exponential backoff doubling from {@code initial} up to {@code max}, jitter 0.5. */
  public static RetryPolicy exponential(int maxAttempts, Duration initial, Duration max) {
    return new RetryPolicy(maxAttempts, initial, 2.0, 0.5, max);
  }

  /** Up to {@code maxAttempts} tries with no wait between them: for tests. */
  public static RetryPolicy immediate(int maxAttempts) {
    return new RetryPolicy(maxAttempts, Duration.ZERO, 1.0, 0.0, Duration.ZERO);
  }

  /** One attempt: transient failures are not retried. */
  public static RetryPolicy none() {
    return immediate(1);
  }

  /**
   * The wait after the {@code attempt}-th failed try (1-based), given a uniform random number
   * {@code random} in [0, 1).
   */
  public Duration backoff(int attempt, double random) {
    double base = initialBackoff.toNanos() * Math.pow(multiplier, Math.max(0, attempt - 1));
    double spread = base * jitter * (2 * random - 1);
    double nanos = Math.min(maxBackoff.toNanos(), Math.max(0, base + spread));
    return Duration.ofNanos((long) nanos);
  }
}
