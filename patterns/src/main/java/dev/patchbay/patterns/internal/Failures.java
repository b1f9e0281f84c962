package dev.patchbay.patterns.internal;

import dev.patchbay.patterns.ReasonDetail;
import java.sql.SQLException;

/**
 * How a pattern words an exception from a system: for logs, its class and SQLState only (a
 * system's message can quote record values); for reports, as the pattern's {@link ReasonDetail} says.
 */
public final class Failures {

  private Failures() {
  }

  /** The exception's class, and the SQLState of the first {@link SQLException} among its causes: never its message. */
  public static String forLog(Throwable e) {
    String state = sqlState(e);
    return e.getClass().getSimpleName() + (state == null ? "" : " (SQLState " + state + ")");
  }

  /** As {@link #forLog}, followed by the first line of the exception's message where {@code detail} keeps it. */
  public static String forReport(Throwable e, ReasonDetail detail) {
    String message = e.getMessage();
    if (detail == ReasonDetail.CLASS_AND_STATE || message == null) {
      return forLog(e);
    }
    int nl = message.indexOf('\n');
    return e.getClass().getSimpleName() + ": " + (nl < 0 ? message : message.substring(0, nl));
  }

  private static String sqlState(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        return s.getSQLState();
      }
    }
    return null;
  }
}
