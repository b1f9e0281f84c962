package dev.patchbay.patterns.sync;

import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.patterns.sync.BidirectionalSync.Endpoint;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a side's change feed said in one chunk: the position after its last change, each key's
 * latest change in feed order, and whether the feed had more than the chunk took.
 */
record Drained(Checkpoint end, Map<String, Change<Fields>> latest, long read, boolean more) {
  static final Drained NOTHING = new Drained(Checkpoint.start(), Map.of(), 0, false);

  /** The time a record the feed says was deleted has; 0 where the feed did not say so. */
  long deletedAt(String key) {
    return latest.get(key) instanceof Change.Delete<Fields> d ? d.version() : 0L;
  }


  /**
   * Reads up to {@code limit} of a side's changes since {@code after}, on a cursor of its own:
   * each chunk reads afresh, after the last chunk's writes, so no record it decides from is older
   * than those writes.
   */
  static Drained drain(Endpoint side, Checkpoint after, Side which, int limit) {
    try (ChangeCursor<Fields> changes = side.feed().changes(after)) {
      Checkpoint end = after;
      Map<String, Change<Fields>> latest = new LinkedHashMap<>();
      long read = 0;
      while (read < limit && changes.hasNext()) {
        Change<Fields> change = changes.next();
        latest.put(change.key(), change);
        read++;
      }
      boolean more = read == limit && changes.hasNext();
      if (read > 0 || !after.isStart()) {
        end = changes.checkpoint();   // asked once, where it is saved (a feed may compute it: a window digest)
      }
      // A feed that re-reads a window before its position does not move while in it: read on
      // until it does, so that every chunk makes progress however many rows the window holds.
      while (more && end.equals(after)) {
        Change<Fields> change = changes.next();
        latest.put(change.key(), change);
        read++;
        more = changes.hasNext();
        end = changes.checkpoint();
      }
      return new Drained(end, latest, read, more);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the change feed of side " + which + " failed", e);
    }
  }

  /** Each key's latest record as the feed gave it; null for a delete. */
  static Map<String, Envelope<Fields>> known(Drained feed) {
    Map<String, Envelope<Fields>> known = new HashMap<>();
    feed.latest().forEach((k, change) -> known.put(k, change instanceof Change.Upsert<Fields> u ? u.record() : null));
    return known;
  }
}
