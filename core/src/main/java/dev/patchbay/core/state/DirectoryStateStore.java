package dev.patchbay.core.state;

import dev.patchbay.core.codec.TypedJson;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.journal.JournalFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * {@link StateStore#directory}: each name's saves are {@link JournalFile} lines of {@code NAME.state}
 * (a line a save: its entries and the progress), replayed into an {@link EntryTable} when a run
 * opens the name, under an OS lock on {@code NAME.lock}.
 */
final class DirectoryStateStore implements StateStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  /** A file is rewritten compactly once it holds this many times what it did after the last rewrite (and 1 MiB). */
  private static final int GROWTH = 4;
  private static final long LEAST_REWRITE = 1 << 20;
  private static final int ENTRIES_PER_LINE = 10_000;

  private final Path directory;

  DirectoryStateStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @Override
  public NamedState open(String name) {
    String file = fileName(Objects.requireNonNull(name, "name"));
    Lock lock = Lock.take(directory, name, directory.resolve(file + ".lock"));
    try {
      return new Held(name, directory.resolve(file + ".state"), lock);
    } catch (RuntimeException e) {
      lock.release();
      throw e;
    }
  }

  /** An exclusive OS lock on a file: refused where another process holds it, or another run in this process. */
  private record Lock(FileChannel channel, FileLock lock, Path file) {

    static Lock take(Path directory, String name, Path file) {
      FileChannel channel = null;
      try {
        Files.createDirectories(directory);
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
          lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
          lock = null;
        }
        if (lock == null) {
          channel.close();
          throw new SetupException("State '" + name + "' is held by another run: " + file + " is locked. One run per"
              + " name at a time; wait for it to end (its lock goes with its process)");
        }
        return new Lock(channel, lock, file);
      } catch (IOException e) {
        if (channel != null) {
          try {
            channel.close();
          } catch (IOException suppressed) {
            e.addSuppressed(suppressed);
          }
        }
        throw new SetupException("State '" + name + "': cannot lock " + file + " (" + e.getClass().getSimpleName() + ")", e);
      }
    }

    void release() {
      try (channel) {
        lock.release();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot release " + file, e);
      }
    }
  }

  private static final class Held implements NamedState {
    private final String name;
    private final Path file;
    private final Lock lock;
    private final EntryTable table = new EntryTable();
    private final List<String> warnings = new ArrayList<>();
    private long bytes;
    private long rewriteAt;
    private boolean closed;

    Held(String name, Path file, Lock lock) {
      this.name = name;
      this.file = file;
      this.lock = lock;
      try {
        JournalFile.replay(file, this::replay, warnings::add);
        bytes = Files.exists(file) ? Files.size(file) : 0;
      } catch (IllegalStateException | IllegalArgumentException e) {
        throw new SetupException("State '" + name + "' cannot be read: " + e.getMessage()
            + ". Move the file aside to start from nothing", e);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + file, e);
      }
      rewriteAt = Math.max(LEAST_REWRITE, GROWTH * bytes);
    }

    private void replay(JsonNode line) {
      List<Entry> entries = new ArrayList<>();
      JsonNode e = line.get("e");
      if (e != null) {
        for (JsonNode x : e) {
          entries.add(new Entry(x.get(0).asText(), x.get(1).asText(), x.get(2).isNull() ? null : x.get(2).asText(),
              x.get(3).isNull() ? null : x.get(3).asText(), TypedJson.read(x.get(4).asText())));
        }
      }
      JsonNode p = line.get("p");
      table.apply(p == null ? table.progress() : Progress.fromJson(p.asText()), entries);
    }

    @Override
    public String name() {
      return name;
    }

    /** An OS file lock is lost only with its channel (or its process): checked, never taken again. */
    @Override
    public synchronized void check() {
      open();
      if (!lock.lock().isValid()) {
        throw new dev.patchbay.core.HoldLostException("State '" + name + "': the lock on " + lock.file()
            + " is no longer held; this run must stop");
      }
    }

    @Override
    public synchronized Optional<Progress> progress(Consumer<String> told) {
      open();
      warnings.forEach(told);
      return Optional.ofNullable(table.progress());
    }

    @Override
    public synchronized Map<String, Entry> entries(String space, Collection<String> keys) {
      open();
      return table.entries(space, keys);
    }

    @Override
    public synchronized Map<String, Entry> entriesByAlias(String space, Collection<String> aliases) {
      open();
      return table.entriesByAlias(space, aliases);
    }

    @Override
    public synchronized long count(String space, String tag) {
      open();
      return table.count(space, tag);
    }

    @Override
    public synchronized void save(Progress progress, Collection<Entry> entries) {
      Objects.requireNonNull(progress, "progress");
      open();
      Collection<Entry> checked = table.checked(entries);
      byte[] line = line(progress, checked);
      JournalFile.append(file, line);   // the directory was made when the run took its lock
      table.apply(progress, checked);
      bytes += line.length;
      if (bytes > rewriteAt) {
        rewrite();
      }
    }

    /** Rewrites the file as what it holds: a line a few thousand entries, the progress on the last. */
    private void rewrite() {
      List<Entry> all = table.all();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int from = 0; from < all.size() || from == 0; from += ENTRIES_PER_LINE) {
        List<Entry> part = all.subList(Math.min(from, all.size()), Math.min(from + ENTRIES_PER_LINE, all.size()));
        boolean last = from + ENTRIES_PER_LINE >= all.size();
        out.writeBytes(line(last ? table.progress() : null, part));
      }
      byte[] compact = out.toByteArray();
      JournalFile.rewrite(file, compact);
      bytes = compact.length;
      rewriteAt = Math.max(LEAST_REWRITE, GROWTH * bytes);
    }

    /** One save as a journal line: {@code {"e":[[space, key, alias, tag, value], ...], "p": progress}}, streamed. */
    private static byte[] line(Progress progress, Collection<Entry> entries) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 64 * entries.size());
      try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
        g.writeStartObject();
        g.writeArrayFieldStart("e");
        for (Entry x : entries) {
          g.writeStartArray();
          g.writeString(x.space());
          g.writeString(x.key());
          g.writeString(x.alias());
          g.writeString(x.tag());
          g.writeString(TypedJson.write(x.value()));
          g.writeEndArray();
        }
        g.writeEndArray();
        if (progress != null) {
          g.writeStringField("p", progress.toJson());
        }
        g.writeEndObject();
      } catch (IOException e) {
        throw new UncheckedIOException(e);   // a byte array does not fail
      }
      return JournalFile.line(out.toByteArray());
    }

    @Override
    public synchronized void clear() {
      open();
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear state '" + name + "': " + file, e);
      }
      table.clear();
      bytes = 0;
      rewriteAt = LEAST_REWRITE;
    }

    @Override
    public synchronized void close() {
      if (!closed) {
        closed = true;
        lock.release();
      }
    }

    private void open() {
      if (closed) {
        throw new IllegalStateException("state '" + name + "' was closed");
      }
    }
  }

  /** Keeps letters, digits, '.', '_' and '-'; every other byte of the UTF-8 name becomes %XX. */
  static String fileName(String name) {
    StringBuilder s = new StringBuilder();
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '_' || c == '-' || (c == '.' && s.length() > 0)) {
        s.append(c);
      } else {
        s.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return s.toString();
  }

  @Override
  public String toString() {
    return "StateStore.directory(" + directory + ")";
  }
}
