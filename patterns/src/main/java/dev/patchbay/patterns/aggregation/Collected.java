package dev.patchbay.patterns.aggregation;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link Aggregation#lookup} collected live: the record merged from the inputs that answered,
 * by the aggregation's rules, and which inputs did not answer and why.
 *
 * @param record   the merged record (its id {@link GoldenRecord#LIVE}: the kept id is
 *                 {@link Aggregation#golden}'s); empty where no input that answered holds the key
 * @param answered the inputs that answered in time, in the aggregation's order
 * @param missing  the inputs that did not, each with why: "timed out after 200 ms", "failed:
 *                 TransientException", "no lookup"
 */
public record Collected(Optional<GoldenRecord> record, List<String> answered, Map<String, String> missing) {

  public Collected {
    Objects.requireNonNull(record, "record");
    answered = List.copyOf(answered);
    missing = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(missing));
  }

  /** Whether every input answered. */
  public boolean complete() {
    return missing.isEmpty();
  }
}
