package dev.patchbay.core.report;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Failures alike, counted once: the same stage, field and reason, with the first keys. A run of
 * 500 records refused for one reason reads as one line, not 500.
 *
 * @param stage  where they failed
 * @param field  the field at fault; null where the whole record was
 * @param reason the reason they share
 * @param count  how many failed so
 * @param keys   the first of their keys, in the order they failed (at most {@link #KEYS})
 */
public record FailureGroup(Stage stage, String field, String reason, long count, List<String> keys) {

  /** The keys a group lists. */
  public static final int KEYS = 3;

  public FailureGroup {
    Objects.requireNonNull(stage, "stage");
    Objects.requireNonNull(reason, "reason");
    keys = List.copyOf(keys);
  }

  /** {@code failures} grouped, the groups in the order of their first failure. */
  public static List<FailureGroup> of(List<Outcome.Failed> failures) {
    Map<List<Object>, long[]> counts = new LinkedHashMap<>();
    Map<List<Object>, List<String>> keys = new LinkedHashMap<>();
    for (Outcome.Failed f : failures) {
      List<Object> alike = java.util.Arrays.asList(f.stage(), f.field(), f.reason());
      counts.computeIfAbsent(alike, k -> new long[1])[0]++;
      List<String> first = keys.computeIfAbsent(alike, k -> new ArrayList<>(KEYS));
      if (first.size() < KEYS) {
        first.add(f.key());
      }
    }
    List<FailureGroup> groups = new ArrayList<>(counts.size());
    counts.forEach((alike, n) -> groups.add(new FailureGroup((Stage) alike.get(0), (String) alike.get(1),
        (String) alike.get(2), n[0], keys.get(alike))));
    return groups;
  }

  /**
   * The failures as lines for a summary, each group on one: {@code 101 x TRANSFORM, field 'amount':
   * not a number (k1, k2, k3, ...)}; at most {@code limit} groups, then how many more.
   */
  public static List<String> lines(List<Outcome.Failed> failures, int limit) {
    List<FailureGroup> groups = of(failures);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < groups.size() && i < limit; i++) {
      lines.add(groups.get(i).line());
    }
    if (groups.size() > limit) {
      lines.add("... and " + (groups.size() - limit) + " more kinds of failure (the report lists every record)");
    }
    return lines;
  }

  /** One line: the count, stage, field and reason, and the first keys. */
  public String line() {
    return count + " x " + stage + (field == null ? "" : ", field '" + field + "'") + ": " + reason + " ("
        + String.join(", ", keys) + (count > keys.size() ? ", ..." : "") + ")";
  }
}
