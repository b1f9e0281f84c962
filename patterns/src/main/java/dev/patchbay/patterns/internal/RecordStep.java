package dev.patchbay.patterns.internal;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.Transform;
import dev.patchbay.core.TransientException;
import dev.patchbay.patterns.ReasonDetail;
import java.util.Objects;

/**
 * The per-record step every pattern that maps records shares, written once: the scope, then the
 * transform. A record ends {@linkplain Outcome.Skipped skipped} (out of scope, the scope's
 * description the reason), {@linkplain Outcome.Failed failed} at {@link Stage#SCOPE} or
 * {@link Stage#TRANSFORM} (a {@link DataException}'s field and reason, else the exception as the
 * reason detail words it; a transform that returns null), or mapped. What is not the record's
 * fault is thrown: a {@link SetupException} as it is, a {@link TransientException} as
 * {@link Transient}, naming the stage and the key, for the pattern to stop or retry.
 *
 * @param <S> the records read
 * @param <T> the records written
 */
public final class RecordStep<S, T> {

  /** How a record out of scope is skipped: the reason begins so. */
  private static final String OUT_OF_SCOPE = "out of scope (";

  private final ScopeCriteria<S> scope;
  private final Transform<S, T> transform;
  private final ReasonDetail detail;

  public RecordStep(ScopeCriteria<S> scope, Transform<S, T> transform, ReasonDetail detail) {
    this.scope = Objects.requireNonNull(scope, "scope");
    this.transform = Objects.requireNonNull(transform, "transform");
    this.detail = Objects.requireNonNull(detail, "detail");
  }

  /** A record's end in the step: the mapped record, or the outcome it ended with (one of the two). */
  public record Result<T>(Envelope<T> mapped, Outcome outcome) {
  }

  /** A transient failure of the scope or transform on a record: the pattern stops or retries the batch. */
  public static final class Transient extends RuntimeException {
    private final Stage stage;
    private final String key;

    Transient(Stage stage, String key, TransientException cause) {
      super(cause.getMessage(), cause, false, false);
      this.stage = stage;
      this.key = key;
    }

    /** "the scope", "the transform". */
    public String where() {
      return stage == Stage.SCOPE ? "the scope" : "the transform";
    }

    public String key() {
      return key;
    }

    @Override
    public synchronized TransientException getCause() {
      return (TransientException) super.getCause();
    }
  }

  /**
   * {@code record} through the scope and the transform.
   *
   * @throws Transient where either failed transiently
   * @throws SetupException where either says the setup is wrong
   */
  public Result<T> apply(Envelope<S> record) {
    String key = record.key();
    try {
      if (!scope.includes(record)) {
        return new Result<>(null, new Outcome.Skipped(key, OUT_OF_SCOPE + scope.describe() + ")"));
      }
    } catch (TransientException e) {
      throw new Transient(Stage.SCOPE, key, e);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      return new Result<>(null, failed(key, Stage.SCOPE, e));
    }
    Envelope<T> mapped;
    try {
      mapped = transform.apply(record);
    } catch (TransientException e) {
      throw new Transient(Stage.TRANSFORM, key, e);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      return new Result<>(null, failed(key, Stage.TRANSFORM, e));
    }
    if (mapped == null) {
      return new Result<>(null, new Outcome.Failed(key, Stage.TRANSFORM, null, "transform returned null"));
    }
    return new Result<>(mapped, null);
  }

  /** Whether {@code o} is a record skipped here as out of scope. */
  public static boolean outOfScope(Outcome o) {
    return o instanceof Outcome.Skipped s && s.reason().startsWith(OUT_OF_SCOPE);
  }

  /** A record's failure at {@code stage}: a {@link DataException}'s field and reason, else the exception as the reason detail words it. */
  public Outcome.Failed failed(String key, Stage stage, RuntimeException e) {
    return e instanceof DataException d ? new Outcome.Failed(key, stage, d.field(), d.reason())
        : new Outcome.Failed(key, stage, null, Failures.forReport(e, detail));
  }
}
