package dev.patchbay.core.report;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The desired state (every in-scope source record, transformed) compared with what the destination
 * actually holds, after a run. Records that failed are expected to be missing or stale and are
 * counted apart.
 *
 * @param desired        in-scope records that should be in the destination
 * @param matched        held exactly as desired
 * @param missing        absent from the destination
 * @param differing      present with a different payload
 * @param failedExcluded in-scope records left out of the comparison because the run reported them as failed
 * @param missingKeys    up to {@value #SAMPLE} of the missing keys
 * @param differences    up to {@value #SAMPLE} of the differing records, with the fields that differ
 */
public record Reconciliation(long desired, long matched, long missing, long differing,
                             long failedExcluded, List<String> missingKeys,
                             List<Difference> differences) {

  /** How many missing keys and differences a reconciliation lists; the counts are always complete. */
  public static final int SAMPLE = 100;

  public Reconciliation {
    missingKeys = List.copyOf(missingKeys);
    differences = List.copyOf(differences);
  }

  /** Whether the destination holds exactly the desired state. */
  public boolean holds() {
    return missing == 0 && differing == 0 && matched == desired;
  }

  /** One record held with a payload that differs from the desired one. */
  public record Difference(String key, Set<String> fields) {
    public Difference {
      Objects.requireNonNull(key, "key");
      fields = Set.copyOf(fields);
    }
  }
}
