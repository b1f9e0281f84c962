package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.Checkpoint;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Items read a page at a time, each with the checkpoint just after it. A page shorter than the
 * page size is the last. Not thread-safe: one reader.
 */
final class Pages<E> {

  /** Adds the page of items after {@code after} to {@code items}, with the checkpoint after each. */
  @FunctionalInterface
  interface Fetch<E> {
    void page(Checkpoint after, List<E> items, List<Checkpoint> positions);
  }

  private final int pageSize;
  private final Fetch<E> fetch;
  private final List<E> items = new ArrayList<>();
  private final List<Checkpoint> positions = new ArrayList<>();
  private int index;
  private boolean lastPage;
  private Checkpoint position;

  Pages(Checkpoint after, int pageSize, Fetch<E> fetch) {
    this.position = after;
    this.pageSize = pageSize;
    this.fetch = fetch;
  }

  boolean hasNext() {
    if (index < items.size()) {
      return true;
    }
    if (lastPage) {
      return false;
    }
    items.clear();
    positions.clear();
    index = 0;
    fetch.page(position, items, positions);
    lastPage = items.size() < pageSize;
    return index < items.size();
  }

  E next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    position = positions.get(index);
    return items.get(index++);
  }

  Checkpoint checkpoint() {
    return position;
  }
}
