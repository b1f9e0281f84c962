package dev.patchbay.patterns.sync;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.patterns.internal.FeedReader;
import dev.patchbay.patterns.sync.BidirectionalSync.Endpoint;
import java.util.HashMap;
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
   * than those writes; read again while the feed fails transiently, as {@code retrying} allows.
   */
  static Drained drain(Endpoint side, Checkpoint after, Side which, int limit, dev.patchbay.patterns.internal.Retrying retrying) {
    FeedReader.Chunk<Fields> chunk = FeedReader.read(side.feed(), after, limit, "side " + which, retrying);
    return new Drained(chunk.end(), chunk.latest(), chunk.changes().size(), chunk.more());
  }

  /** Each key's latest record as the feed gave it; null for a delete. */
  static Map<String, Envelope<Fields>> known(Drained feed) {
    Map<String, Envelope<Fields>> known = new HashMap<>();
    feed.latest().forEach((k, change) -> known.put(k, change instanceof Change.Upsert<Fields> u ? u.record() : null));
    return known;
  }
}
