package dev.patchbay.connectors.file;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.util.HashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A cursor over a file's items: records, or lines that could not be read, which {@link #next()}
 * throws as {@link DataException}s keyed {@code file:line}. The checkpoint is {@code line:N}, the
 * last physical line consumed.
 */
final class FileCursor implements Cursor<Fields> {

  /** A record (on lines {@code firstLine} to {@code lastLine}), or a problem with the lines up to {@code lastLine}. */
  record Item(Envelope<Fields> record, DataException problem, long firstLine, long lastLine) {
  }

  private final Supplier<Item> items;
  private final AutoCloseable resources;
  private final String file;
  /** Per key, the line its record starts on, where a repeated key is reported; null where the later line wins. */
  private final Map<String, Long> firstLines;
  private Item next;
  private Checkpoint position;

  FileCursor(Supplier<Item> items, AutoCloseable resources, Checkpoint after) {
    this(items, resources, after, null, null);
  }

  private FileCursor(Supplier<Item> items, AutoCloseable resources, Checkpoint after, String file, Map<String, Long> firstLines) {
    this.items = items;
    this.resources = resources;
    this.position = after;
    this.file = file;
    this.firstLines = firstLines;
  }

  /**
   * A cursor over {@code read}'s items after {@code after} that reports a key met again as a
   * {@link DataException} at its second line, naming the first. A resumed read first passes over
   * the lines before {@code after} to learn their keys. Holds every key read, with its line.
   */
  static FileCursor keysOnce(String file, Function<Checkpoint, FileCursor> read, Checkpoint after) {
    Map<String, Long> firstLines = new HashMap<>();
    if (!after.isStart()) {
      long consumed = linesConsumed(file, after);
      try (FileCursor before = read.apply(Checkpoint.start())) {
        for (Item item = before.items.get(); item != null && item.lastLine() <= consumed; item = before.items.get()) {
          if (item.record() != null) {
            firstLines.putIfAbsent(item.record().key(), item.firstLine());
          }
        }
      }
    }
    FileCursor raw = read.apply(after);
    return new FileCursor(raw.items, raw.resources, after, file, firstLines);
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
    if (firstLines != null) {
      Long first = firstLines.putIfAbsent(item.record().key(), item.firstLine());
      if (first != null) {
        throw DataException.record("key '" + item.record().key() + "' is on line " + first + " already; a file holds"
            + " each key once, so this line is not read").forKey(file + ":" + item.firstLine());
      }
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
