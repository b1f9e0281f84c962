package dev.patchbay.connectors.file;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The keyed side of a file connector. Appends records, forced to disk before a write returns; a
 * record written again unchanged is not appended again, and a changed record is appended again
 * (the later line wins). Keeps, per key, a hash of the record and the line it starts after, read
 * from the file once, so that lookups read only the records asked for (starting near each through
 * the file's {@link LineIndex}) and a record whose hash matches is compared exactly. Assumes the
 * file is appended to only through this connector while it is open.
 */
final class AppendLog {

  /** Reading on from one record to the next asked beats starting afresh within this many lines. */
  private static final long READ_ON = 4L * LineIndex.EVERY;

  /** A record's content hash, and the lines before its first line. */
  private record Spot(int hash, long linesBefore) {
  }

  private final Path file;
  private final String name;
  private final Function<Checkpoint, Cursor<Fields>> reader;
  private final Function<Envelope<Fields>, String> line;
  private final String header;
  private Map<String, Spot> index;
  private long lines;
  private boolean endsMidLine;

  AppendLog(Path file, Function<Checkpoint, Cursor<Fields>> reader, Function<Envelope<Fields>, String> line, String header) {
    this.file = file;
    this.name = file.getFileName().toString();
    this.reader = reader;
    this.line = line;
    this.header = header;
  }

  synchronized List<Outcome> write(List<Change<Fields>> batch) {
    loaded();
    Map<String, Envelope<Fields>> held = lookup(batch.stream()
        .filter(change -> change instanceof Change.Upsert<Fields> u && sameHash(u.record()))
        .map(Change::key).toList());
    StringBuilder out = new StringBuilder();
    if (endsMidLine) {
      out.append('\n');
    }
    if (header != null && lines == 0 && !endsMidLine) {
      out.append(header);
    }
    long lineAt = lines + newlines(out);
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    Map<String, Spot> written = new HashMap<>();
    for (Change<Fields> change : batch) {
      if (!(change instanceof Change.Upsert<Fields> upsert)) {
        outcomes.add(Outcome.rejected(change.key(), null, name + " is appended to; it cannot delete records"));
        continue;
      }
      Envelope<Fields> current = held.get(change.key());
      if (current != null && current.payload().differingFrom(upsert.record().payload()).isEmpty()) {
        outcomes.add(Outcome.unchanged(change.key()));
        continue;
      }
      boolean existed = index.containsKey(change.key()) || written.containsKey(change.key());
      String text = line.apply(upsert.record());
      out.append(text);
      written.put(change.key(), new Spot(contentHash(upsert.record().payload()), lineAt));
      lineAt += newlines(text);
      outcomes.add(existed ? Outcome.updated(change.key()) : Outcome.created(change.key()));
    }
    append(out.toString());
    index.putAll(written);
    lines = lineAt;
    endsMidLine = false;
    return outcomes;
  }

  private boolean sameHash(Envelope<Fields> record) {
    Spot spot = index.get(record.key());
    return spot != null && spot.hash == contentHash(record.payload());
  }

  /** The records held for {@code keys}: for each, its latest line, read from near where it starts. */
  synchronized Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    loaded();
    List<Map.Entry<String, Spot>> wanted = new ArrayList<>();
    for (String key : keys) {
      Spot spot = index.get(key);
      if (spot != null) {
        wanted.add(Map.entry(key, spot));
      }
    }
    wanted.sort(Comparator.comparingLong(e -> e.getValue().linesBefore));
    Map<String, Envelope<Fields>> found = new HashMap<>();
    Cursor<Fields> cursor = null;
    long at = -1;
    try {
      for (Map.Entry<String, Spot> e : wanted) {
        long before = e.getValue().linesBefore;
        if (cursor == null || before < at || before - at > READ_ON) {
          if (cursor != null) {
            cursor.close();
          }
          cursor = reader.apply(Checkpoint.at("line:" + before));
          at = before;
        }
        while (cursor.hasNext()) {   // to the item that covers the line after `before`
          Envelope<Fields> r = null;
          try {
            r = cursor.next();
          } catch (DataException unreadable) {
            // not the record asked for: its line was readable when indexed
          }
          at = FileCursor.linesConsumed(name, cursor.checkpoint());
          if (at > before) {
            if (r != null && r.key().equals(e.getKey())) {
              found.put(r.key(), r);
            }
            break;
          }
        }
      }
    } finally {
      if (cursor != null) {
        cursor.close();
      }
    }
    return found;
  }

  /** Reads the file once, on first use: each record's hash and where it starts; later lines win. */
  private void loaded() {
    if (index != null) {
      return;
    }
    Map<String, Spot> keys = new HashMap<>();
    if (!Files.exists(file)) {
      lines = 0;
      endsMidLine = false;
      index = keys;   // a destination not written yet
      return;
    }
    try (Cursor<Fields> cursor = reader.apply(Checkpoint.start())) {
      long before = 0;
      while (cursor.hasNext()) {
        try {
          Envelope<Fields> r = cursor.next();
          keys.put(r.key(), new Spot(contentHash(r.payload()), before));
        } catch (DataException unreadable) {
          // an unreadable line holds no record to index
        }
        before = FileCursor.linesConsumed(name, cursor.checkpoint());
      }
    }
    countLines();
    index = keys;
  }

  /** The file's line count (newline bytes), and whether its last line lacks one. */
  private void countLines() {
    lines = 0;
    endsMidLine = false;
    if (!Files.exists(file)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      byte last = '\n';
      while (channel.read(buffer) > 0) {
        buffer.flip();
        while (buffer.hasRemaining()) {
          last = buffer.get();
          if (last == '\n') {
            lines++;
          }
        }
        buffer.clear();
      }
      endsMidLine = last != '\n';
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  private static long newlines(CharSequence text) {
    return text.chars().filter(ch -> ch == '\n').count();
  }

  /** A hash that agrees with {@link Fields#sameValue}: numbers hash by numeric value, whatever their class or scale. */
  static int contentHash(Fields fields) {
    int hash = 0;
    for (Map.Entry<String, Object> e : fields.asMap().entrySet()) {
      Object v = e.getValue();
      int valueHash = v instanceof Number n ? numericHash(n) : v.hashCode();
      hash += e.getKey().hashCode() ^ valueHash;
    }
    return hash;
  }

  private static int numericHash(Number n) {
    try {
      return new java.math.BigDecimal(n.toString()).stripTrailingZeros().toPlainString().hashCode();
    } catch (NumberFormatException e) {
      return n.hashCode();
    }
  }

  private void append(String text) {
    if (text.isEmpty()) {
      return;
    }
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }
}
