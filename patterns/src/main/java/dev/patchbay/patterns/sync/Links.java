package dev.patchbay.patterns.sync;

import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A sync's links and position in its {@link NamedState}: a link is an entry of the space
 * {@code links}, keyed by its A key, aliased by its B key, tagged with its state and holding its
 * origin and base; the position is the progress's positions and keys to revisit of endpoints
 * {@code a} and {@code b}.
 */
final class Links {

  /**
   * A link as its entry: keyed by its A key, aliased by its B key, tagged with its state, holding
   * its origin and base; an {@code UNLINKED} entry is a tombstone no read finds.
   */
  static final EntryCodec<Link> CODEC = new EntryCodec<>() {
    @Override
    public String space() {
      return "links";
    }

    @Override
    public Entry encode(String aKey, Link l) {
      return new Entry(space(), aKey, l.bKey(), l.state().name(),
          Fields.ofNullable("origin", l.origin() == null ? null : l.origin().name(), "base", l.base()));
    }

    @Override
    public Link decode(Entry e) {
      if (UNLINKED.equals(e.tag())) {
        return null;
      }
      Object origin = e.value().get("origin");
      return new Link(e.key(), e.alias(), (Fields) e.value().get("base"), Link.State.valueOf(e.tag()),
          origin == null ? null : Side.valueOf((String) origin));
    }
  };
  private static final String A = "a";
  private static final String B = "b";
  /** The tag of an entry whose pair was forgotten ({@link BidirectionalSync#unlink}): no read finds it. */
  private static final String UNLINKED = "UNLINKED";

  private final NamedState state;
  private long sequence;
  private SyncPosition position;

  Links(NamedState state, Consumer<String> warnings) {
    this.state = state;
    Progress saved = state.progress(warnings).orElse(null);
    this.sequence = saved == null ? 0 : saved.sequence();
    this.position = saved == null ? SyncPosition.start()
        : new SyncPosition(saved.position(A), saved.position(B), saved.revisit(A), saved.revisit(B));
  }

  /** The position saved last; {@link SyncPosition#start()} before the first save. */
  SyncPosition position() {
    return position;
  }

  /** The links of these side A keys, by A key; keys with no link are absent. */
  Map<String, Link> byA(Collection<String> aKeys) {
    return CODEC.read(state, aKeys);
  }

  /** The links of these side B keys, by B key; keys with no link are absent. */
  Map<String, Link> byB(Collection<String> bKeys) {
    return CODEC.readByAlias(state, bKeys);
  }

  /** How many pairs are {@link Link.State#LINKED}: the size a mass delete is measured against. */
  long linkedCount() {
    return state.count(CODEC.space(), Link.State.LINKED.name());
  }

  /** Stores {@code links} (replacing those with the same A key) and {@code next}, together. */
  void save(Collection<Link> links, SyncPosition next) {
    List<Entry> entries = new ArrayList<>(links.size());
    for (Link l : links) {
      entries.add(CODEC.encode(l.aKey(), l));
    }
    saveEntries(entries, next);
  }

  private void saveEntries(List<Entry> entries, SyncPosition next) {
    Progress progress = Progress.numbered(sequence + 1, Instant.now()).at(A, next.a()).at(B, next.b())
        .revisiting(Map.of(A, next.againA(), B, next.againB()));
    state.save(progress, entries);
    sequence++;
    position = next;
  }

  /** Adds these keys to those the next round revisits, saving nothing else. */
  void revisit(Collection<String> aKeys, Collection<String> bKeys) {
    Set<String> againA = new LinkedHashSet<>(position.againA());
    againA.addAll(aKeys);
    Set<String> againB = new LinkedHashSet<>(position.againB());
    againB.addAll(bKeys);
    save(List.of(), new SyncPosition(position.a(), position.b(), againA, againB));
  }

  /** Replaces the links of these A keys by entries no read finds (their B keys freed), saving nothing else. */
  void unlink(Collection<String> aKeys) {
    List<Entry> gone = new ArrayList<>();
    for (String aKey : byA(aKeys).keySet()) {
      gone.add(new Entry(CODEC.space(), aKey, null, UNLINKED, Fields.of()));
    }
    if (!gone.isEmpty()) {
      saveEntries(gone, position);
    }
  }
}
