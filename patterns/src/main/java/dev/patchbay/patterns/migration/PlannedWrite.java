package dev.patchbay.patterns.migration;

import dev.patchbay.core.Envelope;
import java.util.Objects;

/**
 * A write a real run would make: create a record the destination lacks, update one it holds
 * differently, or (a delta migration) delete the one it wrote for a record deleted at the source.
 *
 * @param <T> the destination payload type
 */
public record PlannedWrite<T>(Action action, Envelope<T> record) {

  /** What the write does to the destination. */
  public enum Action { CREATE, UPDATE, DELETE }

  public PlannedWrite {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(record, "record");
  }
}
