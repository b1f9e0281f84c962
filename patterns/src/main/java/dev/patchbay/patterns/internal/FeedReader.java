package dev.patchbay.patterns.internal;

import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one reader of change feeds: a bounded chunk of changes after a checkpoint, on a cursor of its
 * own, closed however the read ends, and the position after it. A feed whose position does not
 * move while it reads inside a window (a look-back window re-read, many rows sharing one
 * modification time) is read on until it does, so that every chunk makes progress however many
 * rows the window holds; a chunk may then be longer than asked.
 */
public final class FeedReader {

  private FeedReader() {
  }

  /**
   * A chunk of a feed.
   *
   * @param end     the position after its last change ({@code after} where it read none from the start)
   * @param changes the changes, in feed order
   * @param more    whether the feed had more than the chunk took
   */
  public record Chunk<T>(Checkpoint end, List<Change<T>> changes, boolean more) {

    /** Each key's latest change, in feed order. */
    public Map<String, Change<T>> latest() {
      Map<String, Change<T>> latest = new LinkedHashMap<>();
      changes.forEach(c -> latest.put(c.key(), c));
      return latest;
    }
  }

  /**
   * Up to {@code limit} changes of {@code feed} after {@code after} (more, where its position stays
   * inside a window).
   *
   * @param what the feed as messages name it: "side A", "the broadcast's change feed"
   * @throws IllegalStateException where closing the cursor failed
   */
  public static <T> Chunk<T> read(ChangeFeed<T> feed, Checkpoint after, int limit, String what) {
    try (ChangeCursor<T> cursor = feed.changes(after)) {
      List<Change<T>> changes = new ArrayList<>();
      while (changes.size() < limit && cursor.hasNext()) {
        changes.add(cursor.next());
      }
      boolean more = changes.size() == limit && cursor.hasNext();
      Checkpoint end = after;
      if (!changes.isEmpty() || !after.isStart()) {
        end = cursor.checkpoint();   // asked once, where it is saved (a feed may compute it: a window digest)
      }
      while (more && end.equals(after)) {
        changes.add(cursor.next());
        more = cursor.hasNext();
        end = cursor.checkpoint();
      }
      return new Chunk<>(end, Collections.unmodifiableList(changes), more);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the change feed of " + what + " failed", e);
    }
  }
}
