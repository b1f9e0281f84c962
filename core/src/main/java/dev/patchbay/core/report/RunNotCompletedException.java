package dev.patchbay.core.report;

/**
 * Thrown by {@link Report#requireCompleted()} for a run that did not complete: the message names
 * the pattern, the status and why, then the report's summary (keys and counts, never values).
 */
public final class RunNotCompletedException extends IllegalStateException {

  private static final long serialVersionUID = 1L;

  private final transient Report report;

  public RunNotCompletedException(Report report) {
    super(report.pattern() + " '" + report.name() + "' ended " + report.status()
        + (report.message() == null ? "" : ": " + report.message()) + System.lineSeparator() + report.summary());
    this.report = report;
  }

  /** The report of the run. */
  public Report report() {
    return report;
  }
}
