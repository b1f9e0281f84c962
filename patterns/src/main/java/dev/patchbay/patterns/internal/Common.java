package dev.patchbay.patterns.internal;

import dev.patchbay.core.SetupException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The operational settings every pattern's builder shares, checked once: how often long work logs
 * its progress, and the host's thread factory. A builder holds one and hands it to its pattern's
 * {@link Engine}.
 */
public final class Common {

  /** How often a long run logs its progress at INFO unless told otherwise. */
  public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(10);

  private Duration progressEvery;
  private ThreadFactory threads;

  /**
   * @throws SetupException if set before, or not positive
   */
  public void progressEvery(String label, Duration every) {
    Objects.requireNonNull(every, "every");
    Once.check(label, "the progress interval", progressEvery, progressEvery);
    if (every.isNegative() || every.isZero()) {
      throw new SetupException(label + ": the progress interval must be positive, was " + every);
    }
    this.progressEvery = every;
  }

  /**
   * @throws SetupException if set before
   */
  public void threads(String label, ThreadFactory factory) {
    Objects.requireNonNull(factory, "factory");
    Once.check(label, "the thread factory", threads, factory);
    this.threads = factory;
  }

  public Duration progressEvery() {
    return progressEvery != null ? progressEvery : DEFAULT_PROGRESS_EVERY;
  }

  /** The host's thread factory; null where the pattern makes its own daemons. */
  public ThreadFactory threads() {
    return threads;
  }
}
