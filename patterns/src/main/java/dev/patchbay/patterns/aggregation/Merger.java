package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import dev.patchbay.patterns.aggregation.GoldenRecord.Origin;
import dev.patchbay.patterns.aggregation.Survivorship.Candidate;
import dev.patchbay.patterns.aggregation.Survivorship.Survived;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ToLongBiFunction;

/**
 * The survivorship of an aggregation: its members' kept values, the rules and a person's overrides
 * to a golden record. A pure function: the members in any order give the same record.
 */
final class Merger {

  /** Fields that survive together, from one record, by {@code rule}. */
  record Group(String name, List<String> fields, Survivorship rule) {
  }

  private final List<String> sources;
  private final Map<String, Survivorship> rules;
  private final List<Group> groups;
  private final Map<String, Group> groupOf = new LinkedHashMap<>();
  private final Survivorship fallback;

  /** @param sources the source names in priority order: the tie-break's first criterion */
  Merger(List<String> sources, Map<String, Survivorship> rules, List<Group> groups, Survivorship fallback) {
    this.sources = List.copyOf(sources);
    this.rules = Map.copyOf(rules);
    this.groups = List.copyOf(groups);
    groups.forEach(g -> g.fields().forEach(f -> groupOf.put(f, g)));
    this.fallback = fallback;
  }

  /** The rule for {@code field}, for explanations. */
  Survivorship ruleOf(String field) {
    Group g = groupOf.get(field);
    return g != null ? g.rule() : rules.getOrDefault(field, fallback);
  }

  /**
   * The golden record of {@code members}, with {@code overrides} (field to value) over the rules.
   *
   * @throws dev.patchbay.core.DataException where a rule cannot compare a field's values
   */
  GoldenRecord merge(String id, String key, List<Member> members, Fields overrides, ToLongBiFunction<String, Object> counts) {
    List<Member> ordered = new ArrayList<>(members);
    ordered.sort(Comparator.<Member>comparingInt(m -> sources.indexOf(m.source())).thenComparing(Member::key)
        .thenComparing(Member::version, Comparator.reverseOrder()));
    Set<String> names = new LinkedHashSet<>();
    ordered.forEach(m -> names.addAll(m.values().names()));
    Map<String, Object> values = new LinkedHashMap<>();
    Map<String, List<Origin>> provenance = new LinkedHashMap<>();
    Set<Group> done = new LinkedHashSet<>();
    for (String field : names) {
      Group group = groupOf.get(field);
      if (group != null) {
        if (done.add(group)) {
          survive(group, ordered, values, provenance, counts);
        }
        continue;
      }
      Survivorship rule = rules.getOrDefault(field, fallback);
      List<Candidate> candidates = new ArrayList<>();
      for (Member m : ordered) {
        Object v = m.values().get(field);
        if (v != null) {
          candidates.add(candidate(m, v, counts.applyAsLong(field, v)));
        }
      }
      Survived s = rule.choose(field, candidates);
      values.put(field, s.value());
      provenance.put(field, origins(s, rule));
    }
    for (String field : overrides.names()) {
      values.put(field, overrides.get(field));
      provenance.put(field, List.of(new Origin(GoldenRecord.OVERRIDE, key, 0, "a person's override")));
    }
    return new GoldenRecord(id, key, Fields.from(values), provenance, ordered);
  }

  /** A group's fields, all from the one record its rule picks among the records holding any of them. */
  private void survive(Group group, List<Member> ordered, Map<String, Object> values, Map<String, List<Origin>> provenance,
      ToLongBiFunction<String, Object> counts) {
    List<Candidate> candidates = new ArrayList<>();
    for (Member m : ordered) {
      Map<String, Object> part = new LinkedHashMap<>();
      for (String f : group.fields()) {
        Object v = m.values().get(f);
        if (v != null) {
          part.put(f, v);
        }
      }
      if (!part.isEmpty()) {
        candidates.add(candidate(m, Fields.from(part), 0));
      }
    }
    Survived s = group.rule().choose(group.name(), candidates);
    Fields chosen = (Fields) s.value();
    List<Origin> from = origins(s, group.rule());
    for (String f : chosen.names()) {
      values.put(f, chosen.get(f));
      provenance.put(f, from);
    }
  }

  private Candidate candidate(Member m, Object value, long common) {
    return new Candidate(m.source(), sources.indexOf(m.source()), m.key(), m.version(), value, common);
  }

  /** Whether {@code field}'s rule weighs how common a value is across all inputs: its values are counted. */
  boolean counts(String field) {
    return groupOf.get(field) == null && Rule.counts(rules.getOrDefault(field, fallback));
  }

  private static List<Origin> origins(Survived s, Survivorship rule) {
    List<Origin> from = new ArrayList<>(s.from().size());
    for (Candidate c : s.from()) {
      from.add(new Origin(c.source(), c.key(), c.version(), rule.describe()));
    }
    return from;
  }
}
