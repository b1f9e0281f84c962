package dev.patchbay.patterns.sync;

import dev.patchbay.core.Fields;
import java.util.Objects;

/**
 * What the sync knows of one pair of records: the key on each side and the last synced values
 * (the base of three-way comparison), in side A's field names and only the mapped fields.
 *
 * @param aKey  the record's key on side A
 * @param bKey  the record's key on side B
 * @param base  the values both sides held after the last round that settled them (for a
 *              {@link State#PENDING} pair, the values being created); null once {@link State#DELETED}
 * @param state where the pair stands
 * @param origin for a {@link State#PENDING} pair, the side the record was created on; else null
 */
public record Link(String aKey, String bKey, Fields base, State state, Side origin) {

  /** Where a pair stands. */
  public enum State {
    /** A create is about to be written under these keys: recorded before the write, so a crash cannot duplicate it. */
    PENDING,
    /** Both sides hold the record, equal to the base on the mapped fields. */
    LINKED,
    /** Deleted on both sides; a later change to either key is not brought back by the sync. */
    DELETED
  }

  public Link {
    Objects.requireNonNull(aKey, "aKey");
    Objects.requireNonNull(bKey, "bKey");
    Objects.requireNonNull(state, "state");
    if (state != State.DELETED) {
      Objects.requireNonNull(base, "base");
    }
    if ((state == State.PENDING) != (origin != null)) {
      throw new IllegalArgumentException("a pending link, and only a pending link, has an origin");
    }
  }

  /** A record of {@code origin}'s about to be created on the other side with {@code values}. */
  static Link pending(String aKey, String bKey, Fields values, Side origin) {
    return new Link(aKey, bKey, values, State.PENDING, origin);
  }

  static Link linked(String aKey, String bKey, Fields base) {
    return new Link(aKey, bKey, base, State.LINKED, null);
  }

  static Link deleted(String aKey, String bKey) {
    return new Link(aKey, bKey, null, State.DELETED, null);
  }

  @Override
  public String toString() {
    return "Link[" + aKey + " <-> " + bKey + ", " + state + "]";
  }
}
