package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One output record of an {@link Aggregation}: the values that survived, where each came from, and
 * every source record merged into it. A pure function of its members' kept values, the rules and
 * the overrides: {@link #explain()} says how each value was chosen.
 *
 * @param id         the golden id: minted when the entity was first seen, never derived from a
 *                   member's key, kept across runs
 * @param key        the merge key its members share
 * @param values     the surviving values, field by field
 * @param provenance for each field of {@code values}, where its value came from (several origins for
 *                   a rule that combines, such as {@link Survivorship#allValues()})
 * @param members    every source record merged into it, with the values kept of it
 */
public record GoldenRecord(String id, String key, Fields values, Map<String, List<Origin>> provenance, List<Member> members) {

  /** The source of an output value: a source record, or a person's override ({@link #OVERRIDE} as the source). */
  public record Origin(String source, String key, long version, String rule) {
    public Origin {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(rule, "rule");
    }
  }

  /** One source record merged into a golden record, as the aggregation keeps it. */
  public record Member(String source, String key, long version, Fields values) {
    public Member {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(values, "values");
    }
  }

  /** The id of a record collected live by {@link Aggregation#lookup}, which reads no kept state. */
  public static final String LIVE = "live";

  /** The source an overridden value names. */
  public static final String OVERRIDE = "override";

  public GoldenRecord {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(values, "values");
    Map<String, List<Origin>> p = new LinkedHashMap<>();
    provenance.forEach((f, o) -> p.put(f, List.copyOf(o)));
    provenance = java.util.Collections.unmodifiableMap(p);
    members = List.copyOf(members);
  }

  /** Where {@code field}'s value came from; empty where the record has no such field. */
  public List<Origin> origins(String field) {
    return provenance.getOrDefault(field, List.of());
  }

  /**
   * How each value was chosen, a line per field, and every member: for a person asking why the
   * golden record says what it says. Holds the record's values (not for logs at INFO).
   */
  public String explain() {
    StringBuilder s = new StringBuilder("golden record ").append(id).append(" (key '").append(key).append("', ")
        .append(members.size()).append(members.size() == 1 ? " member)" : " members)").append('\n');
    for (String field : values.names()) {
      List<Origin> from = origins(field);
      s.append("  ").append(field).append(" = ").append(values.get(field)).append("  <- ");
      List<String> parts = new ArrayList<>();
      for (Origin o : from) {
        parts.add(o.source().equals(OVERRIDE) ? "a person's override" : o.source() + " '" + o.key() + "' v" + o.version());
      }
      s.append(String.join(", ", parts)).append(" (").append(from.isEmpty() ? "" : from.get(0).rule()).append(")\n");
    }
    for (Member m : members) {
      s.append("  member ").append(m.source()).append(" '").append(m.key()).append("' v").append(m.version()).append(": ")
          .append(m.values().asMap()).append('\n');
    }
    return s.toString();
  }

  /**
   * This record as a report's row: {@code golden_id}, {@code merge_key}, then each field and, beside
   * it, {@code <field>_from}: where its value came from ("erp 'C-9001' v20", "override"; origins
   * joined by "; "). A list value (of {@link Survivorship#allValues()}) as its elements joined by "; ".
   */
  public Fields reportRow() {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("golden_id", id);
    row.put("merge_key", key);
    for (String field : values.names()) {
      Object v = values.get(field);
      row.put(field, v instanceof List<?> l ? String.join("; ", l.stream().map(String::valueOf).toList()) : v);
      List<String> from = new ArrayList<>();
      for (Origin o : origins(field)) {
        from.add(o.source().equals(OVERRIDE) ? OVERRIDE : o.source() + " '" + o.key() + "' v" + o.version());
      }
      row.put(field + "_from", String.join("; ", from));
    }
    return Fields.from(row);
  }

  /** Id, key and the number of members; never values. */
  @Override
  public String toString() {
    return "GoldenRecord[" + id + ", key '" + key + "', " + members.size() + " members, fields " + values.names() + "]";
  }
}
