package dev.patchbay.connectors.file;

import dev.patchbay.core.Change;
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
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The write side of a file connector: appends records, forced to disk before a write returns. Keyed
 * by an index of each key's content hash, read from the file on the first write, so that a record
 * written again unchanged is not appended again; a changed record is appended again (the later line
 * wins). The index holds one hash per key.
 */
final class AppendLog {

  private final Path file;
  private final String name;
  private final Supplier<Cursor<Fields>> reader;
  private final Function<Envelope<Fields>, String> line;
  private final String header;
  private Map<String, Integer> index;

  AppendLog(Path file, Supplier<Cursor<Fields>> reader, Function<Envelope<Fields>, String> line, String header) {
    this.file = file;
    this.name = file.getFileName().toString();
    this.reader = reader;
    this.line = line;
    this.header = header;
  }

  synchronized List<Outcome> write(List<Change<Fields>> batch) {
    if (index == null) {
      index = load();
    }
    StringBuilder out = new StringBuilder();
    if (header != null && index.isEmpty() && size() == 0) {
      out.append(header);
    }
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    Map<String, Integer> written = new HashMap<>();
    for (Change<Fields> change : batch) {
      if (!(change instanceof Change.Upsert<Fields> upsert)) {
        outcomes.add(Outcome.rejected(change.key(), null, name + " is appended to; it cannot delete records"));
        continue;
      }
      int hash = contentHash(upsert.record().payload());
      Integer held = index.get(change.key());
      if (held != null && held == hash) {
        outcomes.add(Outcome.unchanged(change.key()));
        continue;
      }
      out.append(line.apply(upsert.record()));
      written.put(change.key(), hash);
      outcomes.add(held == null ? Outcome.created(change.key()) : Outcome.updated(change.key()));
    }
    append(out.toString());
    index.putAll(written);
    return outcomes;
  }

  /** The records held for {@code keys}, by one pass over the file; the last line of a key wins. */
  Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    Set<String> wanted = new HashSet<>(keys);
    Map<String, Envelope<Fields>> found = new HashMap<>();
    try (Cursor<Fields> cursor = reader.get()) {
      while (cursor.hasNext()) {
        try {
          Envelope<Fields> r = cursor.next();
          if (wanted.contains(r.key())) {
            found.put(r.key(), r);
          }
        } catch (DataException unreadable) {
          // an unreadable line holds no record to find
        }
      }
    }
    return found;
  }

  private Map<String, Integer> load() {
    Map<String, Integer> keys = new HashMap<>();
    try (Cursor<Fields> cursor = reader.get()) {
      while (cursor.hasNext()) {
        try {
          Envelope<Fields> r = cursor.next();
          keys.put(r.key(), contentHash(r.payload()));
        } catch (DataException unreadable) {
          // an unreadable line holds no record to index
        }
      }
    }
    return keys;
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

  private long size() {
    try {
      return java.nio.file.Files.exists(file) ? java.nio.file.Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
