package dev.patchbay.connectors.memory;

import dev.patchbay.core.Change;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The latest change of each key of a store, in the order applied, by sequence number (1, 2, ...):
 * an append and the clearing of the change it supersedes take constant time; reads from any
 * sequence are weakly consistent with appends going on. Appends are serialised by the store, which
 * keeps the sequence of each record's latest change with the record; the log remembers those of
 * deletes. Each change ever applied keeps its slot (one reference) after a later change cleared it.
 */
final class ChangeLog<T> {

  private static final int SHIFT = 12;
  private static final int CHUNK = 1 << SHIFT;

  /** The sequence of each deleted key's delete; the appending thread's only. */
  private final Map<String, Long> deletes = new HashMap<>();
  private volatile Object[][] chunks = new Object[8][];
  /** Changes appended; written after their slot, so that a reader that sees it sees the slot. */
  private volatile long size;

  /** The sequence number the next change appended gets. */
  long next() {
    return size + 1;
  }

  /**
   * Appends {@code change} with the {@link #next()} sequence number and clears its key's earlier
   * change: {@code previous}, the sequence of the record it replaces or deletes, or 0 where no record
   * was held (the key's last delete, if any, is cleared then).
   */
  void append(Change<T> change, long previous) {
    long seq = size + 1;
    Object[][] cs = chunks;
    int chunk = chunk(seq);
    if (chunk >= cs.length) {
      cs = Arrays.copyOf(cs, cs.length * 2);
    }
    if (cs[chunk] == null) {
      cs[chunk] = new Object[CHUNK];
    }
    cs[chunk][slot(seq)] = change;
    Long earlier = previous > 0 ? Long.valueOf(previous) : deletes.isEmpty() ? null : deletes.remove(change.key());
    if (earlier != null) {
      cs[chunk(earlier)][slot(earlier)] = null;
    }
    if (change instanceof Change.Delete<T>) {
      deletes.put(change.key(), seq);
    }
    chunks = cs;
    size = seq;
  }

  /** A reader of the changes after sequence {@code after}, oldest first, including those appended while it reads. */
  Reader<T> after(long after) {
    return new Reader<>(this, after);
  }

  private static int chunk(long seq) {
    return (int) ((seq - 1) >>> SHIFT);
  }

  private static int slot(long seq) {
    return (int) ((seq - 1) & (CHUNK - 1));
  }

  /** Reads a log onwards from a sequence: {@link #hasNext()}, then {@link #next()} and its {@link #sequence()}. */
  static final class Reader<T> {
    private final ChangeLog<T> log;
    private long at;
    private Change<T> next;
    private long nextSeq;

    private Reader(ChangeLog<T> log, long after) {
      this.log = log;
      this.at = after;
    }

    boolean hasNext() {
      while (next == null) {
        long size = log.size;
        if (at >= size) {
          return false;
        }
        at++;
        @SuppressWarnings("unchecked")
        Change<T> c = (Change<T>) log.chunks[chunk(at)][slot(at)];
        if (c != null) {
          next = c;
          nextSeq = at;
        }
      }
      return true;
    }

    Change<T> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      Change<T> c = next;
      next = null;
      return c;
    }

    /** The sequence of the change {@link #next()} returned last. */
    long sequence() {
      return nextSeq;
    }
  }
}
