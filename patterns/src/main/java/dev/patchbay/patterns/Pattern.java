package dev.patchbay.patterns;

import dev.patchbay.core.report.Report;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * What every pattern answers, whatever it moves: run it once, run it every interval, stop it, ask
 * how it is doing, and listen to it. One vocabulary for a migration, a sync, a correlation and a
 * broadcast; the engine under all four keeps it, once.
 *
 * <p>A pattern runs one run at a time (a second {@link #run()} while one is under way throws
 * {@link dev.patchbay.core.SetupException}), and one per name across processes that share its
 * state store. Every run's report goes to the pattern's {@link dev.patchbay.core.report.ResultCapture}
 * and to every listener, however the run ended.
 *
 * @param <R> the pattern's report
 */
public interface Pattern<R extends Report> {

  /** The pattern's name: in every log line (MDC), message and report. */
  String name();

  /**
   * Runs once: a migration's run, a sync's or a correlation's round, a broadcast's delivery of what
   * the outbox holds now. Returns when the run ended; a run that {@link #stop()} ended is reported
   * {@link dev.patchbay.core.report.RunStatus#STOPPED}, at a checkpoint the next run goes on from.
   *
   * @throws dev.patchbay.core.SetupException if a run of this pattern is under way, or the setup is wrong
   */
  R run();

  /**
   * A dry run: runs as {@link #run()} would now, from where the last run left off, reading
   * everything a run reads and deciding everything it decides, but writing nothing and saving
   * nothing; what the destinations hold is read by key where they can be. No outcome or report
   * reaches the result capture.
   *
   * @return the report a run would give (status PLANNED where it would complete) and every write it would make
   * @throws dev.patchbay.core.SetupException if a run of this pattern is under way, or the setup is wrong
   */
  Plan<R> plan();

  /**
   * Runs now, then again {@code interval} after each run ends, on a thread of the pattern's, until
   * the schedule is closed or {@link #stop()} is called. Each report goes to {@code reports}; a
   * run that throws is logged (its class) and the schedule goes on.
   *
   * @throws dev.patchbay.core.SetupException if {@code interval} is not positive
   */
  Schedule every(Duration interval, Consumer<? super R> reports);

  /**
   * Asks the run under way, if any, to end at its next checkpoint (what it read before is settled
   * and saved; its report says STOPPED), and ends this pattern's schedules. Returns at once; the
   * run ends on its own thread. The pattern can be run again afterwards.
   */
  void stop();

  /** How the pattern is doing now: idle, running, stopped or parked, its last report, its lag where it has one. */
  PatternStatus status();

  /**
   * Adds a listener of this pattern's runs: progress (a host drawing its own bar gives a lambda),
   * and, where it is a {@link RunListener}, batches, retries, conflicts and reports. Listeners are
   * called on the run's threads, in the order added; one that throws is logged and passed over.
   */
  void listen(ProgressListener listener);
}
