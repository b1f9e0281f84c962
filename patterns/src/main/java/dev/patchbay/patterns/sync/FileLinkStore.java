package dev.patchbay.patterns.sync;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.journal.JournalFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * {@link LinkStore#file}: every save is one {@link JournalFile} line (its links and the position),
 * replayed into memory on opening; a save is there whole or not at all.
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
    JournalFile.replay(file, line -> {
      List<Link> links = new ArrayList<>();
      line.get("links").forEach(l -> links.add(new Link(l.get("a").asText(), l.get("b").asText(),
          LinkCodec.base(l.hasNonNull("base") ? l.get("base").asText() : null), Link.State.valueOf(l.get("state").asText()),
          l.hasNonNull("origin") ? Side.valueOf(l.get("origin").asText()) : null)));
      memory.save(links, LinkCodec.position(line.get("position").asText()));
    });
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
    JournalFile.append(file, (line + "\n").getBytes(StandardCharsets.UTF_8));
    memory.save(links, position);
  }

  @Override
  public String toString() {
    return "LinkStore.file(" + file + ")";
  }
}
