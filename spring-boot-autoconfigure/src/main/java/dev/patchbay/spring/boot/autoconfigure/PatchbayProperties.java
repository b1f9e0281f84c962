package dev.patchbay.spring.boot.autoconfigure;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Patchbay's settings in a Spring Boot application, under {@code patchbay}: the state store's
 * tables, how long the context waits for runs to reach a checkpoint when it stops, and each
 * pattern's schedule, by the pattern's name:
 *
 * <pre>
 * patchbay.state.table-prefix=patchbay
 * patchbay.lifecycle.stop-timeout=20s
 * patchbay.patterns.contacts-sync.every=5m
 * patchbay.patterns.legacy-cases.run-at-start=true
 * </pre>
 *
 * Immutable; bound once, when the context starts.
 */
@ConfigurationProperties("patchbay")
public final class PatchbayProperties {

  /** The state store made over the application's DataSource, where it has one and no StateStore bean of its own. */
  private final State state;

  /** How the patterns start and stop with the application context. */
  private final Lifecycle lifecycle;

  /**
   * Each pattern's runs, by the pattern's name (its name(), not its bean's): a key that names no
   * pattern bean stops the context from starting.
   */
  private final Map<String, PatternRuns> patterns;

  public PatchbayProperties(@DefaultValue State state, @DefaultValue Lifecycle lifecycle, Map<String, PatternRuns> patterns) {
    this.state = state;
    this.lifecycle = lifecycle;
    this.patterns = patterns == null ? Map.of() : Map.copyOf(new TreeMap<>(patterns));
  }

  public State getState() {
    return state;
  }

  public Lifecycle getLifecycle() {
    return lifecycle;
  }

  public Map<String, PatternRuns> getPatterns() {
    return patterns;
  }

  /** The runs configured for the pattern called {@code name}: its own, or none (runs on demand; a broadcast is started). */
  public PatternRuns runsOf(String name) {
    return patterns.getOrDefault(name, PatternRuns.ON_DEMAND);
  }

  /** The state store's settings. */
  public static final class State {

    /** The prefix of the state store's tables (prefix_progress, prefix_entries, prefix_holds), created if absent. */
    private final String tablePrefix;

    /** How long a run waits for a name's lease after a holder that died without letting go. */
    private final Duration leaseGrace;

    public State(@DefaultValue("patchbay") String tablePrefix, @DefaultValue("5s") Duration leaseGrace) {
      this.tablePrefix = Objects.requireNonNull(tablePrefix, "tablePrefix");
      this.leaseGrace = Objects.requireNonNull(leaseGrace, "leaseGrace");
    }

    public String getTablePrefix() {
      return tablePrefix;
    }

    public Duration getLeaseGrace() {
      return leaseGrace;
    }
  }

  /** How the patterns start and stop with the context. */
  public static final class Lifecycle {

    /** Whether the context starts the patterns' schedules, runs and broadcasts; false leaves every pattern to the application. */
    private final boolean autoStartup;

    /**
     * How long the context, when it stops, waits for the runs under way to reach a checkpoint.
     * Keep it under spring.lifecycle.timeout-per-shutdown-phase (30s by default): Spring stops
     * waiting then, whatever this says. A run still under way when it ends goes on from its last
     * checkpoint at the next start.
     */
    private final Duration stopTimeout;

    /**
     * How often a broadcast whose ledgers another instance holds (two instances of one service)
     * tries again to start; it takes over once they are let go.
     */
    private final Duration standbyRetry;

    public Lifecycle(@DefaultValue("true") boolean autoStartup, @DefaultValue("20s") Duration stopTimeout,
                     @DefaultValue("10s") Duration standbyRetry) {
      this.autoStartup = autoStartup;
      this.stopTimeout = Objects.requireNonNull(stopTimeout, "stopTimeout");
      this.standbyRetry = Objects.requireNonNull(standbyRetry, "standbyRetry");
      if (stopTimeout.isNegative()) {
        throw new IllegalArgumentException("patchbay.lifecycle.stop-timeout must not be negative, was " + stopTimeout);
      }
      if (standbyRetry.isZero() || standbyRetry.isNegative()) {
        throw new IllegalArgumentException("patchbay.lifecycle.standby-retry must be positive, was " + standbyRetry);
      }
    }

    public Duration getStandbyRetry() {
      return standbyRetry;
    }

    public boolean isAutoStartup() {
      return autoStartup;
    }

    public Duration getStopTimeout() {
      return stopTimeout;
    }
  }

  /** One pattern's runs. */
  public static final class PatternRuns {

    static final PatternRuns ON_DEMAND = new PatternRuns(null, false, true);

    /** Runs the pattern when the context starts, then again this long after each run ends. */
    private final Duration every;

    /** Runs the pattern once when the context starts (where no schedule is given). */
    private final boolean runAtStart;

    /** Whether the context starts this pattern: false leaves it to the application (a broadcast not started, no schedule). */
    private final boolean autoStartup;

    public PatternRuns(Duration every, @DefaultValue("false") boolean runAtStart, @DefaultValue("true") boolean autoStartup) {
      if (every != null && (every.isZero() || every.isNegative())) {
        throw new IllegalArgumentException("a pattern's every must be positive, was " + every);
      }
      this.every = every;
      this.runAtStart = runAtStart;
      this.autoStartup = autoStartup;
    }

    public Duration getEvery() {
      return every;
    }

    public boolean isRunAtStart() {
      return runAtStart;
    }

    public boolean isAutoStartup() {
      return autoStartup;
    }
  }
}
