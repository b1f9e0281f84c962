package dev.patchbay.core.report;

import dev.patchbay.core.Outcome;
import java.util.Objects;

/**
 * Receives every outcome of a run as it happens, then the run's report: the hook for a failure
 * table, metrics or an audit log.
 *
 * <p>Outcomes of a batch arrive after the batch is written and before its checkpoint is saved; a
 * migration's and a broadcast destination's in the order their records were read.
 * A run that is killed and resumed re-processes at most the batches in flight, so a capture may
 * see the outcomes of those records again; a migration's {@link RunReport} counts each
 * record once.
 * Called on the pattern's thread; an exception thrown here stops the run.
 */
@FunctionalInterface
public interface ResultCapture {

  /** One record's outcome. */
  void capture(Outcome outcome);

  /** The report at the end of a run (a migration's run, a sync's round), however it ended. Does nothing unless overridden. */
  default void report(Report report) {
  }

  /** This, then {@code next}, for outcomes and reports. */
  default ResultCapture andThen(ResultCapture next) {
    Objects.requireNonNull(next, "next");
    ResultCapture first = this;
    return new ResultCapture() {
      @Override
      public void capture(Outcome outcome) {
        first.capture(outcome);
        next.capture(outcome);
      }

      @Override
      public void report(Report report) {
        first.report(report);
        next.report(report);
      }
    };
  }

  /** Captures nothing. */
  static ResultCapture none() {
    return outcome -> { };
  }
}
