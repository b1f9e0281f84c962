package dev.patchbay.core.state;

import dev.patchbay.core.codec.TypedJson;

import dev.patchbay.core.Fields;
import java.util.Objects;

/**
 * One keyed entry a pattern keeps between runs: a sync's link, a broadcast's ledger line, a
 * correlation's crosswalk pair. Entries live in named spaces; within a space the key is unique,
 * and so is the alias where one is given.
 *
 * @param space what kind of entry this is ("links"); a short name of letters, digits, '-' and '_'
 * @param key   the entry's key in its space: any text, compared exactly (case and trailing spaces count)
 * @param alias a second key to find the entry by (a link's key on side B), or null
 * @param tag   a label to count entries by ({@link NamedState#count}), or null
 * @param value what the entry holds; {@code TypedJson} says which value types round-trip
 */
public record Entry(String space, String key, String alias, String tag, Fields value) {

  private static final java.util.regex.Pattern SPACE = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");

  public Entry {
    Objects.requireNonNull(space, "space");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
    if (!SPACE.matcher(space).matches()) {
      throw new IllegalArgumentException("an entry's space is 1 to 64 letters, digits, '-' and '_', not '" + space + "'");
    }
  }

  /** Prints space, key, alias and tag; never the value. */
  @Override
  public String toString() {
    return "Entry[" + space + ":" + key + (alias != null ? " / " + alias : "") + (tag != null ? ", " + tag : "") + "]";
  }
}
