package dev.patchbay.patterns;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Report;
import java.time.Duration;
import java.util.List;

/**
 * Told everything the engine sees of a pattern's runs, for meters, tracing or an audit: progress,
 * each settled batch's outcomes and time, retries, conflicts, each run's start and report. Every
 * method does nothing unless overridden. Called on the run's threads; one that throws is logged
 * and passed over, never stopping the run.
 */
public interface RunListener extends ProgressListener {

  @Override
  default void progress(RunProgress progress) {
  }

  /** A run began. */
  default void started() {
  }

  /** A batch (a migration's batch, a sync's side of a chunk, a broadcast's delivery) was settled: its outcomes, and how long its write took. */
  default void batch(List<Outcome> outcomes, Duration took) {
  }

  /** A transient failure is being tried again. */
  default void retried() {
  }

  /** A pair was changed on both sides since they last agreed (a sync's or correlation's conflict). */
  default void conflict() {
  }

  /** A run ended, however it ended: its report. */
  default void ended(Report report) {
  }
}
