package dev.patchbay.connectors.testkit;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Faults to inject into a connector, built once and handed to
 * {@link Faulty#inject(Faults)}. Random faults draw from a generator seeded with
 * {@link Builder#seed(long)}, so a failing test reproduces from its seed.
 *
 * <pre>{@code
 * faulty.inject(Faults.builder().seed(seed)
 *     .transientWriteFailures(0.2)          // 20 % of write calls fail before applying anything
 *     .lostAcknowledgements(0.05)           // 5 % apply the batch, then report a transient failure
 *     .rejectWrite(17)                      // the 17th change written is rejected, and its key from then on
 *     .crashAt(Faults.CrashPoint.WRITE_PARTIAL, 3)   // the 3rd write call applies half, then dies
 *     .build());
 * }</pre>
 *
 * @param seed               seeds the random faults
 * @param transientWriteRate share of write calls that throw a transient failure before applying anything
 * @param lostAckRate        share of write calls that apply everything, then throw a transient failure
 * @param rejectedWrites     1-based numbers of changes (counted over all write calls) to reject
 * @param rejectedKeys       keys whose changes are always rejected
 * @param crashes            planned crashes; each fires once
 * @param onCrash            run at a crash before {@link SimulatedCrash} is thrown (an action that halts the JVM never returns)
 */
public record Faults(long seed, double transientWriteRate, double lostAckRate,
                     Set<Long> rejectedWrites, Set<String> rejectedKeys, List<Crash> crashes,
                     Runnable onCrash) {

  /** Where a planned crash happens. */
  public enum CrashPoint {
    /** After the n-th record is returned by a cursor of the store. */
    READ,
    /** In the n-th write call, after the first half of the batch is applied. */
    WRITE_PARTIAL,
    /** In the n-th write call, after the whole batch is applied and before it is acknowledged. */
    WRITE_UNACKED
  }

  /** A crash at the {@code nth} (1-based) occurrence of {@code point}. */
  public record Crash(CrashPoint point, long nth) {
    public Crash {
      Objects.requireNonNull(point, "point");
      if (nth < 1) {
        throw new IllegalArgumentException("crash occurrence must be at least 1, was " + nth);
      }
    }
  }

  public Faults {
    checkRate("transient write failure rate", transientWriteRate);
    checkRate("lost acknowledgement rate", lostAckRate);
    rejectedWrites = Set.copyOf(rejectedWrites);
    rejectedKeys = Set.copyOf(rejectedKeys);
    crashes = List.copyOf(crashes);
    Objects.requireNonNull(onCrash, "onCrash");
  }

  /** No faults at all. */
  public static Faults none() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  private static void checkRate(String what, double rate) {
    if (!(rate >= 0 && rate <= 1)) {
      throw new IllegalArgumentException(what + " must be between 0 and 1, was " + rate);
    }
  }

  /** Builds {@link Faults}; every setting is optional. */
  public static final class Builder {
    private long seed;
    private double transientWriteRate;
    private double lostAckRate;
    private final Set<Long> rejectedWrites = new HashSet<>();
    private final Set<String> rejectedKeys = new HashSet<>();
    private final List<Crash> crashes = new ArrayList<>();
    private Runnable onCrash;

    private Builder() {
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder transientWriteFailures(double rate) {
      this.transientWriteRate = rate;
      return this;
    }

    public Builder lostAcknowledgements(double rate) {
      this.lostAckRate = rate;
      return this;
    }

    /** Rejects the {@code nth} change written (1-based, over all write calls), and its key ever after. */
    public Builder rejectWrite(long nth) {
      rejectedWrites.add(nth);
      return this;
    }

    /** Rejects every change to {@code key}. */
    public Builder rejectKey(String key) {
      rejectedKeys.add(Objects.requireNonNull(key, "key"));
      return this;
    }

    public Builder crashAt(CrashPoint point, long nth) {
      crashes.add(new Crash(point, nth));
      return this;
    }

    /** Runs {@code action} at a planned crash, before {@link SimulatedCrash} is thrown: {@code () -> Runtime.getRuntime().halt(3)} kills the JVM for real. */
    public Builder onCrash(Runnable action) {
      this.onCrash = Objects.requireNonNull(action, "action");
      return this;
    }

    public Faults build() {
      return new Faults(seed, transientWriteRate, lostAckRate, rejectedWrites, rejectedKeys, crashes,
          onCrash != null ? onCrash : () -> { });
    }
  }
}
