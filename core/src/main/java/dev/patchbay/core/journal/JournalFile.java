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
import java.nio.file.StandardOpenOption;
import java.util.function.Consumer;

/**
 * A file of JSON lines, each appended whole and forced to disk. Reading it back drops a last line
 * that a crash cut short (and truncates the file there), so an append is there whole or not at all.
 */
public final class JournalFile {
  private static final ObjectMapper JSON = new ObjectMapper();

  private JournalFile() {
  }

  /** Hands every whole line of {@code file}, in order, to {@code line}; nothing where the file is absent. */
  public static void replay(Path file, Consumer<JsonNode> line) {
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
    int good = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      JsonNode node;
      try {
        node = JSON.readTree(new String(bytes, start, i - start, StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        break;
      }
      line.accept(node);
      start = i + 1;
      good = start;
    }
    if (good < bytes.length) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(good);
        channel.force(true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot drop the torn last line of " + file, e);
      }
    }
  }

  /** Appends {@code lines} (whole lines, each ending in a newline) to {@code file}, created if absent, and forces them to disk. */
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
