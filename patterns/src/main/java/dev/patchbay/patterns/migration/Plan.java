package dev.patchbay.patterns.migration;

import dev.patchbay.core.report.RunReport;
import java.util.List;

/**
 * The result of {@link Migration#dryRun(dev.patchbay.core.Lookup)}: the writes a real run would make now, and a report
 * whose status is {@code PLANNED} and whose counts say how the records would end. Holds every
 * planned write in memory.
 *
 * @param <T> the destination payload type
 */
public record Plan<T>(RunReport report, List<PlannedWrite<T>> writes) {

  public Plan {
    writes = List.copyOf(writes);
  }
}
