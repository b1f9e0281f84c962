package dev.patchbay.patterns.migration;

import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.internal.Failures;

/** Ends the run as FAILED at the last committed checkpoint. */
final class Stop extends RuntimeException {
  /** The message with the cause's own message left out, for logs. */
  final String logLine;

  Stop(String message, Throwable cause) {
    super(message, cause, false, false);
    String line = message;
    if (cause != null && cause.getMessage() != null) {
      line = line.replace(Failures.forReport(cause, ReasonDetail.SYSTEM_MESSAGE), Failures.forLog(cause));
    }
    this.logLine = line;
  }
}
