package dev.patchbay.patterns.internal;

import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;

/**
 * The settings every pattern's builder shares, checked once, in one set of names, ranges and
 * messages: name, state store, retry, reason detail, result capture, batch size, failure limit,
 * progress interval, thread factory. A builder holds one and delegates to it; the pattern reads the
 * values with its own defaults. Each setting may be given once ({@link Once}).
 */
public final class Settings {

  /** How often a long run logs its progress at INFO unless told otherwise. */
  public static final Duration DEFAULT_PROGRESS_EVERY = Duration.ofSeconds(10);
  /** The largest batch any pattern takes. */
  public static final int MAX_BATCH_SIZE = 100_000;

  private final String kind;
  private String name;
  private StateStore state;
  private RetryPolicy retry;
  private ReasonDetail reasonDetail;
  private ResultCapture capture;
  private Integer batchSize;
  private Long failureLimit;
  private Duration progressEvery;
  private ThreadFactory threads;

  /** @param kind the pattern as messages name it before it has a name: "Migration", "Sync", "Route" */
  public Settings(String kind) {
    this.kind = Objects.requireNonNull(kind, "kind");
  }

  /** The pattern as messages name it: "Migration 'legacy-cases'", or "Migration" before a name is given. */
  public String label() {
    return name == null ? kind : kind + " '" + name + "'";
  }

  /**
   * {@code value}, which must be given.
   *
   * @throws NullPointerException with a sentence naming the pattern and the setting, where null
   */
  public <T> T notNull(T value, String setting) {
    return Objects.requireNonNull(value, () -> label() + ": the " + setting + " must be given, not null");
  }

  /** @throws SetupException where given before, or blank */
  public void name(String name) {
    notNull(name, "name");
    Once.check(label(), "name", this.name, this.name == null ? null : "'" + this.name + "'");
    if (name.isBlank()) {
      throw new SetupException(kind + " name must not be blank");
    }
    this.name = name;
  }

  public void state(StateStore state) {
    Once.check(label(), "state store", this.state, this.state);
    this.state = notNull(state, "state store");
  }

  public void retry(RetryPolicy retry) {
    Once.check(label(), "retry", this.retry, this.retry);
    this.retry = notNull(retry, "retry");
  }

  public void reasonDetail(ReasonDetail detail) {
    Once.check(label(), "reason detail", this.reasonDetail, this.reasonDetail);
    this.reasonDetail = notNull(detail, "reason detail");
  }

  public void resultCapture(ResultCapture capture) {
    Once.check(label(), "result capture", this.capture, null);
    this.capture = notNull(capture, "result capture");
  }

  /** @throws SetupException unless between 1 and {@value #MAX_BATCH_SIZE} */
  public void batchSize(int batchSize) {
    Once.check(label(), "batch size", this.batchSize, this.batchSize);
    if (batchSize < 1 || batchSize > MAX_BATCH_SIZE) {
      throw new SetupException(label() + ": batch size must be between 1 and " + MAX_BATCH_SIZE + ", was " + batchSize);
    }
    this.batchSize = batchSize;
  }

  /** @throws SetupException where negative */
  public void failureLimit(long failureLimit) {
    Once.check(label(), "failure limit", this.failureLimit, this.failureLimit);
    if (failureLimit < 0) {
      throw new SetupException(label() + ": failure limit must not be negative, was " + failureLimit);
    }
    this.failureLimit = failureLimit;
  }

  /** @throws SetupException where given before, or not positive */
  public void progressEvery(Duration every) {
    notNull(every, "progress interval");
    Once.check(label(), "the progress interval", progressEvery, progressEvery);
    if (every.isNegative() || every.isZero()) {
      throw new SetupException(label() + ": the progress interval must be positive, was " + every);
    }
    this.progressEvery = every;
  }

  public void threads(ThreadFactory factory) {
    notNull(factory, "thread factory");
    Once.check(label(), "the thread factory", threads, factory);
    this.threads = factory;
  }

  /** The name; null before one is given. */
  public String name() {
    return name;
  }

  /** The state store given, or one in memory. */
  public StateStore state() {
    return state != null ? state : StateStore.inMemory();
  }

  public RetryPolicy retry() {
    return retry != null ? retry : RetryPolicy.defaults();
  }

  public ReasonDetail reasonDetail() {
    return reasonDetail != null ? reasonDetail : ReasonDetail.SYSTEM_MESSAGE;
  }

  public ResultCapture resultCapture() {
    return capture != null ? capture : ResultCapture.none();
  }

  public int batchSizeOr(int fallback) {
    return batchSize != null ? batchSize : fallback;
  }

  public long failureLimitOr(long fallback) {
    return failureLimit != null ? failureLimit : fallback;
  }

  public Duration progressEvery() {
    return progressEvery != null ? progressEvery : DEFAULT_PROGRESS_EVERY;
  }

  /** The host's thread factory; null where the pattern makes its own daemons. */
  public ThreadFactory threads() {
    return threads;
  }
}
