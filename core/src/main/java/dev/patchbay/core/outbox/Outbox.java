package dev.patchbay.core.outbox;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import java.util.List;
import java.util.Objects;
import java.util.function.LongConsumer;

/**
 * Where a broadcast keeps the changes published to it until every destination has them: appended
 * durably and in order, read from any position, purged below the slowest reader in bounded
 * batches. Implementations are thread-safe; the connector test kit's {@code OutboxContract} is
 * the contract a host's own implementation is checked against.
 */
public interface Outbox {

  /**
   * Appends {@code changes}, in their order, as events of {@code aggregateType}; returns once they
   * would survive a crash (for a durable outbox), with the events and their positions. The
   * positions of one append follow those of every append that returned before it began.
   */
  List<OutboxEvent> append(String aggregateType, List<Change<Fields>> changes);

  /** Up to {@code limit} events after {@code position} (0: from the first), in position order. */
  List<OutboxEvent> after(long position, int limit);

  /** The position of the last event appended; 0 where none was. */
  long end();

  /**
   * Removes up to {@code limit} events at or below {@code position}, oldest first, in one bounded
   * step (never one unbounded delete); how many it removed. Call again while it removes {@code limit}.
   */
  int purge(long position, int limit);

  /** How many events the outbox holds. */
  long size();

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

  /** An outbox in this object's memory: for tests, and for a broadcast that may lose events in a crash. */
  static Outbox inMemory() {
    return new InMemoryOutbox();
  }
}
