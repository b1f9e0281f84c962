package dev.patchbay.core;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/**
 * The page in hand of {@link Cursor#paged} and {@link ChangeCursor#paged}: items as the system
 * gave them ({@code R}), each read into what the cursor returns ({@code E}) as it is handed out.
 * Not thread-safe: one reader.
 */
final class Paging<R, E> {

  private final int pageSize;
  private final PageFetch<R> fetch;
  private final Function<? super R, Checkpoint> positionOf;
  private final Function<? super R, ? extends E> read;
  private List<R> page = List.of();
  private int index;
  private boolean lastPage;
  private Checkpoint position;

  Paging(Checkpoint from, int pageSize, PageFetch<R> fetch, Function<? super R, Checkpoint> positionOf,
      Function<? super R, ? extends E> read) {
    this.position = Objects.requireNonNull(from, "a paged read starts at a checkpoint (Checkpoint.start() for the first page), not null");
    if (pageSize < 1) {
      throw new IllegalArgumentException("a page holds at least one item, not " + pageSize);
    }
    this.pageSize = pageSize;
    this.fetch = Objects.requireNonNull(fetch, "a paged read needs the fetch of one page, not null");
    this.positionOf = Objects.requireNonNull(positionOf, "a paged read needs the checkpoint after each item (positionOf), not null");
    this.read = Objects.requireNonNull(read, "a paged read needs the reading of each item, not null");
  }

  boolean hasNext() {
    if (index < page.size()) {
      return true;
    }
    if (lastPage) {
      return false;
    }
    List<R> next = fetch.after(position, pageSize);
    page = next == null ? List.of() : next;
    index = 0;
    lastPage = page.size() < pageSize;
    return !page.isEmpty();
  }

  /** The next item, read; where reading it throws (a {@link DataException} naming it), the position is past it all the same. */
  E next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    R item = page.get(index++);
    position = Objects.requireNonNull(positionOf.apply(item), "positionOf answered no checkpoint for an item");
    return read.apply(item);
  }

  Checkpoint checkpoint() {
    return position;
  }
}
