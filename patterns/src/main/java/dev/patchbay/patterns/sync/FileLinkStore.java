package dev.patchbay.patterns.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import java.util.List;
import java.util.Map;

/**
 * {@link LinkStore#file}: every save is one line appended to a file and forced to disk (its links
 * and the position), replayed into memory on opening. A line torn by a crash is dropped on
 * opening, so a save is there whole or not at all.
 */
final class FileLinkStore implements LinkStore {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final InMemoryLinkStore memory = new InMemoryLinkStore();

  FileLinkStore(Path file) {
    this.file = file;
    replay();
  }

  private void replay() {
    if (!Files.exists(file)) {
      return;
    }
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read link file " + file, e);
    }
    int start = 0;
    int good = 0;
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != '\n') {
        continue;
      }
      JsonNode line;
      try {
        line = JSON.readTree(new String(bytes, start, i - start, StandardCharsets.UTF_8));
      } catch (JsonProcessingException e) {
        break;
      }
      List<Link> links = new ArrayList<>();
      line.get("links").forEach(l -> links.add(new Link(l.get("a").asText(), l.get("b").asText(),
          LinkCodec.base(l.hasNonNull("base") ? l.get("base").asText() : null), Link.State.valueOf(l.get("state").asText()),
          l.hasNonNull("origin") ? Side.valueOf(l.get("origin").asText()) : null)));
      memory.save(links, LinkCodec.position(line.get("position").asText()));
      start = i + 1;
      good = start;
    }
    if (good < bytes.length) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.truncate(good);
        channel.force(true);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot drop the torn last line of link file " + file, e);
      }
    }
  }

  @Override
  public SyncPosition position() {
    return memory.position();
  }

  @Override
  public Map<String, Link> byA(Collection<String> aKeys) {
    return memory.byA(aKeys);
  }

  @Override
  public Map<String, Link> byB(Collection<String> bKeys) {
    return memory.byB(bKeys);
  }

  @Override
  public long linkedCount() {
    return memory.linkedCount();
  }

  @Override
  public synchronized void save(Collection<Link> links, SyncPosition position) {
    ObjectNode line = JSON.createObjectNode();
    ArrayNode array = line.putArray("links");
    for (Link l : links) {
      array.addObject().put("a", l.aKey()).put("b", l.bKey()).put("state", l.state().name())
          .put("origin", l.origin() == null ? null : l.origin().name()).put("base", LinkCodec.base(l.base()));
    }
    line.put("position", LinkCodec.position(position));
    byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.APPEND)) {
      ByteBuffer buffer = ByteBuffer.wrap(bytes);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to link file " + file, e);
    }
    memory.save(links, position);
  }

  @Override
  public String toString() {
    return "LinkStore.file(" + file + ")";
  }
}
