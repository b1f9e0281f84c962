package dev.patchbay.core.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;
import java.util.zip.CRC32C;

/**
 * A file of JSON lines, each appended whole and forced to disk, each behind its CRC-32C checksum
 * ({@code 1a2b3c4d {...}}). Reading it back drops a last line that a crash cut short (and truncates
 * the file there), so an append is there whole or not at all; a damaged line before others is
 * corruption, and an error. Lines without a checksum (files of earlier versions) are read as JSON.
 */
public final class JournalFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JournalFile() {
  }

  /**
   * Hands every whole line of {@code file}, in order, to {@code line}; nothing where the file is
   * absent. A last line that a crash cut short is dropped (the file is truncated there) and
   * {@code torn} is told where; a bad line with whole lines after it is corruption, not a crash.
   *
   * @throws IllegalStateException naming the file and line, where a line before the last is not JSON
   */
  public static void replay(Path file, Consumer<JsonNode> line, Consumer<String> torn) {
    if (!Files.exists(file)) {
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    int start = 0;
    int number = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      number++;
      JsonNode node = parse(bytes, start, i);
      if (node == null) {
        if (i + 1 < bytes.length) {
          throw new IllegalStateException(file + " is corrupt at line " + number + " (checksum or JSON), with "
              + (bytes.length - i - 1) + " bytes after it: not a save cut short by a crash");
        }
        break;
      }
      line.accept(node);
      start = i + 1;
    }
    if (start < bytes.length) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(start);
        channel.force(true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot drop the torn last line of " + file, e);
      }
      torn.accept("the last " + (bytes.length - start) + " bytes of " + file + " were a write cut short by a crash;"
          + " dropped, as the write never completed");
    }
  }

  /** The line from {@code start} to {@code end} (its newline), checked and parsed; null where damaged. */
  private static JsonNode parse(byte[] bytes, int start, int end) {
    int json = start;
    if (end - start > 9 && bytes[start] != '{' && bytes[start + 8] == ' ') {
      CRC32C crc = new CRC32C();
      crc.update(bytes, start + 9, end - start - 9);
      if (!String.format("%08x", crc.getValue()).equals(new String(bytes, start, 8, StandardCharsets.US_ASCII))) {
        return null;
      }
      json = start + 9;
    }
    try {
      return JSON.readTree(new String(bytes, json, end - json, StandardCharsets.UTF_8));
    } catch (JsonProcessingException e) {
      return null;
    }
  }

  /** {@code node} as one line of the journal: its checksum, the JSON, a newline. */
  public static byte[] line(JsonNode node) {
    return line(node.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** As {@link #line(JsonNode)}, for JSON already written (one object, UTF-8, no line break). */
  public static byte[] line(byte[] json) {
    CRC32C crc = new CRC32C();
    crc.update(json);
    byte[] line = new byte[json.length + 10];
    System.arraycopy(String.format("%08x ", crc.getValue()).getBytes(StandardCharsets.US_ASCII), 0, line, 0, 9);
    System.arraycopy(json, 0, line, 9, json.length);
    line[line.length - 1] = '\n';
    return line;
  }

  /**
   * Replaces {@code file} with {@code lines} in one atomic step: written to a temporary file,
   * forced to disk, renamed over it, and the directory forced.
   */
  public static void rewrite(Path file, byte[] lines) {
    Path temp = file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(lines);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        channel.force(true);
      }
      Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file, e);
    }
    try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
      dir.force(true);
    } catch (IOException e) {
      // some platforms cannot open a directory to force it; the rename is atomic there still
    }
  }

  /** Appends {@code lines} (whole {@link #line}s) to {@code file}, created if absent, and forces them to disk. */
  public static void append(Path file, byte[] lines) {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(lines);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
  }
}
