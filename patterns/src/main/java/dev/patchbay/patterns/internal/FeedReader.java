package dev.patchbay.patterns.internal;

import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * The one reader of sources and change feeds, in two forms. {@link #read} takes a bounded chunk of
 * changes after a checkpoint, on a cursor of its own, closed however the read ends, and the
 * position after it (a sync's, a correlation's and a broadcast's rounds): a feed whose position
 * does not move while it reads inside a window (a look-back window re-read, many rows sharing one
 * modification time) is read on until it does, so that every chunk makes progress however many
 * rows the window holds; a chunk may then be longer than asked. A {@link Stream} reads bounded
 * batches from one cursor open for a whole run, each record with its position and an unreadable
 * one as its outcome (a migration), on the run's thread or one batch {@linkplain Ahead ahead}.
 */
public final class FeedReader {

  private FeedReader() {
  }

  /**
   * A chunk of a feed.
   *
   * @param end     the position after its last change ({@code after} where it read none from the start)
   * @param changes the changes, in feed order
   * @param more    whether the feed had more than the chunk took
   */
  public record Chunk<T>(Checkpoint end, List<Change<T>> changes, boolean more) {

    /** Each key's latest change, in feed order. */
    public Map<String, Change<T>> latest() {
      Map<String, Change<T>> latest = new LinkedHashMap<>();
      changes.forEach(c -> latest.put(c.key(), c));
      return latest;
    }
  }

  /**
   * As {@link #read(ChangeFeed, Checkpoint, int, String)}, read again from {@code after} on a new
   * cursor while the feed fails transiently, as {@code retrying} allows.
   *
   * @throws dev.patchbay.core.TransientException the last failure, once every attempt failed
   */
  public static <T> Chunk<T> read(ChangeFeed<T> feed, Checkpoint after, int limit, String what, Retrying retrying) {
    return retrying.call(() -> read(feed, after, limit, what));
  }

  /**
   * Up to {@code limit} changes of {@code feed} after {@code after} (more, where its position stays
   * inside a window).
   *
   * @param what the feed as messages name it: "side A", "the broadcast's change feed"
   * @throws IllegalStateException where closing the cursor failed
   */
  public static <T> Chunk<T> read(ChangeFeed<T> feed, Checkpoint after, int limit, String what) {
    try (ChangeCursor<T> cursor = feed.changes(after)) {
      List<Change<T>> changes = new ArrayList<>();
      while (changes.size() < limit && cursor.hasNext()) {
        changes.add(cursor.next());
      }
      boolean more = changes.size() == limit && cursor.hasNext();
      Checkpoint end = after;
      if (!changes.isEmpty() || !after.isStart()) {
        end = cursor.checkpoint();   // asked once, where it is saved (a feed may compute it: a window digest)
      }
      while (more && end.equals(after)) {
        changes.add(cursor.next());
        more = cursor.hasNext();
        end = cursor.checkpoint();
      }
      return new Chunk<>(end, Collections.unmodifiableList(changes), more);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the change feed of " + what + " failed", e);
    }
  }

  /**
   * Records as a {@link Stream} read them (a source's as upserts), null where unreadable; the
   * position after each; by index, the read failures.
   */
  public record Batch<T>(List<Change<T>> records, List<Checkpoint> positions, Map<Integer, Outcome.Failed> unreadable) {
  }

  /** A cursor open for a whole run: a source's records, each an upsert, or a change feed's changes. */
  public interface Stream<T> extends AutoCloseable {
    boolean hasNext();

    Change<T> next();

    Checkpoint checkpoint();

    @Override
    void close();

    /** {@code source}'s records after {@code at}. */
    static <T> Stream<T> of(dev.patchbay.core.Source<T> source, Checkpoint at) {
      Cursor<T> cursor = source.read(at);
      return new Stream<>() {
        public boolean hasNext() {
          return cursor.hasNext();
        }

        public Change<T> next() {
          return Change.upsert(cursor.next());
        }

        public Checkpoint checkpoint() {
          return cursor.checkpoint();
        }

        public void close() {
          cursor.close();
        }
      };
    }

    /** {@code feed}'s changes after {@code at}. */
    static <T> Stream<T> of(ChangeFeed<T> feed, Checkpoint at) {
      ChangeCursor<T> changes = feed.changes(at);
      return new Stream<>() {
        public boolean hasNext() {
          return changes.hasNext();
        }

        public Change<T> next() {
          return changes.next();
        }

        public Checkpoint checkpoint() {
          return changes.checkpoint();
        }

        public void close() {
          changes.close();
        }
      };
    }

    /**
     * Up to {@code limit} records; empty at the end of the data. A record the cursor cannot read
     * ({@link DataException}) is null, its outcome a failure at {@link Stage#READ} by key (else by
     * position).
     */
    default Batch<T> next(int limit) {
      List<Change<T>> records = new ArrayList<>(limit);
      List<Checkpoint> positions = new ArrayList<>(limit);
      Map<Integer, Outcome.Failed> unreadable = new HashMap<>();
      while (records.size() < limit && hasNext()) {
        Change<T> record;
        try {
          record = next();
        } catch (DataException e) {
          unreadable.put(records.size(), new Outcome.Failed(e.key() != null ? e.key() : "position "
              + checkpoint().position(), Stage.READ, e.field(), e.reason()));
          record = null;
        }
        records.add(record);
        positions.add(checkpoint());
      }
      return new Batch<>(records, positions, unreadable);
    }
  }

  /** Where a run's batches come from: read when asked, or read ahead on a thread of their own. */
  public interface Batches<T> extends AutoCloseable {
    Batch<T> next();

    @Override
    default void close() {
    }
  }

  /**
   * Reads the next batch on a reader thread while the caller processes the current one: at most
   * one batch ahead, and the cursor is used by one thread at a time. Closing waits for a read in
   * flight (so the cursor can then be closed) and discards what it read.
   */
  public static final class Ahead<T> implements Batches<T> {
    private final Supplier<Batch<T>> read;
    private final ExecutorService reader;
    private Future<Batch<T>> ahead;

    public Ahead(Supplier<Batch<T>> read, ExecutorService reader) {
      this.read = read;
      this.reader = reader;
      this.ahead = reader.submit(read::get);
    }

    @Override
    public Batch<T> next() {
      Batch<T> batch = Threads.result(ahead);   // what the read ahead threw, thrown here
      ahead = batch.records().isEmpty() ? null : reader.submit(read::get);
      return batch;
    }

    @Override
    public void close() {
      try {
        if (ahead != null) {
          ahead.get();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (ExecutionException e) {
        // The run is ending already; what the discarded read met does not change how.
      } finally {
        Threads.finish(reader);
      }
    }
  }
}
