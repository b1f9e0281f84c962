package dev.patchbay.patterns.sync;

import dev.patchbay.core.Fields;

/**
 * Both sides changed one pair of records since the last round, to different values. Values are in
 * side A's field names, mapped fields only; null where that side deleted the record.
 *
 * @param aKey     the key on side A
 * @param bKey     the key on side B
 * @param base     what both held after the last round (null for two records created apart)
 * @param a        side A's version now
 * @param b        side B's version now
 * @param aVersion side A's modification time (epoch microseconds; 0 where unknown)
 * @param bVersion side B's modification time
 */
public record Conflict(String aKey, String bKey, Fields base, Fields a, Fields b, long aVersion, long bVersion) {

  /** This side's values. */
  public Fields values(Side side) {
    return side == Side.A ? a : b;
  }

  /** This side's modification time. */
  public long version(Side side) {
    return side == Side.A ? aVersion : bVersion;
  }

  @Override
  public String toString() {
    return "Conflict[" + aKey + " <-> " + bKey + "]";
  }
}
