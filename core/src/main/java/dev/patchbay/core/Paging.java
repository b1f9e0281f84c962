package dev.patchbay.core;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.function.Function;

/** The page in hand of {@link Cursor#paged} and {@link ChangeCursor#paged}. Not thread-safe: one reader. */
final class Paging<E> {

  private final int pageSize;
  private final PageFetch<E> fetch;
  private final Function<? super E, Checkpoint> positionOf;
  private List<E> page = List.of();
  private int index;
  private boolean lastPage;
  private Checkpoint position;

  Paging(Checkpoint from, int pageSize, PageFetch<E> fetch, Function<? super E, Checkpoint> positionOf) {
    this.position = Objects.requireNonNull(from, "a paged read starts at a checkpoint (Checkpoint.start() for the first page), not null");
    if (pageSize < 1) {
      throw new IllegalArgumentException("a page holds at least one item, not " + pageSize);
    }
    this.pageSize = pageSize;
    this.fetch = Objects.requireNonNull(fetch, "a paged read needs the fetch of one page, not null");
    this.positionOf = Objects.requireNonNull(positionOf, "a paged read needs the checkpoint after each item (positionOf), not null");
  }

  boolean hasNext() {
    if (index < page.size()) {
      return true;
    }
    if (lastPage) {
      return false;
    }
    List<E> next = fetch.after(position, pageSize);
    page = next == null ? List.of() : next;
    index = 0;
    lastPage = page.size() < pageSize;
    return !page.isEmpty();
  }

  E next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    E item = page.get(index++);
    position = Objects.requireNonNull(positionOf.apply(item), "positionOf answered no checkpoint for an item");
    return item;
  }

  Checkpoint checkpoint() {
    return position;
  }
}
