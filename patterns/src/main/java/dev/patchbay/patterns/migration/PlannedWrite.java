package dev.patchbay.patterns.migration;

import dev.patchbay.core.Envelope;
import java.util.Objects;

/**
 * A write a real run would make: create a record the destination lacks, or update one it holds
 * differently.
 *
 * @param <T> the destination payload type
 */
public record PlannedWrite<T>(Action action, Envelope<T> record) {

  /** What the write does to the destination. */
  public enum Action { CREATE, UPDATE }

  public PlannedWrite {
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(record, "record");
  }
}
