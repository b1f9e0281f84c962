package dev.patchbay.patterns;

import dev.patchbay.core.report.Report;
import java.util.List;
import java.util.Objects;

/**
 * What a dry run ({@link Pattern#plan()}) found: the report a run would give now (status
 * {@code PLANNED}, its counts saying how each record would end), and every write it would make, in
 * the order it would make them. Nothing was written and nothing saved. Holds every planned write
 * in memory.
 *
 * @param <R> the pattern's report
 */
public record Plan<R extends Report>(R report, List<PlannedWrite<?>> writes) {

  public Plan {
    Objects.requireNonNull(report, "report");
    writes = List.copyOf(writes);
  }

  /** The planned writes to {@code destination} ("destination" for a migration, "a" or "b" for a sync's sides, a broadcast's route). */
  public List<PlannedWrite<?>> to(String destination) {
    return writes.stream().filter(w -> w.destination().equals(destination)).toList();
  }
}
