package dev.patchbay.core;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * An open read of a {@link Source}: the records after a checkpoint, in the source's stable order.
 *
 * <p>Call order: {@link #hasNext()} / {@link #next()} as an {@link Iterator}; after each
 * {@code next()}, {@link #checkpoint()} is the position just after the record returned, so that
 * {@code source.read(cursor.checkpoint())} resumes with the record that would have come next.
 * Before the first {@code next()} it is the checkpoint the cursor was opened at.
 *
 * <p>A read that fails throws (a {@link TransientException} or any other unchecked exception); it
 * never ends early as though the source were exhausted. A record that cannot be read (a malformed
 * line) is different: {@code next()} throws a {@link DataException} whose {@link DataException#key()}
 * names it (a key, or a location such as {@code customers.csv:17}), {@link #checkpoint()} is then
 * just past it, and reading may go on. Patterns report it as failed at {@link Stage#READ}. Not thread-safe: one thread reads a cursor.
 * {@link #close()} releases resources and may be called more than once.
 *
 * @param <T> the payload type
 */
public interface Cursor<T> extends Iterator<Envelope<T>>, AutoCloseable {

  /** The position just after the last record returned by {@link #next()}. */
  Checkpoint checkpoint();

  @Override
  default void close() {
  }

  /**
   * This cursor, calling {@code action} with each record as it is read, before it is returned. An
   * exception from {@code action} is thrown from {@link #next()}, as a failed read.
   */
  default Cursor<T> peek(Consumer<? super Envelope<T>> action) {
    Objects.requireNonNull(action, "action");
    Cursor<T> self = this;
    return new Cursor<>() {
      @Override
      public boolean hasNext() {
        return self.hasNext();
      }

      @Override
      public Envelope<T> next() {
        Envelope<T> record = self.next();
        action.accept(record);
        return record;
      }

      @Override
      public Checkpoint checkpoint() {
        return self.checkpoint();
      }

      @Override
      public void close() {
        self.close();
      }
    };
  }

  /**
   * A cursor over {@code records}, starting at {@code from}, whose checkpoint after each record is
   * {@code positionOf.apply(record)}.
   */
  static <T> Cursor<T> over(Iterator<Envelope<T>> records, Checkpoint from,
      Function<? super Envelope<T>, Checkpoint> positionOf) {
    Objects.requireNonNull(records, "records");
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(positionOf, "positionOf");
    return new Cursor<>() {
      private Checkpoint position = from;

      @Override
      public boolean hasNext() {
        return records.hasNext();
      }

      @Override
      public Envelope<T> next() {
        if (!records.hasNext()) {
          throw new NoSuchElementException();
        }
        Envelope<T> record = records.next();
        position = positionOf.apply(record);
        return record;
      }

      @Override
      public Checkpoint checkpoint() {
        return position;
      }
    };
  }

  /**
   * A cursor that reads a page at a time: {@code fetch} answers the records just after a checkpoint
   * (at most {@code pageSize}), the checkpoint after each record is {@code positionOf.apply(record)},
   * and the next page is fetched after the last record's, when the page in hand is used up. A page
   * shorter than {@code pageSize} is the last. For a keyset read, the position is the key:
   *
   * <pre>{@code
   * public Cursor<Fields> read(Checkpoint after) {
   *   return Cursor.paged(after, 100, (at, limit) -> api.contactsAfter(at.position(), limit),
   *       record -> Checkpoint.at(record.key()));
   * }
   * }</pre>
   *
   * @throws IllegalArgumentException where {@code pageSize} is below 1
   */
  static <T> Cursor<T> paged(Checkpoint from, int pageSize, PageFetch<Envelope<T>> fetch,
      Function<? super Envelope<T>, Checkpoint> positionOf) {
    return paged(from, pageSize, fetch, positionOf, Function.identity());
  }

  /**
   * {@link #paged(Checkpoint, int, PageFetch, Function)} over a system's own items ({@code R}: a
   * JSON object, a line), each read into a record only as it is handed out: where {@code read}
   * throws a {@link DataException} naming the item, {@link #next()} throws it, the checkpoint is
   * past the item, and reading goes on with the next (one bad item is reported, not a lost page).
   *
   * @throws IllegalArgumentException where {@code pageSize} is below 1
   */
  static <R, T> Cursor<T> paged(Checkpoint from, int pageSize, PageFetch<R> fetch, Function<? super R, Checkpoint> positionOf,
      Function<? super R, Envelope<T>> read) {
    Paging<R, Envelope<T>> pages = new Paging<>(from, pageSize, fetch, positionOf, read);
    return new Cursor<>() {
      @Override
      public boolean hasNext() {
        return pages.hasNext();
      }

      @Override
      public Envelope<T> next() {
        return pages.next();
      }

      @Override
      public Checkpoint checkpoint() {
        return pages.checkpoint();
      }
    };
  }
}
