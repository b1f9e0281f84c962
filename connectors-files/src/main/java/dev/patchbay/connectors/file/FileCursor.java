package dev.patchbay.connectors.file;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.util.NoSuchElementException;
import java.util.function.Supplier;

/**
 * A cursor over a file's items: records, or lines that could not be read, which {@link #next()}
 * throws as {@link DataException}s keyed {@code file:line}. The checkpoint is {@code line:N}, the
 * last physical line consumed.
 */
final class FileCursor implements Cursor<Fields> {

  /** A record (ending at {@code lastLine}), or a problem with the lines up to {@code lastLine}. */
  record Item(Envelope<Fields> record, DataException problem, long lastLine) {
  }

  private final Supplier<Item> items;
  private final AutoCloseable resources;
  private Item next;
  private Checkpoint position;

  FileCursor(Supplier<Item> items, AutoCloseable resources, Checkpoint after) {
    this.items = items;
    this.resources = resources;
    this.position = after;
  }

  /** The number of lines a checkpoint says were consumed. */
  static long linesConsumed(String file, Checkpoint after) {
    if (after.isStart()) {
      return 0;
    }
    String p = after.position();
    try {
      if (p.startsWith("line:")) {
        return Long.parseLong(p.substring(5));
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SetupException(file + ": '" + p + "' is not a checkpoint of this file");
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = items.get();
    }
    return next != null;
  }

  @Override
  public Envelope<Fields> next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    Item item = next;
    next = null;
    position = Checkpoint.at("line:" + item.lastLine());
    if (item.problem() != null) {
      throw item.problem();
    }
    return item.record();
  }

  @Override
  public Checkpoint checkpoint() {
    return position;
  }

  @Override
  public void close() {
    try {
      resources.close();
    } catch (Exception e) {
      throw new IllegalStateException("cannot close the file", e);
    }
  }
}
