package dev.patchbay.patterns.sync;

import dev.patchbay.core.Checkpoint;
import java.util.Objects;
import java.util.Set;

/**
 * How far a sync has read each side's changes, and the keys to look at again next round whatever
 * the feeds say (a write that failed, a conflict parked for review).
 *
 * @param a      side A's change feed position
 * @param b      side B's change feed position
 * @param againA side A keys to revisit
 * @param againB side B keys to revisit
 */
public record SyncPosition(Checkpoint a, Checkpoint b, Set<String> againA, Set<String> againB) {

  public SyncPosition {
    Objects.requireNonNull(a, "a");
    Objects.requireNonNull(b, "b");
    againA = Set.copyOf(againA);
    againB = Set.copyOf(againB);
  }

  /** Nothing read yet. */
  public static SyncPosition start() {
    return new SyncPosition(Checkpoint.start(), Checkpoint.start(), Set.of(), Set.of());
  }
}
