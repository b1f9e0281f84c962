package dev.patchbay.patterns.sync;

import dev.patchbay.core.Fields;

/**
 * The three-way decision of one pair: from the last synced base, what each side holds now and the
 * conflict policy, what both sides are to hold. A pure function: no state, no I/O, and (checked by
 * a property test) the same decision whichever system is side A.
 */
final class ThreeWay {

  private ThreeWay() {
  }

  /** What a pair is to become. */
  sealed interface Decision permits Same, Carry, Deleted, Resolved {
  }

  /** Both sides hold {@code values} already (null: neither holds the record); nothing to write. */
  record Same(Fields values) implements Decision {
  }

  /** One side changed: both are to hold {@code values}. */
  record Carry(Fields values) implements Decision {
  }

  /** The record was deleted on {@code from}, and not changed on the other side. */
  record Deleted(Side from) implements Decision {
  }

  /** Both changed, differently: the policy's resolution. */
  record Resolved(Conflict conflict, Resolution resolution) implements Decision {
  }

  /**
   * Decides a pair.
   *
   * @param base      what both held after the last round; null for records created apart (any difference then conflicts)
   * @param a         side A's record now, in A's terms and mapped fields only; null where absent
   * @param b         side B's record now, likewise
   * @param aVersion  side A's modification time (a delete's time where deleted; 0 where unknown)
   * @param bVersion  side B's
   */
  static Decision decide(String aKey, String bKey, Fields base, Fields a, Fields b, long aVersion, long bVersion,
      ConflictPolicy policy) {
    if (same(a, b)) {
      return new Same(a);
    }
    boolean changedA = base == null || !same(a, base);
    boolean changedB = base == null || !same(b, base);
    if (changedA && !changedB) {
      return a == null ? new Deleted(Side.A) : new Carry(a);
    }
    if (changedB && !changedA) {
      return b == null ? new Deleted(Side.B) : new Carry(b);
    }
    Conflict c = new Conflict(aKey, bKey, base, a, b, aVersion, bVersion);
    return new Resolved(c, policy.resolve(c));
  }

  /** Equal on every field, numbers by value; or both absent. */
  static boolean same(Fields x, Fields y) {
    return x == null ? y == null : y != null && x.differingFrom(y).isEmpty();
  }
}
