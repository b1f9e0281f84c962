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

  /**
   * The entries that apply the changes added, read from {@code state} and changed; the entities
   * whose golden record weighed a value whose count changed (their {@link #TIED} entry) are added
   * to {@code touched}: made again, so that an incremental run ends as a full one.
   */
  List<Entry> entries(NamedState state, Set<String> touched) {
    Map<String, Long> now = load(state, deltas.keySet());
    List<Entry> entries = new java.util.ArrayList<>();
    List<String> changed = new java.util.ArrayList<>();
    deltas.forEach((k, d) -> {
      if (d != 0) {
        entries.add(new Entry(SPACE, k, null, null, Fields.of("n", Math.max(0, now.getOrDefault(k, 0L) + d))));
        changed.add(k);
      }
    });
    if (!changed.isEmpty()) {
      state.entries(TIED, changed).values().forEach(e -> touched.addAll(Keys.split((String) e.value().get("keys"))));
    }
    return entries;
  }

  /** Space of the entities whose golden record weighs a value's count: a value's key to their keys. */
  static final String TIED = "tied";

  /**
   * The entries that file {@code entities} under the values their golden records weigh by count
   * (a counted field holding two or more values among the members), each added to what was filed
   * before: an entity filed stays filed (made again needlessly at worst, never stale).
   */
  static List<Entry> tied(Merger merger, NamedState state, Collection<Entity> entities) {
    Map<String, Set<String>> filed = new LinkedHashMap<>();
    for (Entity e : entities) {
      Map<String, Set<String>> valuesOf = new LinkedHashMap<>();
      for (Member m : e.memberList()) {
        for (String field : m.values().names()) {
          if (merger.counts(field)) {
            valuesOf.computeIfAbsent(field, f -> new LinkedHashSet<>()).add(key(field, m.values().get(field)));
          }
        }
      }
      valuesOf.values().stream().filter(v -> v.size() > 1).forEach(v -> v.forEach(k ->
          filed.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(e.key())));
    }
    if (filed.isEmpty()) {
      return List.of();
    }
    List<Entry> entries = new java.util.ArrayList<>();
    Map<String, Entry> before = state.entries(TIED, filed.keySet());
    filed.forEach((k, keys) -> {
      Set<String> all = new LinkedHashSet<>();
      Entry was = before.get(k);
      if (was != null) {
        all.addAll(Keys.split((String) was.value().get("keys")));
      }
      if (all.addAll(keys)) {
        entries.add(new Entry(TIED, k, null, null, Fields.of("keys", Keys.join(all))));
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
