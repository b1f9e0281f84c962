package dev.patchbay.patterns;

import dev.patchbay.core.Envelope;
import java.util.Objects;

/**
 * A write a run would make: create a record the destination lacks, update one it holds
 * differently, delete one it holds, or (a destination that cannot be read by key) write one whose
 * effect cannot be known beforehand.
 *
 * @param destination the endpoint written: "destination" (a migration's), "a" or "b" (a sync's or
 *                    correlation's sides), a broadcast's route name
 * @param action      what the write does
 * @param key         the key written
 * @param record      the record as it would be written; for a delete, the record the destination holds,
 *                    or null where it cannot be read
 * @param <T> the destination's payload type
 */
public record PlannedWrite<T>(String destination, Action action, String key, Envelope<T> record) {

  /** What a planned write does. */
  public enum Action {
    CREATE,
    UPDATE,
    DELETE,
    /** A write to a destination that cannot be read by key: whether it creates or updates is unknown. */
    UPSERT
  }

  public PlannedWrite {
    Objects.requireNonNull(destination, "destination");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(key, "key");
    if (record == null && action != Action.DELETE) {
      throw new IllegalArgumentException("a planned " + action + " of '" + key + "' needs its record");
    }
  }
}
