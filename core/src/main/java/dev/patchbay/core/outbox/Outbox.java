package dev.patchbay.core.outbox;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Where broadcasts keep the changes published to them until every reader has them: appended
 * durably and in order, read by aggregate type from any position, purged in bounded batches below
 * the slowest reader of each type. One outbox may be shared by several broadcasts (each reads only
 * its own aggregate type) and by several processes: the readers are registered in the outbox
 * itself, so a process purges only what every reader, wherever it runs, has read.
 *
 * <p>The registry: a reader {@linkplain #join joins} at a position, {@linkplain #advance advances},
 * and leaves only when {@linkplain #forget forgotten}, never by being absent from one process's
 * configuration. While a reader is not joined, what is purged past its position is counted as
 * {@linkplain OutboxReader#missed missed}, so that a reader coming back is never moved past a gap
 * unseen.
 *
 * <p>Implementations are thread-safe; the connector test kit's {@code OutboxContract} is the
 * contract a host's own implementation is checked against.
 */
public interface Outbox {

  /** The longest key, in bytes of UTF-8, that every outbox of this library keeps: 768. */
  int MAX_KEY_BYTES = 768;
  /** The longest aggregate type, in bytes of UTF-8: 255. */
  int MAX_TYPE_BYTES = 255;

  /**
   * Appends {@code changes}, in their order, as events of {@code aggregateType}; returns once they
   * would survive a crash (for a durable outbox), with the events and their positions. The
   * positions of one append follow those of every append that returned before it began, whatever
   * its type.
   *
   * @throws IllegalArgumentException naming the key and the field, where a change cannot be kept
   *     (see {@link OutboxEvent#check}); nothing is appended then
   */
  List<OutboxEvent> append(String aggregateType, List<Change<Fields>> changes);

  /** Up to {@code limit} events of {@code aggregateType} after {@code position} (0: from the first), in position order. */
  List<OutboxEvent> after(String aggregateType, long position, int limit);

  /** The position of the last event appended, of any type; 0 where none was. */
  long end();

  /** The position of the last event of {@code aggregateType} appended; 0 where none was. */
  long end(String aggregateType);

  /** How many events of {@code aggregateType} the outbox holds. */
  long size(String aggregateType);

  /** The reader {@code name} of {@code aggregateType}, as the registry has it; empty where it never joined. */
  Optional<OutboxReader> reader(String aggregateType, String name);

  /** Every registered reader of {@code aggregateType}, joined or not, by name. */
  List<OutboxReader> readers(String aggregateType);

  /**
   * Joins {@code name} as a reader of {@code aggregateType} at {@code position}, in one step with
   * any purge: from then on no event of the type past that position is purged before the reader
   * has it. Refused, the reader left (or registered) not joined, where events it would not have
   * read are gone: it was forgotten and events past its position were purged since (its
   * {@code missed} count says how many), or it was never registered and the type was purged past
   * {@code position} ({@code missed} -1: not known). A joined reader whose position is ahead of
   * {@code position} is moved back to it where nothing was purged past it.
   *
   * @return the reader as registered now: {@linkplain OutboxReader#joined() joined} where accepted
   */
  OutboxReader join(String aggregateType, String name, long position);

  /**
   * Joins {@code name} at the end of the outbox, whatever it missed: it reads what is appended
   * from now on (its {@code missed} count reset). In one step with any purge and append.
   */
  OutboxReader joinAtEnd(String aggregateType, String name);

  /** Records that the joined reader {@code name} has every event of its type up to {@code position}; never moves it back. */
  void advance(String aggregateType, String name, long position);

  /**
   * Stops waiting for {@code name}, which has read up to {@code position}: purging no longer waits
   * for it, and counts what it purges past that position as missed by it.
   */
  OutboxReader forget(String aggregateType, String name, long position);

  /**
   * Removes up to {@code limit} events of {@code aggregateType} at or below the position of its
   * slowest joined reader, oldest first, in one bounded step (never one unbounded delete); nothing
   * where the type has no joined reader. How many it removed; call again while it removes some.
   */
  int purge(String aggregateType, int limit);

  /** The position up to which events of {@code aggregateType} were purged; 0 where none was. */
  long purgedThrough(String aggregateType);

  /**
   * Calls {@code listener} (on a thread of the outbox's, or the appending one) after events were
   * appended: by this object, and, where the store tells of it, by other processes (PostgreSQL's
   * {@code LISTEN/NOTIFY}); with the position of the append's last event, or 0 where it cannot
   * tell (the reader then looks). Readers that are told need not poll often, nor look when told of
   * nothing past where they are. Closing the returned subscription ends it. By default nobody is
   * told: readers poll.
   */
  default AutoCloseable subscribe(LongConsumer listener) {
    Objects.requireNonNull(listener, "listener");
    return () -> { };
  }

  /**
   * An outbox in this object's memory: for tests, and for a broadcast that may lose events in a
   * crash. It refuses what a durable outbox refuses, so that what passes here passes there.
   */
  static Outbox inMemory() {
    return new InMemoryOutbox();
  }
}
