package dev.patchbay.core.report;

import dev.patchbay.core.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What every pattern's run report says, whatever else it says: the name and kind of the pattern,
 * how the run ended ({@link RunStatus}, one closed family for all), why it stopped, the records
 * that failed, what a person should know, what it did at each endpoint, and when. {@link RunReport} (a migration's) and a sync
 * round's report are reports; {@link dev.patchbay.core.report.ResultCapture#report} receives either.
 * {@link #toJson()} writes these fields under the same names in every report, the pattern's own
 * after them.
 */
public interface Report {

  /** The pattern's name. */
  String name();

  /** The kind of pattern ("migration", "sync"). */
  String pattern();

  RunStatus status();

  /** Why the run stopped or was refused, naming the limit or error; null where it completed. */
  String message();

  /** Every record that failed: key, stage, field and reason. */
  List<Outcome.Failed> failures();

  /** What a person should know that is not a failure (a resume, a clock skew, a record created again). */
  List<String> findings();

  /**
   * What the run did at each endpoint of the pattern, by the endpoint's name, in the pattern's order:
   * {@code source} and {@code destination} for a migration, {@code a} and {@code b} for a sync.
   */
  java.util.Map<String, EndpointCounts> endpoints();

  Instant startedAt();

  Instant finishedAt();

  default Duration duration() {
    return Duration.between(startedAt(), finishedAt());
  }

  /**
   * What this pattern's report says beyond the fields above, by name, for {@link #toJson()}: text,
   * numbers, booleans, null, {@link Counts}, lists and maps of these.
   */
  java.util.Map<String, Object> details();

  /**
   * The report as indented JSON: {@code name}, {@code pattern}, {@code status}, {@code message},
   * {@code startedAt}, {@code finishedAt} (ISO-8601), {@code durationMillis}, {@code failures} and
   * {@code findings} and {@code endpoints} in every report, then the {@link #details()}.
   */
  default String toJson() {
    return JsonCodec.write(JsonCodec.report(this));
  }

  /** A few lines for a person: keys and counts, never values. */
  String summary();

  /**
   * Returns where the run {@linkplain RunStatus#COMPLETED completed} (its record failures, if any,
   * in {@link #failures()}); otherwise throws, so a service that copies a quick start never takes
   * a failed, partial or blocked run for a good one.
   *
   * @throws RunNotCompletedException with the status, the message and the {@link #summary()}
   */
  default void requireCompleted() {
    if (status() != RunStatus.COMPLETED) {
      throw new RunNotCompletedException(this);
    }
  }
}
