package dev.patchbay.patterns;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.TransientException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory system whose change feed fails transiently partway through a read, the next
 * {@code failures} times it is read (after handing out one change), as a database does when its
 * connection drops mid-cursor; and where {@link #afterRead} is set, someone edits the system
 * once, right after a read (its cursor closed).
 */
public final class FlakyFeed implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {

  private final InMemoryStore<Fields> store;
  private final AtomicInteger failures = new AtomicInteger();
  /** Reads begun. */
  public final AtomicInteger reads = new AtomicInteger();
  /** While set, every write fails transiently (a destination that went away). */
  public volatile boolean writesFail;
  /** Run once when the next read's cursor is closed. */
  public volatile Runnable afterRead = () -> { };

  public FlakyFeed(InMemoryStore<Fields> store) {
    this.store = store;
  }

  /** The next {@code n} reads fail after their first change. */
  public FlakyFeed failNext(int n) {
    failures.set(n);
    return this;
  }

  @Override
  public ChangeCursor<Fields> changes(Checkpoint after) {
    reads.incrementAndGet();
    ChangeCursor<Fields> read = store.changes(after);
    boolean fails = failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
    return new ChangeCursor<>() {
      int handed;

      @Override
      public boolean hasNext() {
        if (fails && handed == 1) {
          throw new TransientException("connection reset while reading the feed");
        }
        return read.hasNext();
      }

      @Override
      public Change<Fields> next() {
        handed++;
        return read.next();
      }

      @Override
      public Checkpoint checkpoint() {
        return read.checkpoint();
      }

      @Override
      public void close() {
        read.close();
        Runnable edit = afterRead;
        afterRead = () -> { };
        edit.run();
      }
    };
  }

  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    return store.lookup(keys);
  }

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    if (writesFail) {
      throw new TransientException("connection reset while writing");
    }
    return store.write(batch);
  }
}
