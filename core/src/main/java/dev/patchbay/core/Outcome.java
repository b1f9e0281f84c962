package dev.patchbay.core;

import java.util.Objects;

/**
 * How one record read by a pattern ended: exactly one outcome per record read, so that
 * {@code read = created + updated + unchanged + deleted + skipped + failed}.
 */
public sealed interface Outcome {

  /** The record's key. */
  String key();

  /** The destination did not hold the record and now does. */
  record Created(String key) implements Outcome {
    public Created {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The destination held a different version and now holds this one. */
  record Updated(String key) implements Outcome {
    public Updated {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The destination already held exactly this; nothing was changed. */
  record Unchanged(String key) implements Outcome {
    public Unchanged {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The destination held the record and no longer does. */
  record Deleted(String key) implements Outcome {
    public Deleted {
      Objects.requireNonNull(key, "key");
    }
  }

  /** The record was deliberately not written (out of scope, filtered), with the reason. */
  record Skipped(String key, String reason) implements Outcome {
    public Skipped {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * The record could not be processed.
   *
   * @param field the field at fault, or {@code null} where the problem is the whole record
   * @param reason one line; never the record's payload
   */
  record Failed(String key, Stage stage, String field, String reason) implements Outcome {
    public Failed {
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(stage, "stage");
      Objects.requireNonNull(reason, "reason");
    }
  }

  static Outcome created(String key) {
    return new Created(key);
  }

  static Outcome updated(String key) {
    return new Updated(key);
  }

  static Outcome unchanged(String key) {
    return new Unchanged(key);
  }

  static Outcome deleted(String key) {
    return new Deleted(key);
  }

  /** The destination rejected the record with {@code key}; {@code field} may be null. */
  static Outcome rejected(String key, String field, String reason) {
    return new Failed(key, Stage.WRITE, field, reason);
  }
}
