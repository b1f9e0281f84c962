package dev.patchbay.core.state;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * How a pattern keeps values of one type in one space of its {@link NamedState}: each value as an
 * {@link Entry} (its fields named, not abbreviated), and back. Every entry a pattern saves goes
 * through a codec of its own, so that what it keeps is typed in its code and readable in the
 * store; a codec also reads what earlier versions of the library saved.
 *
 * <pre>{@code
 * EntryCodec<Held> held = Held.codec("keys");
 * Map<String, Held> byKey = held.read(state, keys);
 * state.save(progress, List.of(held.encode(key, next)));
 * }</pre>
 *
 * @param <V> the values kept
 */
public interface EntryCodec<V> {

  /** The space the entries live in. */
  String space();

  /** The entry that keeps {@code value} under {@code key}. */
  Entry encode(String key, V value);

  /**
   * The value {@code entry} keeps; null where the entry keeps none (a tombstone that leaves its
   * key and alias free), which reads skip.
   */
  V decode(Entry entry);

  /** The values kept under {@code keys}, by key; keys with none are absent. */
  default Map<String, V> read(NamedState state, Collection<String> keys) {
    return decoded(state.entries(space(), keys));
  }

  /** The values kept under these aliases, by alias; aliases with none are absent. */
  default Map<String, V> readByAlias(NamedState state, Collection<String> aliases) {
    return decoded(state.entriesByAlias(space(), aliases));
  }

  private Map<String, V> decoded(Map<String, Entry> entries) {
    Map<String, V> values = new HashMap<>(Math.max(4, entries.size() * 2));
    entries.forEach((k, e) -> {
      V v = decode(e);
      if (v != null) {
        values.put(k, v);
      }
    });
    return values;
  }
}
