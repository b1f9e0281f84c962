package dev.patchbay.core;

import java.util.Objects;
import java.util.function.Consumer;

/**
 * Where records come from. Reads are resumable: every record read has a {@link Checkpoint} after
 * it, and reading after that checkpoint gives the records that follow, with no gap and no overlap.
 *
 * <p>A source that fails throws; it never reports a failure as the end of its data. Pair it with
 * {@link ScopeCriteria} to say which of its records a pattern may touch.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface Source<T> {

  /**
   * Opens a read of the records after {@code after}, in a stable order.
   *
   * @param after {@link Checkpoint#start()} for the first record, or a checkpoint this source produced
   * @return an open cursor; the caller closes it
   * @throws SetupException     if {@code after} is not a checkpoint this source produced
   * @throws TransientException if the source cannot be reached now
   */
  Cursor<T> read(Checkpoint after);

  /**
   * This source, calling {@code action} with each record read: for counting, tracing or tests. It
   * describes itself as this source does ({@code toString}), as it reads the same records: a
   * pattern that compares the source it resumes with the one it saved sees through it.
   */
  default Source<T> peek(Consumer<? super Envelope<T>> action) {
    Objects.requireNonNull(action, "action");
    Source<T> self = this;
    return new Source<>() {
      @Override
      public Cursor<T> read(Checkpoint after) {
        return self.read(after).peek(action);
      }

      @Override
      public String toString() {
        return self.toString();
      }
    };
  }
}
