package dev.patchbay.core.outbox;

import java.util.Objects;

/**
 * A reader of one aggregate type's events, as an outbox's registry of readers keeps it, in the
 * outbox's own store and so across processes: an outbox purges an event only once every joined
 * reader of its type is past it.
 *
 * @param aggregateType the type of event it reads
 * @param name          the reader (a broadcast's destination: {@code broadcast.destination})
 * @param position      where it is known to be at least: purging never passes it while it is joined
 * @param joined        whether purging waits for it; a reader forgotten (or refused) is not joined
 * @param missed        events of its type purged past its position while it was not joined; -1
 *                      where that cannot be counted (it was never registered)
 */
public record OutboxReader(String aggregateType, String name, long position, boolean joined, long missed) {

  public OutboxReader {
    Objects.requireNonNull(aggregateType, "aggregateType");
    Objects.requireNonNull(name, "name");
  }

  /**
   * The registry's decision for {@link Outbox#join}: what joining {@code name} at {@code position}
   * makes of the reader registered now ({@code now}; null where it never joined), where the type
   * was purged through {@code purgedThrough}. A reader never registered joins where nothing it
   * would read is gone, else is registered not joined, its count unknown (-1); a joined reader
   * stays where it is unless moved back to a position nothing was purged past; a forgotten one
   * joins again only where nothing past its position was purged. One decision for every outbox.
   */
  public static OutboxReader joining(OutboxReader now, String aggregateType, String name, long position, long purgedThrough) {
    boolean intact = position >= purgedThrough;
    OutboxReader joined = new OutboxReader(aggregateType, name, position, true, 0);
    if (now == null) {
      return intact ? joined : new OutboxReader(aggregateType, name, position, false, -1);
    }
    if (now.joined()) {
      return position >= now.position() || !intact ? now : joined;
    }
    return now.missed() == 0 && (position >= now.position() || intact) ? joined : now;
  }

  /** The registry's decision for {@link Outbox#forget}: not joined, at the furthest of the two positions, counting afresh. */
  public static OutboxReader forgetting(OutboxReader now, String aggregateType, String name, long position) {
    return new OutboxReader(aggregateType, name, Math.max(position, now == null ? 0 : now.position()), false,
        now == null || now.joined() ? 0 : now.missed());
  }
}
