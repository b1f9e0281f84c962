package dev.patchbay.core;

import java.util.List;

/**
 * Fetches one page of a system's records or changes: the single call a connector author writes
 * for a paged read; {@link Cursor#paged} and {@link ChangeCursor#paged} do the rest (the page in
 * hand, the next fetch, the checkpoint after each item).
 *
 * <pre>{@code
 * PageFetch<Envelope<Fields>> fetch = (after, limit) ->
 *     api.get("/contacts?after=" + after.position() + "&limit=" + limit);   // in key order
 * }</pre>
 *
 * @param <E> what a page holds: {@link Envelope}s for a read, {@link Change}s for a change feed
 */
@FunctionalInterface
public interface PageFetch<E> {

  /**
   * At most {@code limit} items just after {@code position} ({@linkplain Checkpoint#isStart() the
   * start}: the first ones), in the system's stable order. Fewer than {@code limit} only where no
   * more follow: a short page ends the read. A failure throws (a {@link TransientException} where a
   * retry may succeed); it never answers an empty page for a system it could not reach.
   */
  List<E> after(Checkpoint position, int limit);
}
