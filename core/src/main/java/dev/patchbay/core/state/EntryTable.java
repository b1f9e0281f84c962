package dev.patchbay.core.state;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One name's progress and entries in memory, by key and by alias: what the in-memory and directory stores hold. */
final class EntryTable {

  private static final class Space {
    final Map<String, Entry> byKey = new HashMap<>();
    final Map<String, String> keyByAlias = new HashMap<>();
    final Map<String, Long> tags = new HashMap<>();
  }

  private final Map<String, Space> spaces = new HashMap<>();
  private Progress progress;

  Progress progress() {
    return progress;
  }

  Map<String, Entry> entries(String space, Collection<String> keys) {
    Space s = spaces.get(space);
    Map<String, Entry> found = new HashMap<>();
    if (s != null) {
      for (String key : keys) {
        Entry e = s.byKey.get(key);
        if (e != null) {
          found.put(key, e);
        }
      }
    }
    return found;
  }

  Map<String, Entry> entriesByAlias(String space, Collection<String> aliases) {
    Space s = spaces.get(space);
    Map<String, Entry> found = new HashMap<>();
    if (s != null) {
      for (String alias : aliases) {
        String key = s.keyByAlias.get(alias);
        if (key != null) {
          found.put(alias, s.byKey.get(key));
        }
      }
    }
    return found;
  }

  long count(String space, String tag) {
    Space s = spaces.get(space);
    return s == null ? 0 : s.tags.getOrDefault(tag, 0L);
  }

  /**
   * The entries a save would leave, the last of each key winning, after checking that no alias
   * would belong to two keys: two of the save's, or one of the save's and one held already by a
   * key the save leaves as it is (an alias moves freely between keys the save replaces).
   *
   * @throws IllegalArgumentException naming both entries, where one would
   */
  Collection<Entry> checked(Collection<Entry> entries) {
    Map<List<String>, Entry> last = new LinkedHashMap<>();
    for (Entry e : entries) {
      last.put(List.of(e.space(), e.key()), e);
    }
    Map<List<String>, String> aliasTo = new HashMap<>();
    for (Entry e : last.values()) {
      if (e.alias() == null) {
        continue;
      }
      String twin = aliasTo.put(List.of(e.space(), e.alias()), e.key());
      Space s = spaces.get(e.space());
      String holder = twin != null ? twin : s == null ? null : s.keyByAlias.get(e.alias());
      if (twin == null && holder != null && last.containsKey(List.of(e.space(), holder))) {
        holder = null;   // its holder is replaced in this save, and its new entry's alias is checked on its own
      }
      if (holder != null && !holder.equals(e.key())) {
        throw shared(e, holder);
      }
    }
    return last.values();
  }

  /** The refusal of a save where {@code e}'s alias is {@code other}'s already. */
  static IllegalArgumentException shared(Entry e, String other) {
    return new IllegalArgumentException("entries '" + other + "' and '" + e.key() + "' of space '" + e.space()
        + "' would share the alias '" + e.alias() + "'; nothing was saved");
  }

  /** Applies a save already {@link #checked}; a null progress keeps the one held. */
  void apply(Progress next, Collection<Entry> entries) {
    for (Entry e : entries) {
      Space s = spaces.computeIfAbsent(e.space(), k -> new Space());
      Entry old = s.byKey.put(e.key(), e);
      if (old != null) {
        if (old.alias() != null && e.key().equals(s.keyByAlias.get(old.alias()))) {
          s.keyByAlias.remove(old.alias());
        }
        if (old.tag() != null) {
          s.tags.merge(old.tag(), -1L, Long::sum);
        }
      }
      if (e.alias() != null) {
        s.keyByAlias.put(e.alias(), e.key());
      }
      if (e.tag() != null) {
        s.tags.merge(e.tag(), 1L, Long::sum);
      }
    }
    if (next != null) {
      progress = next;
    }
  }

  void clear() {
    spaces.clear();
    progress = null;
  }

  /** Every entry held, space by space. */
  List<Entry> all() {
    List<Entry> all = new ArrayList<>();
    spaces.values().forEach(s -> all.addAll(s.byKey.values()));
    return all;
  }

}
