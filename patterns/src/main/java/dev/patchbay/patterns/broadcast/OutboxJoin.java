package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.outbox.OutboxReader;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A destination joining the outbox's registry of readers from where its ledger says it is, so that
 * purging waits for it in every process. A destination with no ledger joins at the first event of
 * its type where none was purged yet, else at the outbox's end (from now, said at INFO); one with a
 * ledger joins at its position, and where events it had not read were purged (it was forgotten, or
 * registered elsewhere) it parks, naming how many it missed: it is never moved past them.
 */
final class OutboxJoin {

  private static final Logger LOG = LoggerFactory.getLogger(Runner.class);

  /** The ledger after joining; whether it is parked for events it missed; whether it changed (to be saved). */
  record Joined(Ledger ledger, boolean gapped, boolean changed) {
  }

  private OutboxJoin() {
  }

  /**
   * Joins as {@code reader}, the ledger of {@code route} being {@code ledger} ({@code fresh}: none
   * saved yet).
   *
   * @throws SetupException where the registry has the destination past the outbox's end
   */
  static Joined join(Broadcast broadcast, Route<?> route, String reader, Ledger ledger, boolean fresh) {
    String type = broadcast.aggregateType;
    long position = ledger.position();
    if (fresh) {
      OutboxReader r = broadcast.outbox.join(type, reader, 0);
      long end = broadcast.outbox.end();
      if (r.position() > end) {   // the registry outlived its outbox (its tables made again): never trusted past the end
        throw new SetupException("Broadcast '" + broadcast.name + "': the outbox's registry has destination '"
            + route.name + "' at position " + r.position() + ", past the outbox's end " + end + ": the registry belongs to"
            + " an outbox that is gone (its tables were made again); drop the registry's table, or forget the destination");
      }
      if (!r.joined()) {
        r = broadcast.outbox.joinAtEnd(type, reader);
        LOG.info("destination joins at position {}, from now: events of its type were purged before it joined;"
            + " seed it from the source (Broadcast.seed) for what came before", r.position());
      } else if (r.position() > 0) {
        LOG.warn("destination has no ledger; the outbox's registry has it at position {}: it goes on from there", r.position());
      }
      return new Joined(ledger.at(r.position()), false, true);
    }
    OutboxReader r = broadcast.outbox.join(type, reader, position);
    if (r.joined() && r.position() <= position) {
      return new Joined(ledger, false, false);
    }
    long missed = r.joined() ? -1 : r.missed();
    String gap = "missed " + (missed < 0 ? "an unknown number of" : Long.toString(missed)) + " events of type '" + type
        + "' after position " + position + ", purged while it was not a reader of the outbox (up to position "
        + broadcast.outbox.purgedThrough(type) + "); seed it again from the source with Broadcast.seed(\"" + route.name
        + "\", ...)";
    LOG.error("destination parked: {}", gap);
    return new Joined(ledger.parkedFor(gap, broadcast.clock.instant()), true, true);   // counts and positions only: logs may say it
  }
}
