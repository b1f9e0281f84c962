package dev.patchbay.core.checkpoint;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Progress;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * Two slot files per name ({@code NAME.a.ckpt}, {@code NAME.b.ckpt}); a save of sequence n goes to
 * slot n mod 2, so the other slot always holds the previous good save. Each file is a header line
 * {@code patchbay-checkpoint 1 <crc32c> <length>} followed by the progress as JSON.
 */
final class FileCheckpointStore implements CheckpointStore {

  private static final String MAGIC = "patchbay-checkpoint 1";

  private final Path directory;

  FileCheckpointStore(Path directory) {
    this.directory = Objects.requireNonNull(directory, "directory");
  }

  @Override
  public synchronized Optional<Progress> load(String name, Consumer<String> warnings) {
    List<Progress> good = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (Path slot : slots(name)) {
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(slot);
      } catch (NoSuchFileException e) {
        continue;
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read checkpoint file " + slot, e);
      }
      try {
        good.add(decode(bytes));
      } catch (IllegalArgumentException e) {
        bad.add(slot + " is unreadable (" + e.getMessage() + ")");
      }
    }
    Optional<Progress> newest = good.stream().max(Comparator.comparingLong(Progress::sequence));
    if (!bad.isEmpty()) {
      if (newest.isEmpty()) {
        throw new SetupException("Checkpoint '" + name + "' has no good checkpoint: "
            + String.join("; ", bad) + ". Delete the files to start the run from the beginning.");
      }
      for (String problem : bad) {
        warnings.accept("checkpoint file " + problem + "; resuming from the good checkpoint #"
            + newest.get().sequence() + " saved at " + newest.get().savedAt());
      }
    }
    return newest;
  }

  /**
   * An exclusive OS lock on {@code NAME.lock}: refused where another process holds it, or another
   * run in this process (the JVM keeps one lock per file).
   */
  @Override
  public Lock lock(String name) {
    Path file = directory.resolve(fileName(Objects.requireNonNull(name, "name")) + ".lock");
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
        throw new SetupException("Checkpoint '" + name + "' is held by another run: " + file + " is locked. One run per"
            + " name at a time; wait for it to end (its lock goes with its process)");
      }
      FileChannel held = channel;
      FileLock taken = lock;
      return () -> {
        try (held) {
          taken.release();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot release " + file, e);
        }
      };
    } catch (IOException e) {
      if (channel != null) {
        try {
          channel.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
      }
      throw new SetupException("Checkpoint '" + name + "': cannot lock " + file + " (" + e.getClass().getSimpleName() + ")", e);
    }
  }

  @Override
  public synchronized void save(String name, Progress progress) {
    Path target = slots(name).get((int) Math.floorMod(progress.sequence(), 2L));
    // Unique per writer: two writers never share a temporary file, even where a lock was not taken.
    Path temp = target.resolveSibling(target.getFileName() + "." + ProcessHandle.current().pid() + "-"
        + Thread.currentThread().getId() + "-" + System.nanoTime() + ".tmp");
    try {
      Files.createDirectories(directory);
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE,
          StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(encode(progress));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      forceDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot save checkpoint '" + name + "' to " + target, e);
    }
  }

  @Override
  public synchronized void clear(String name) {
    try {
      for (Path slot : slots(name)) {
        Files.deleteIfExists(slot);
        try (DirectoryStream<Path> temps = Files.newDirectoryStream(directory, slot.getFileName() + ".*.tmp")) {
          for (Path temp : temps) {
            Files.deleteIfExists(temp);
          }
        } catch (NoSuchFileException e) {
          // no directory: nothing to clear
        }
      }
      forceDirectory();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot clear checkpoint '" + name + "' in " + directory, e);
    }
  }

  private List<Path> slots(String name) {
    String file = fileName(Objects.requireNonNull(name, "name"));
    return List.of(directory.resolve(file + ".a.ckpt"), directory.resolve(file + ".b.ckpt"));
  }

  /** {@code text} with the glob's special characters escaped. */
  private static String glob(String text) {
    return text.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
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

  static byte[] encode(Progress progress) {
    byte[] body = progress.toJson().getBytes(StandardCharsets.UTF_8);
    CRC32C crc = new CRC32C();
    crc.update(body);
    byte[] header = String.format("%s %08x %d%n", MAGIC, crc.getValue(), body.length)
        .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[header.length + body.length];
    System.arraycopy(header, 0, all, 0, header.length);
    System.arraycopy(body, 0, all, header.length, body.length);
    return all;
  }

  static Progress decode(byte[] bytes) {
    int newline = -1;
    for (int i = 0; i < bytes.length && i < 128; i++) {
      if (bytes[i] == '\n') {
        newline = i;
        break;
      }
    }
    if (newline < 0) {
      throw new IllegalArgumentException("no header line");
    }
    String[] header = new String(bytes, 0, newline, StandardCharsets.US_ASCII).trim().split(" ");
    if (header.length != 4 || !(header[0] + " " + header[1]).equals(MAGIC)) {
      throw new IllegalArgumentException("not a Patchbay checkpoint header");
    }
    long expectedCrc;
    int length;
    try {
      expectedCrc = Long.parseLong(header[2], 16);
      length = Integer.parseInt(header[3]);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("header has no valid checksum and length");
    }
    int bodyStart = newline + 1;
    if (bytes.length - bodyStart != length) {
      throw new IllegalArgumentException("torn: " + (bytes.length - bodyStart)
          + " bytes of body where the header says " + length);
    }
    CRC32C crc = new CRC32C();
    crc.update(bytes, bodyStart, length);
    if (crc.getValue() != expectedCrc) {
      throw new IllegalArgumentException("checksum mismatch");
    }
    return Progress.fromJson(new String(bytes, bodyStart, length, StandardCharsets.UTF_8));
  }

  private void forceDirectory() {
    try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // Some platforms cannot open a directory for fsync; the rename is still atomic there.
    }
  }

  @Override
  public String toString() {
    return "CheckpointStore[" + directory + "]";
  }
}
