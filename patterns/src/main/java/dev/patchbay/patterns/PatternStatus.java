package dev.patchbay.patterns;

import dev.patchbay.core.report.Report;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A pattern as {@link Pattern#status()} finds it.
 *
 * @param name    the pattern's name
 * @param pattern the kind of pattern ("migration", "sync", "correlation", "broadcast")
 * @param state   what it is doing
 * @param last    the report of its last run in this process; empty before the first ends
 * @param lag     how far behind its source it is, where it keeps a lag (a broadcast); else empty
 */
public record PatternStatus(String name, String pattern, State state, Optional<Report> last, Optional<Lag> lag) {

  /** What a pattern is doing: one vocabulary for all four. */
  public enum State {
    /** Not running: never run in this process, or its last run ended (completed, failed, blocked or planned). */
    IDLE,
    /** A run is under way (for a broadcast: started, delivering or waiting for events). */
    RUNNING,
    /** Its last run ended on request ({@link Pattern#stop()}), or a stop ended its schedule; the next run goes on. */
    STOPPED,
    /** A part of it failed past its limit and waits for a person (a broadcast's parked destination). */
    PARKED
  }

  /**
   * How far behind its source a pattern is.
   *
   * @param changes changes waiting (events in the outbox after the furthest-behind destination)
   * @param time    how long the oldest of them has waited; zero where none
   */
  public record Lag(long changes, Duration time) {
    public Lag {
      Objects.requireNonNull(time, "time");
    }
  }

  public PatternStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(last, "last");
    Objects.requireNonNull(lag, "lag");
  }
}
