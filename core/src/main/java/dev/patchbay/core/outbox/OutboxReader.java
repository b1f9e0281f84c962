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

  /** Whether events it had not read were purged while it was away. */
  public boolean missedEvents() {
    return missed != 0;
  }
}
