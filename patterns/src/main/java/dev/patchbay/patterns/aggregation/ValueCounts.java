package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongBiFunction;

/**
 * How many kept records of all inputs hold each value of a field whose rule counts values
 * ({@link Survivorship#mostFrequent()}: a typo is rarer than the name it mistypes). Kept in the
 * state, one entry per field and value, changed with the batch that changes the members.
 */
final class ValueCounts {

  static final String SPACE = "count";
  /** Values longer than this are kept under a digest of their text. */
  private static final int LONGEST_KEPT = 100;

  private final Merger merger;
  private final Map<String, Long> deltas = new LinkedHashMap<>();

  ValueCounts(Merger merger) {
    this.merger = merger;
  }

  /** {@code member}'s values leave the counts ({@code sign} -1) or join them (+1). */
  void add(Member member, int sign) {
    if (member == null) {
      return;
    }
    Fields values = member.values();
    for (String field : values.names()) {
      if (merger.counts(field)) {
        deltas.merge(key(field, values.get(field)), (long) sign, Long::sum);
      }
    }
  }

  /** The entries that apply the changes added, read from {@code state} and changed. */
  List<Entry> entries(NamedState state) {
    Map<String, Long> now = load(state, deltas.keySet());
    List<Entry> entries = new java.util.ArrayList<>();
    deltas.forEach((k, d) -> {
      if (d != 0) {
        entries.add(new Entry(SPACE, k, null, null, Fields.of("n", Math.max(0, now.getOrDefault(k, 0L) + d))));
      }
    });
    return entries;
  }

  /** The counts of the values {@code entities}' members hold in counted fields, as the merger asks them. */
  static ToLongBiFunction<String, Object> of(Merger merger, NamedState state, Collection<Entity> entities) {
    Set<String> keys = new LinkedHashSet<>();
    for (Entity e : entities) {
      for (Member m : e.memberList()) {
        for (String field : m.values().names()) {
          if (merger.counts(field)) {
            keys.add(key(field, m.values().get(field)));
          }
        }
      }
    }
    if (keys.isEmpty()) {
      return (f, v) -> 0;
    }
    Map<String, Long> counts = load(state, keys);
    return (f, v) -> counts.getOrDefault(key(f, v), 0L);
  }

  private static Map<String, Long> load(NamedState state, Collection<String> keys) {
    Map<String, Long> counts = new HashMap<>();
    if (!keys.isEmpty()) {
      state.entries(SPACE, keys).forEach((k, e) -> counts.put(k, (Long) e.value().get("n")));
    }
    return counts;
  }

  /** A field's value as a count's key: its text, or a digest of a long one. */
  static String key(String field, Object value) {
    String text = String.valueOf(value);
    if (text.length() > LONGEST_KEPT) {
      text = "#" + Golden.sha256(text);
    }
    return field + "=" + text;
  }
}
