package dev.patchbay.patterns.sync;

import dev.patchbay.core.Fields;
import java.util.Objects;

/**
 * What a {@link ConflictPolicy} decided for a {@link Conflict}.
 *
 * @param values what both sides are to hold, in side A's field names (null for {@link Kind#DELETE}
 *               and {@link Kind#PARK})
 * @param kind   keep the values, delete on both sides, or park for a person
 * @param how    one line for the report: which side or rule won
 */
public record Resolution(Kind kind, Fields values, String how) {

  /** The three things a policy can decide. */
  public enum Kind { KEEP, DELETE, PARK }

  public Resolution {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(how, "how");
    if (kind == Kind.KEEP) {
      Objects.requireNonNull(values, "values to keep");
    }
  }

  /** Both sides hold {@code values}. */
  public static Resolution keep(Fields values, String how) {
    return new Resolution(Kind.KEEP, values, how);
  }

  /** The record is deleted on both sides. */
  public static Resolution delete(String how) {
    return new Resolution(Kind.DELETE, null, how);
  }

  /** Nothing is written for the pair until a person decides. */
  public static Resolution park(String how) {
    return new Resolution(Kind.PARK, null, how);
  }

  /** The side's version wins whole: its values, or a delete where it deleted. */
  static Resolution side(Conflict c, Side winner, String how) {
    Fields v = c.values(winner);
    return v == null ? delete(how) : keep(v, how);
  }
}
