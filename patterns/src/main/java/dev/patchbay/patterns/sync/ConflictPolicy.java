package dev.patchbay.patterns.sync;

import dev.patchbay.core.Fields;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decides a {@link Conflict}. A policy sees both versions at once, so its decision cannot depend
 * on which side a round looks at first; the policies here are deterministic.
 */
@FunctionalInterface
public interface ConflictPolicy {

  Resolution resolve(Conflict conflict);

  /**
   * How far apart two systems' clocks may be for this policy's decisions to hold: a round reports
   * a larger skew between the sides (in its report and as a WARN). Null, by default, for a policy
   * that compares no times.
   */
  default Duration clockTolerance() {
    return null;
  }

  /**
   * The later modification wins whole. Times within {@code tolerance} of each other (clocks of two
   * systems disagree) count as simultaneous, and {@code tiebreak} wins.
   */
  static ConflictPolicy lastWriterWins(Duration tolerance, Side tiebreak) {
    Objects.requireNonNull(tolerance, "tolerance");
    Objects.requireNonNull(tiebreak, "tiebreak");
    long slack = tolerance.toNanos() / 1_000;   // versions are epoch microseconds
    return new ConflictPolicy() {
      @Override
      public Resolution resolve(Conflict c) {
        long gap = c.aVersion() - c.bVersion();
        if (Math.abs(gap) <= slack) {
          return Resolution.side(c, tiebreak, "last writer wins: within " + tolerance + ", side " + tiebreak + " by tiebreak");
        }
        Side later = gap > 0 ? Side.A : Side.B;
        return Resolution.side(c, later, "last writer wins: side " + later + " changed later");
      }

      @Override
      public Duration clockTolerance() {
        return tolerance;
      }
    };
  }

  /**
   * Each listed field is taken from the side that owns it; the rest, and a delete on either side,
   * as {@code otherwise} decides.
   */
  static ConflictPolicy systemOfRecord(Map<String, Side> owners, ConflictPolicy otherwise) {
    Map<String, Side> owned = Map.copyOf(owners);
    Objects.requireNonNull(otherwise, "otherwise");
    return around(otherwise, c -> {
      Resolution fallback = otherwise.resolve(c);
      if (c.a() == null || c.b() == null || fallback.kind() != Resolution.Kind.KEEP) {
        return fallback;
      }
      Fields merged = fallback.values();
      for (Map.Entry<String, Side> e : owned.entrySet()) {
        merged = put(merged, e.getKey(), c.values(e.getValue()).get(e.getKey()));
      }
      return Resolution.keep(merged, "system of record per field " + new TreeSet<>(owned.keySet()) + "; otherwise "
          + fallback.how());
    });
  }

  /** {@code policy}, deciding as {@code decide} does, with the clock tolerance of {@code inner}. */
  private static ConflictPolicy around(ConflictPolicy inner, ConflictPolicy decide) {
    return new ConflictPolicy() {
      @Override
      public Resolution resolve(Conflict conflict) {
        return decide.resolve(conflict);
      }

      @Override
      public Duration clockTolerance() {
        return inner.clockTolerance();
      }
    };
  }

  /**
   * Changes to different fields are both kept; a field both sides changed differently takes the
   * value {@code otherwise} keeps, and where {@code otherwise} keeps none (it parks or deletes),
   * the whole pair goes as it decides, as does a delete on either side.
   */
  static ConflictPolicy fieldMerge(ConflictPolicy otherwise) {
    Objects.requireNonNull(otherwise, "otherwise");
    return around(otherwise, c -> {
      Resolution fallback = otherwise.resolve(c);
      if (c.a() == null || c.b() == null || c.base() == null) {
        return fallback;
      }
      Set<String> changedA = c.a().differingFrom(c.base());
      Set<String> changedB = c.b().differingFrom(c.base());
      Fields merged = c.base();
      Set<String> both = new TreeSet<>();
      Set<String> names = new TreeSet<>(changedA);
      names.addAll(changedB);
      for (String field : names) {
        boolean inA = changedA.contains(field);
        boolean inB = changedB.contains(field);
        Object value;
        if (inA && inB && !Fields.sameValue(c.a().get(field), c.b().get(field))) {
          if (fallback.kind() != Resolution.Kind.KEEP) {
            return fallback;   // a field both changed, and no values to take it from: as the fallback decided
          }
          both.add(field);
          value = fallback.values().get(field);
        } else {
          value = inA ? c.a().get(field) : c.b().get(field);
        }
        merged = put(merged, field, value);
      }
      return Resolution.keep(merged, both.isEmpty() ? "field merge: different fields changed"
          : "field merge; both changed " + both + ", there " + fallback.how());
    });
  }

  /** Nothing is written for the pair; the conflict is reported and parked until a person decides. */
  static ConflictPolicy manual() {
    return c -> Resolution.park("manual review");
  }

  private static Fields put(Fields into, String field, Object value) {
    return value == null ? into.without(field) : into.with(field, value);
  }
}
