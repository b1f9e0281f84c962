package dev.patchbay.patterns.migration;

import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.Threads;

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

  /** Whether it came of an interrupt (the thread's flag, or an interrupted wait, read or file write among its causes). */
  boolean byInterrupt() {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = this; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException
          || t instanceof java.io.InterruptedIOException || t instanceof Threads.Interrupted) {
        return true;
      }
    }
    return false;
  }
}
