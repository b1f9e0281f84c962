package dev.patchbay.patterns.internal;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;

/** A run's outcomes added up as they come, each to its own count; read and failed are the run's to give. Not thread-safe. */
public final class Tally {

  private long created;
  private long updated;
  private long unchanged;
  private long deleted;
  private long skipped;

  /** A tally starting from {@code counts} (a resumed run's saved ones). */
  public static Tally from(Counts counts) {
    Tally t = new Tally();
    t.created = counts.created();
    t.updated = counts.updated();
    t.unchanged = counts.unchanged();
    t.deleted = counts.deleted();
    t.skipped = counts.skipped();
    return t;
  }

  /** Counts {@code o}; the failure it is, or null where it is not one (the caller keeps its failures). */
  public Outcome.Failed add(Outcome o) {
    if (o instanceof Outcome.Created) {
      created++;
    } else if (o instanceof Outcome.Updated) {
      updated++;
    } else if (o instanceof Outcome.Unchanged) {
      unchanged++;
    } else if (o instanceof Outcome.Deleted) {
      deleted++;
    } else if (o instanceof Outcome.Skipped) {
      skipped++;
    } else {
      return (Outcome.Failed) o;
    }
    return null;
  }

  /** The counts so far, with {@code read} records read and {@code failed} failed. */
  public Counts counts(long read, long failed) {
    return new Counts(read, created, updated, unchanged, deleted, skipped, failed);
  }
}
