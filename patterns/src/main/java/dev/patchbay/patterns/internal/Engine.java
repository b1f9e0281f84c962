package dev.patchbay.patterns.internal;

import dev.patchbay.core.Destination;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.patterns.ProgressListener;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.RunListener;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.Schedule;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operations every pattern has, written once: a run under the {@link Lifecycle}, its report to
 * the result capture and the listeners, stop at a checkpoint, schedules, status, progress at INFO
 * every interval, and the events meters count. A pattern's driver is handed a {@link Run} and says
 * where its checkpoints, phases and batches are; nothing else.
 *
 * @param <R> the pattern's report
 */
public final class Engine<R extends Report> {

  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);

  private final String pattern;
  private final String name;
  private final String label;
  private final Lifecycle lifecycle;
  private final ResultCapture capture;
  private final Duration progressEvery;
  private final ThreadFactory hostThreads;
  private final List<ProgressListener> listeners = new CopyOnWriteArrayList<>();
  private final List<ScheduledExecutorService> schedules = new CopyOnWriteArrayList<>();
  private volatile Run current;
  private volatile R last;
  /** A stop was asked and no run began since. */
  private volatile boolean stopped;

  /**
   * @param pattern the kind ("migration"), for the MDC and status
   * @param label   the pattern as messages name it: "Migration 'legacy-cases'"
   */
  public Engine(String pattern, String name, String label, StateStore store, ResultCapture capture, Settings common) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.name = Objects.requireNonNull(name, "name");
    this.label = Objects.requireNonNull(label, "label");
    this.lifecycle = new Lifecycle(pattern, name, store);
    this.capture = Objects.requireNonNull(capture, "capture");
    this.progressEvery = common.progressEvery();
    this.hostThreads = common.threads();
  }

  /** Adds a listener; see {@link dev.patchbay.patterns.Pattern#listen}. */
  public void listen(ProgressListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  /**
   * A listener that tells this engine's listeners the progress, batches, retries and conflicts of
   * another pattern's runs (not their starts and ends): a correlation's, of the sync under it.
   */
  public RunListener forwarding() {
    return new RunListener() {
      @Override
      public void progress(RunProgress progress) {
        each(ProgressListener.class, l -> l.progress(progress));
      }

      @Override
      public void batch(List<Outcome> outcomes, Duration took) {
        each(RunListener.class, l -> l.batch(outcomes, took));
      }

      @Override
      public void retried() {
        each(RunListener.class, RunListener::retried);
      }

      @Override
      public void conflict() {
        each(RunListener.class, RunListener::conflict);
      }
    };
  }

  /**
   * Runs {@code work} as a run of the pattern: the lifecycle held, the run's context given, its
   * report kept as the last, handed to the result capture and the listeners.
   *
   * @param busy the message where a run of this object is under way
   */
  public R run(String busy, Function<Run, R> work) {
    return run(busy, name, false, work);
  }

  /** As {@link #run(String, Function)}, the run's state held under {@code stateName} (a run's own, for its parameters). */
  public R run(String busy, String stateName, Function<Run, R> work) {
    return run(busy, stateName, false, work);
  }

  /**
   * Runs {@code work} as a dry run: as {@link #run}, but the run's state is a scratch over the
   * saved one ({@link NamedState#scratch()}), its destinations plan instead of writing
   * ({@link Run#destination}), and no outcome or report reaches the result capture.
   */
  public Plan<R> plan(String busy, Function<Run, R> work) {
    return plan(busy, name, work);
  }

  /** As {@link #plan(String, Function)}, over the state of {@code stateName}. */
  public Plan<R> plan(String busy, String stateName, Function<Run, R> work) {
    List<PlannedWrite<?>> writes = new ArrayList<>();
    R report = run(busy, stateName, true, run -> {
      run.planned = writes;
      return work.apply(run);
    });
    return new Plan<>(report, writes);
  }

  private R run(String busy, String stateName, boolean planning, Function<Run, R> work) {
    return lifecycle.run(busy, stateName, held -> {
      Run run = new Run(held == null || !planning ? held : held.scratch(), planning);
      synchronized (stopping) {   // a stop either finds this run under way, or this run finds its schedule stopped
        ScheduledExecutorService schedule = SCHEDULE.get();
        if (schedule != null && schedule.isShutdown()) {
          throw new ScheduleEnded();
        }
        SCHEDULE.remove();   // begun: a run inside this one (a correlation's sync) is not the schedule's to refuse
        current = run;
        stopped = false;
      }
      each(RunListener.class, RunListener::started);
      R report;
      try {
        report = work.apply(run);
      } finally {
        current = null;
      }
      last = report;
      if (!planning) {
        capture.report(report);
      }
      each(RunListener.class, l -> l.ended(report));
      return report;
    });
  }

  /** Runs {@code work} with the name's state held, in place of a run (a decision, an unlink): no report, no events. */
  public <T> T hold(String busy, Function<NamedState, T> work) {
    return lifecycle.run(busy, work);
  }

  /** Runs {@code run} now and every {@code interval} after each ends, on a thread of the pattern's, until closed or stopped. */
  public Schedule every(Duration interval, Consumer<? super R> reports, Supplier<R> run) {
    Objects.requireNonNull(interval, "interval");
    Objects.requireNonNull(reports, "reports");
    if (interval.isNegative() || interval.isZero()) {
      throw new SetupException(label + ": the interval between runs must be positive, was " + interval);
    }
    // made with the pattern in the MDC: the schedule's own lines (a run that failed) and the reports' consumer carry it
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(inMdc(() -> threads("schedule", false)));
    schedules.add(timer);
    stopped = false;
    timer.scheduleWithFixedDelay(() -> {
      SCHEDULE.set(timer);   // closed or stopped while this run waited its turn: it does not begin
      try {
        reports.accept(run.get());
      } catch (ScheduleEnded e) {
        // nothing began
      } catch (RuntimeException | Error e) {
        LOG.error("{}: a scheduled run failed ({}); the next runs in {}", label, e.getClass().getSimpleName(), interval);
        LOG.debug("{}: scheduled run failure", label, e);
      } finally {
        SCHEDULE.remove();
      }
    }, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return new Schedule() {
      @Override
      public boolean isActive() {
        return !timer.isShutdown();
      }

      @Override
      public void close() {
        timer.shutdown();
        schedules.remove(timer);
        Threads.await(timer);
      }
    };
  }

  /** Ends every schedule (without waiting) and asks the run under way to end at its next checkpoint. */
  public void stop() {
    Run run;
    synchronized (stopping) {
      stopped = true;
      for (ScheduledExecutorService timer : schedules) {
        timer.shutdown();
      }
      schedules.clear();
      run = current;
      if (run != null) {
        run.stopRequested = true;
      }
    }
    if (run != null) {
      LOG.info("{}: stop asked; the run ends at its next checkpoint", label);
    }
  }

  /** Orders a stop and the start of a run: one finds the other. */
  private final Object stopping = new Object();
  /** The schedule whose thread this is, while it runs the pattern. */
  private static final ThreadLocal<ScheduledExecutorService> SCHEDULE = new ThreadLocal<>();

  /** A scheduled run that found its schedule stopped before it began. */
  private static final class ScheduleEnded extends RuntimeException {
    ScheduleEnded() {
      super(null, null, false, false);
    }
  }

  /**
   * The pattern's status: RUNNING while a run is under way (or {@code active}: a broadcast's
   * runners), PARKED where {@code parked}, STOPPED after a stop, else IDLE.
   */
  public PatternStatus status(boolean active, boolean parked, Optional<PatternStatus.Lag> lag) {
    R report = last;
    PatternStatus.State state;
    if (parked) {
      state = PatternStatus.State.PARKED;
    } else if (current != null || active) {
      state = PatternStatus.State.RUNNING;
    } else if (stopped || report != null && report.status() == RunStatus.STOPPED) {
      state = PatternStatus.State.STOPPED;
    } else {
      state = PatternStatus.State.IDLE;
    }
    return PatternStatus.of(name, pattern, state, Optional.ofNullable(report), lag);
  }

  /** Whether a run of this object is under way. */
  public boolean running() {
    return current != null;
  }

  /** The last run's report in this process; empty before the first ends. */
  public Optional<R> last() {
    return Optional.ofNullable(last);
  }

  /**
   * A factory of the pattern's threads for {@code role}: the host's, or daemons; named after the
   * pattern and role ({@code patchbay-migration-cases-writer}, numbered where {@code numbered}),
   * each with the MDC of the caller.
   */
  public ThreadFactory threads(String role, boolean numbered) {
    return Threads.named("patchbay-" + pattern + "-" + name + "-" + role, numbered, hostThreads);
  }

  /** A settled batch, in a run or outside one (a started broadcast's runner): its outcomes to the result capture (in order), then to the listeners with the time its write took. */
  public void settled(List<Outcome> outcomes, Duration took) {
    outcomes.forEach(capture::capture);
    each(RunListener.class, l -> l.batch(outcomes, took));
  }

  /** A retry outside a run: to the listeners (any thread). */
  public void retried() {
    each(RunListener.class, RunListener::retried);
  }

  /** Runs {@code work} with the pattern and its name in this thread's MDC, then gives the caller's back. */
  public <T> T inMdc(Supplier<T> work) {
    return lifecycle.inMdc(work);
  }

  /** Tells {@code event} to every listener of type {@code type}. */
  private <L> void each(Class<L> type, Consumer<L> event) {
    for (ProgressListener l : listeners) {
      if (type.isInstance(l)) {
        try {
          event.accept(type.cast(l));
        } catch (RuntimeException e) {
          LOG.warn("{}: a listener failed ({}); passed over", label, e.getClass().getSimpleName());
          LOG.debug("{}: listener failure", label, e);
        }
      }
    }
  }

  /** One run's context, as the driver sees it. Used on the run's thread, unless said otherwise. */
  public final class Run {
    private final NamedState state;
    private final boolean planning;
    /** A dry run's planned writes, in the order made. */
    private List<PlannedWrite<?>> planned;
    private volatile boolean stopRequested;
    private RunProgress.Phase phase;
    private long phaseStart;
    private long records;
    private OptionalLong total = OptionalLong.empty();
    private long lastLogged;

    private Run(NamedState state, boolean planning) {
      this.state = state;
      this.planning = planning;
    }

    /** The state held for the run; a dry run's scratch over it. */
    public NamedState state() {
      return state;
    }

    /** Adds the writes of a plan run inside this dry run (a correlation's sync's) to this one's. */
    public void planned(List<PlannedWrite<?>> writes) {
      planned.addAll(writes);
    }

    /** Whether this is a dry run: its destinations plan, its state is a scratch, nothing is captured. */
    public boolean planning() {
      return planning;
    }

    /**
     * The destination the run writes to as {@code name}: {@code destination} itself, or, in a dry
     * run, a {@link Planning} over it (read by key where it is a {@link dev.patchbay.core.Lookup}).
     * Ask once per destination and run: a plan remembers what it wrote before.
     */
    public <T> Destination<T> destination(String name, Destination<T> destination, Retrying retrying) {
      return destination(name, destination, null, retrying);
    }

    /** As above, a dry run reading what the destination holds through {@code holds} where given. */
    public <T> Destination<T> destination(String name, Destination<T> destination, dev.patchbay.core.Lookup<T> holds,
        Retrying retrying) {
      if (!planning) {
        return destination;
      }
      return holds != null ? new Planning<>(name, holds, retrying, planned) : Planning.of(name, destination, retrying, planned);
    }

    /** As {@link Engine#threads}: made while the run's MDC is in place. */
    public ThreadFactory threads(String role, boolean numbered) {
      return Engine.this.threads(role, numbered);
    }

    /** Whether a stop was asked: the driver ends at the checkpoint it has reached. */
    public boolean stopRequested() {
      return stopRequested;
    }

    /** Retries under {@code policy}, each retry told to the listeners (any thread). */
    public Retrying retrying(RetryPolicy policy) {
      return new Retrying(name, policy, Engine.this::retried);
    }

    /** The run begins {@code next}, of {@code total} records where known; its count starts at 0. */
    public void phase(RunProgress.Phase next, OptionalLong total) {
      this.phase = Objects.requireNonNull(next, "next");
      this.total = Objects.requireNonNull(total, "total");
      this.records = 0;
      this.phaseStart = System.nanoTime();
      this.lastLogged = phaseStart;
    }

    /** {@code n} more records done in the phase: the listeners told, and a line at INFO where the interval has passed since the last. */
    public void advanced(long n) {
      if (phase == null) {
        throw new IllegalStateException("no phase begun");
      }
      records += n;
      long now = System.nanoTime();
      RunProgress p = new RunProgress(pattern, name, phase, records, total, Duration.ofNanos(now - phaseStart));
      if (now - lastLogged >= progressEvery.toNanos()) {
        lastLogged = now;
        LOG.info("{} {}: {}", label, phase.name().toLowerCase(java.util.Locale.ROOT), describe(p));
      }
      each(ProgressListener.class, l -> l.progress(p));
    }

    /** A settled batch: its outcomes to the result capture (in order), then to the listeners with the time its write took. */
    public void settled(List<Outcome> outcomes, Duration took) {
      if (!planning) {
        Engine.this.settled(outcomes, took);
      }
    }

    /** A conflict found (any thread). */
    public void conflict() {
      each(RunListener.class, RunListener::conflict);
    }
  }

  /** "12,000 records of 50,000 (24 %), 3,100/s, about 12 s left". */
  static String describe(RunProgress p) {
    StringBuilder s = new StringBuilder(String.format(java.util.Locale.ROOT, "%,d records", p.records()));
    p.total().ifPresent(t -> s.append(String.format(java.util.Locale.ROOT, " of %,d (%d %%)", t,
        t == 0 ? 100 : p.records() * 100 / t)));
    s.append(String.format(java.util.Locale.ROOT, ", %,.0f/s", p.perSecond()));
    p.eta().ifPresent(eta -> s.append(", about ").append(eta.toSeconds()).append(" s left"));
    return s.toString();
  }
}
