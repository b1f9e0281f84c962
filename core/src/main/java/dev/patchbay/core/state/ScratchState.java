package dev.patchbay.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A state read through to another, whose saves stay in memory: what a dry run saves, so that it
 * decides as a run would (a later batch sees the links an earlier one made) and nothing is kept.
 */
final class ScratchState implements NamedState {

  private final NamedState under;
  private final EntryTable saved = new EntryTable();
  /** Per space, the keys saved here, and how many of them carried each tag underneath. */
  private final Map<String, Set<String>> replaced = new HashMap<>();
  private final Map<String, Map<String, Long>> replacedTags = new HashMap<>();
  private boolean cleared;

  ScratchState(NamedState under) {
    this.under = under;
  }

  @Override
  public String name() {
    return under.name();
  }

  @Override
  public Optional<Progress> progress(Consumer<String> warnings) {
    if (saved.progress() != null) {
      return Optional.of(saved.progress());
    }
    return cleared ? Optional.empty() : under.progress(warnings);
  }

  @Override
  public Map<String, Entry> entries(String space, Collection<String> keys) {
    Map<String, Entry> found = new HashMap<>(cleared ? Map.of() : under.entries(space, keys));
    found.keySet().removeAll(replaced.getOrDefault(space, Set.of()));
    found.putAll(saved.entries(space, keys));
    return found;
  }

  @Override
  public Map<String, Entry> entriesByAlias(String space, Collection<String> aliases) {
    Map<String, Entry> found = new HashMap<>();
    if (!cleared) {
      Set<String> mine = replaced.getOrDefault(space, Set.of());
      under.entriesByAlias(space, aliases).forEach((alias, e) -> {
        if (!mine.contains(e.key())) {
          found.put(alias, e);
        }
      });
    }
    found.putAll(saved.entriesByAlias(space, aliases));
    return found;
  }

  @Override
  public long count(String space, String tag) {
    long underneath = cleared ? 0 : under.count(space, tag) - replacedTags.getOrDefault(space, Map.of()).getOrDefault(tag, 0L);
    return underneath + saved.count(space, tag);
  }

  @Override
  public void save(Progress progress, Collection<Entry> entries) {
    Collection<Entry> checked = saved.checked(entries);
    Map<String, List<String>> fresh = new HashMap<>();
    for (Entry e : checked) {
      if (replaced.computeIfAbsent(e.space(), k -> new HashSet<>()).add(e.key())) {
        fresh.computeIfAbsent(e.space(), k -> new ArrayList<>()).add(e.key());
      }
    }
    if (!cleared) {
      fresh.forEach((space, keys) -> under.entries(space, keys).values().forEach(old -> {
        if (old.tag() != null) {
          replacedTags.computeIfAbsent(space, k -> new HashMap<>()).merge(old.tag(), 1L, Long::sum);
        }
      }));
    }
    saved.apply(progress, checked);
  }

  @Override
  public void check() {
    under.check();
  }

  @Override
  public void clear() {
    cleared = true;
    saved.clear();
    replaced.clear();
    replacedTags.clear();
  }

  /** Lets go of nothing: the state underneath is the run's, closed by whoever opened it. */
  @Override
  public void close() {
  }
}
