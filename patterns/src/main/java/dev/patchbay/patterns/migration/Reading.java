package dev.patchbay.patterns.migration;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.patterns.internal.Threads;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** How a migration run reads: batches of changes from a source or a change feed, on the run's thread or one batch ahead on a thread of its own. */
final class Reading {

  private Reading() {
  }

  /** Changes as read (a full copy's records as upserts), null where unreadable, with their positions and, by index, the read failures. */
  record Batch<S>(List<Change<S>> records, List<Checkpoint> positions, Map<Integer, Outcome.Failed> unreadable) {
  }

  /** What a run reads: a source's records, each an upsert, or a change feed's changes. */
  interface Reader<S> extends AutoCloseable {
    boolean hasNext();

    Change<S> next();

    Checkpoint checkpoint();

    @Override
    void close();

    static <S> Reader<S> open(Migration<S, ?> m, Checkpoint at) {
      if (m.feed == null) {
        Cursor<S> cursor = m.source.read(at);
        return new Reader<>() {
          public boolean hasNext() {
            return cursor.hasNext();
          }

          public Change<S> next() {
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
      ChangeCursor<S> changes = m.feed.changes(at);
      return new Reader<>() {
        public boolean hasNext() {
          return changes.hasNext();
        }

        public Change<S> next() {
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
  }

  /** Reads up to a batch from {@code cursor}; empty at the end of the data. Touches no run state. */
  static <S> Batch<S> read(Reader<S> cursor, int batchSize) {
    List<Change<S>> records = new ArrayList<>(batchSize);
    List<Checkpoint> positions = new ArrayList<>(batchSize);
    Map<Integer, Outcome.Failed> unreadable = new HashMap<>();
    while (records.size() < batchSize && cursor.hasNext()) {
      Change<S> record;
      try {
        record = cursor.next();
      } catch (DataException e) {
        unreadable.put(records.size(), new Outcome.Failed(e.key() != null ? e.key() : "position "
            + cursor.checkpoint().position(), Stage.READ, e.field(), e.reason()));
        record = null;
      }
      records.add(record);
      positions.add(cursor.checkpoint());
    }
    return new Batch<>(records, positions, unreadable);
  }

  /** Where batches come from: read when asked, or read ahead on a thread of their own. */
  interface Batches<S> extends AutoCloseable {
    Batch<S> next();

    @Override
    default void close() {
    }
  }

  /**
   * Reads the next batch on a reader thread while the caller processes the current one: at most
   * one batch ahead, and the cursor is used by one thread at a time. Closing waits for a read in
   * flight (so the cursor can then be closed) and discards what it read.
   */
  static final class ReadAhead<S> implements Batches<S> {
    private final Supplier<Batch<S>> read;
    private final ExecutorService reader;
    private Future<Batch<S>> ahead;

    ReadAhead(Supplier<Batch<S>> read, ExecutorService reader) {
      this.read = read;
      this.reader = reader;
      this.ahead = reader.submit(read::get);
    }

    @Override
    public Batch<S> next() {
      Batch<S> batch = read(ahead);
      ahead = batch.records.isEmpty() ? null : reader.submit(read::get);
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

  /** What a read ahead returned; what it threw, thrown here. */
  private static <S> Batch<S> read(Future<Batch<S>> ahead) {
    return Threads.result(ahead);
  }
}
