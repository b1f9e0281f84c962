package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Keys an aggregation must be able to list, kept in chunks of at most {@value #CHUNK}: a state store
 * reads by key and lists nothing. Each input read whole has one of its member ids, so that a run that
 * read it to its end can find the records no longer there; {@link #ENTITIES} lists every merge key
 * ever minted, for reports. The head entry (the list's name) holds how many chunks there are.
 */
final class Roster {

  static final String SPACE = "roster";
  static final int CHUNK = 1000;
  /** The list of every entity's merge key: no input's name (those hold no '*'). */
  static final String ENTITIES = "*entities";

  private Roster() {
  }

  static long chunks(NamedState state, String input) {
    Entry head = state.entries(SPACE, List.of(input)).get(input);
    return head == null ? 0 : (Long) head.value().get("chunks");
  }

  static Set<String> chunk(NamedState state, String input, long i) {
    Entry e = state.entries(SPACE, List.of(chunkKey(input, i))).get(chunkKey(input, i));
    return e == null ? new LinkedHashSet<>() : new LinkedHashSet<>(Keys.split((String) e.value().get("ids")));
  }

  /** The entries that add {@code ids} (new to the input) to its roster. */
  static List<Entry> append(NamedState state, String input, Collection<String> ids) {
    if (ids.isEmpty()) {
      return List.of();
    }
    long chunks = chunks(state, input);
    long at = Math.max(0, chunks - 1);
    Set<String> last = chunks == 0 ? new LinkedHashSet<>() : chunk(state, input, at);
    List<Entry> entries = new ArrayList<>();
    for (String id : ids) {
      if (last.size() >= CHUNK) {
        entries.add(chunkEntry(input, at, last));
        at++;
        last = new LinkedHashSet<>();
      }
      last.add(id);
    }
    entries.add(chunkEntry(input, at, last));
    entries.add(new Entry(SPACE, input, null, null, Fields.of("chunks", Math.max(chunks, at + 1))));
    return entries;
  }

  static Entry chunkEntry(String input, long i, Set<String> ids) {
    return new Entry(SPACE, chunkKey(input, i), null, null, Fields.of("ids", Keys.join(ids)));
  }

  private static String chunkKey(String input, long i) {
    return input + "/" + i;
  }
}
