package dev.patchbay.patterns.migration;

import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.Threads;

/** Ends the run as FAILED at the last committed checkpoint. */
final class Stop extends RuntimeException {

  /** What a run's batch loop answers where its thread was interrupted, after settling what was in flight. */
  static final String STOPPED_BY_INTERRUPT = "stopped: its thread was interrupted";
  /** What the report says where the run's thread was interrupted. */
  static final String INTERRUPTED = "its thread was interrupted; stopped";
  /** What a run's batch loop answers where a stop was asked ({@link Migration#stop()}), after settling what was in flight. */
  static final String STOPPED_ON_REQUEST = "stopped on request";
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
