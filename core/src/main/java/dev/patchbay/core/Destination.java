package dev.patchbay.core;

import java.util.List;

/**
 * Where records go: applies keyed {@link Change changes} in batches.
 *
 * <p>Writes are idempotent by key: writing a batch again (after a lost acknowledgement, a retry or
 * a resume) leaves the same state as writing it once. Implement {@link Lookup} as well so patterns
 * can plan dry runs and reconcile what the destination holds.
 *
 * <p>Record-level rejections are answered, not thrown: the batch goes on and the rejected change's
 * outcome is {@link Outcome.Failed} at {@link Stage#WRITE}. A failure of the whole batch that may
 * pass on retry throws {@link TransientException}; the batch must then be safe to write again.
 * Any other exception stops the run.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface Destination<T> {

  /**
   * Applies {@code batch} and answers one outcome per change, in the same order, each with the
   * change's key: {@link Outcome.Created}, {@link Outcome.Updated}, {@link Outcome.Unchanged},
   * {@link Outcome.Deleted} or {@link Outcome.Failed}. When this method returns, the applied
   * changes are durable.
   *
   * @param batch non-empty; keys are distinct
   * @throws TransientException if the batch could not be written now and may be tried again
   */
  List<Outcome> write(List<Change<T>> batch);
}
