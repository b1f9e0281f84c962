package dev.patchbay.core;

import java.util.Iterator;
import java.util.function.Function;

/**
 * An open read of a {@link ChangeFeed}: the changes after a checkpoint, oldest first. After each
 * {@link #next()}, {@link #checkpoint()} is the position just after that change. Not thread-safe;
 * {@link #close()} may be called more than once.
 *
 * @param <T> the payload type
 */
public interface ChangeCursor<T> extends Iterator<Change<T>>, AutoCloseable {

  /** The position just after the last change returned. */
  Checkpoint checkpoint();

  @Override
  default void close() {
  }

  /**
   * A change cursor that reads a page at a time, as {@link Cursor#paged} does: {@code fetch}
   * answers the changes just after a checkpoint, oldest first (at most {@code pageSize}), and the
   * checkpoint after each is {@code positionOf.apply(change)}; a short page is the last. For a feed
   * ordered by modification time, the position names the time and the key, so that changes sharing
   * one time are neither skipped nor repeated across pages.
   *
   * @throws IllegalArgumentException where {@code pageSize} is below 1
   */
  static <T> ChangeCursor<T> paged(Checkpoint from, int pageSize, PageFetch<Change<T>> fetch,
      Function<? super Change<T>, Checkpoint> positionOf) {
    return paged(from, pageSize, fetch, positionOf, Function.identity());
  }

  /**
   * {@link #paged(Checkpoint, int, PageFetch, Function)} over a system's own items, each read into a
   * change as it is handed out; a {@link DataException} from {@code read} is thrown from
   * {@link #next()} with the checkpoint past the item, as {@link Cursor#paged(Checkpoint, int,
   * PageFetch, Function, Function)} does.
   *
   * @throws IllegalArgumentException where {@code pageSize} is below 1
   */
  static <R, T> ChangeCursor<T> paged(Checkpoint from, int pageSize, PageFetch<R> fetch, Function<? super R, Checkpoint> positionOf,
      Function<? super R, Change<T>> read) {
    Paging<R, Change<T>> pages = new Paging<>(from, pageSize, fetch, positionOf, read);
    return new ChangeCursor<>() {
      @Override
      public boolean hasNext() {
        return pages.hasNext();
      }

      @Override
      public Change<T> next() {
        return pages.next();
      }

      @Override
      public Checkpoint checkpoint() {
        return pages.checkpoint();
      }
    };
  }
}
