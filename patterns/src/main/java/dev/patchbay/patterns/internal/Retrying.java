package dev.patchbay.patterns.internal;

import dev.patchbay.core.TransientException;
import dev.patchbay.patterns.RetryPolicy;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs operations under a {@link RetryPolicy}, through resilience4j-retry; retries TransientException only. */
public final class Retrying {

  private static final Logger LOG = LoggerFactory.getLogger(Retrying.class);

  private final Retry retry;
  private final int maxAttempts;
  private final LongAdder retries = new LongAdder();

  public Retrying(String name, RetryPolicy policy) {
    this(name, policy, () -> { });
  }

  /** As above, {@code onRetry} run at each retry (before its wait). */
  public Retrying(String name, RetryPolicy policy, Runnable onRetry) {
    this.maxAttempts = policy.maxAttempts();
    RetryConfig config = RetryConfig.custom()
        .maxAttempts(policy.maxAttempts())
        .retryOnException(e -> e instanceof TransientException)
        .intervalBiFunction((attempt, outcome) ->
            policy.backoff(attempt, ThreadLocalRandom.current().nextDouble()).toMillis())
        .build();
    this.retry = Retry.of(name, config);
    retry.getEventPublisher().onRetry(event -> {
      retries.increment();
      onRetry.run();
      Throwable last = event.getLastThrowable();
      // Connector messages can quote record values: the class at WARN, the message at DEBUG only.
      LOG.warn("transient failure ({}), retrying in {} ms (attempt {} of {})",
          last == null ? "unknown" : last.getClass().getSimpleName(), event.getWaitInterval().toMillis(),
          event.getNumberOfRetryAttempts() + 1, maxAttempts);
      if (last != null) {
        LOG.debug("transient failure detail: {}", last.getMessage());
      }
    });
  }

  /**
   * The result of {@code operation}, tried again while it throws TransientException.
   *
   * @throws TransientException the last one, once every attempt has failed
   */
  public <R> R call(Supplier<R> operation) {
    return Retry.decorateSupplier(retry, operation).get();
  }

  public int maxAttempts() {
    return maxAttempts;
  }

  /** Retries made so far. */
  public long retries() {
    return retries.sum();
  }
}
