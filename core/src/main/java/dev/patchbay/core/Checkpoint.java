package dev.patchbay.core;

import java.util.Objects;

/**
 * Where a {@link Source} can resume: an opaque position that only the source that produced it
 * interprets (a last key, a (timestamp, key) pair, a file offset). Small and serialisable as text.
 *
 * @param position the source's own encoding; the empty string means "from the beginning"
 */
public record Checkpoint(String position) {

  private static final Checkpoint START = new Checkpoint("");

  public Checkpoint {
    Objects.requireNonNull(position, "position");
  }

  /** Before the first record. */
  public static Checkpoint start() {
    return START;
  }

  /** A position produced by a source. */
  public static Checkpoint at(String position) {
    return position.isEmpty() ? START : new Checkpoint(position);
  }

  public boolean isStart() {
    return position.isEmpty();
  }
}
