package dev.patchbay.core.report;

/**
 * How many records a run read and how each ended. {@code read} is counted where records are read,
 * the rest where outcomes are decided, so {@link #balanced()} is a real check, not a definition.
 */
public record Counts(long read, long created, long updated, long unchanged, long deleted,
                     long skipped, long failed) {

  private static final Counts ZERO = new Counts(0, 0, 0, 0, 0, 0, 0);

  public static Counts zero() {
    return ZERO;
  }

  /** The number of outcomes: created + updated + unchanged + deleted + skipped + failed. */
  public long outcomes() {
    return created + updated + unchanged + deleted + skipped + failed;
  }

  /** Whether every record read has exactly one outcome. */
  public boolean balanced() {
    return read == outcomes();
  }
}
