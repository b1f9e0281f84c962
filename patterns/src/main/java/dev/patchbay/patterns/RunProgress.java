package dev.patchbay.patterns;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where a run is: what it is doing and how much of it is done. Counts, never values.
 *
 * @param pattern the kind of pattern ("migration", "sync")
 * @param name    the pattern's name
 * @param phase   what the run is doing now
 * @param records records (or changes, or pairs) done in this phase so far
 * @param total   how many the phase has in all, where known (a reconciliation knows; most sources do not)
 * @param elapsed time since the phase began
 */
public record RunProgress(String pattern, String name, Phase phase, long records, OptionalLong total, Duration elapsed) {

  /** What a run is doing. */
  public enum Phase {
    /** Reading changes or records (a sync's or correlation's feeds, a broadcast's outbox). */
    READING,
    /** Scoring candidate pairs (a correlation). */
    MATCHING,
    /** Writing: a migration's batches, a sync's chunks, a broadcast's deliveries. */
    WRITING,
    /** Comparing what a migration wrote with what the destination holds. */
    RECONCILING
  }

  public RunProgress {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(total, "total");
    Objects.requireNonNull(elapsed, "elapsed");
  }

  /** Records a second over the phase so far; 0 before any time has passed. */
  public double perSecond() {
    long millis = elapsed.toMillis();
    return millis == 0 ? 0 : records * 1000.0 / millis;
  }

  /** The time left at the rate so far, where the total is known and some records are done. */
  public Optional<Duration> eta() {
    if (total.isEmpty() || records == 0) {
      return Optional.empty();
    }
    long left = Math.max(0, total.getAsLong() - records);
    return Optional.of(Duration.ofMillis((long) (left * (double) elapsed.toMillis() / records)));
  }
}
