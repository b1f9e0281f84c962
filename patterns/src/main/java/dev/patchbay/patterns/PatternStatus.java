package dev.patchbay.patterns;

import dev.patchbay.core.report.Report;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A pattern as {@link Pattern#status()} finds it: what it is doing, its last report, its lag where
 * it keeps one. A broadcast's status says more ({@link dev.patchbay.patterns.broadcast.BroadcastStatus}).
 */
public interface PatternStatus {

  /** The pattern's name. */
  String name();

  /** The kind of pattern ("migration", "sync", "correlation", "broadcast"). */
  String pattern();

  /** What it is doing. */
  State state();

  /** The report of its last run in this process; empty before the first ends. */
  Optional<Report> last();

  /** How far behind its source it is, where it keeps a lag (a broadcast); else empty. */
  Optional<Lag> lag();

  /** What a pattern is doing: one vocabulary for all four. */
  enum State {
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
   * @param changes changes waiting (for a broadcast, events after its furthest-behind destination)
   * @param time    how long the oldest of them has waited; zero where none
   */
  record Lag(long changes, Duration time) {
    public Lag {
      Objects.requireNonNull(time, "time");
    }
  }

  /** A status of these values. */
  static PatternStatus of(String name, String pattern, State state, Optional<Report> last, Optional<Lag> lag) {
    return new Of(name, pattern, state, last, lag);
  }

  /** The status {@link #of} makes. */
  record Of(String name, String pattern, State state, Optional<Report> last, Optional<Lag> lag) implements PatternStatus {
    public Of {
      Objects.requireNonNull(name, "name");
      Objects.requireNonNull(pattern, "pattern");
      Objects.requireNonNull(state, "state");
      Objects.requireNonNull(last, "last");
      Objects.requireNonNull(lag, "lag");
    }
  }
}
