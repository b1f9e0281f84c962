package dev.patchbay.patterns.aggregation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Keys kept as one text (each as its length, a colon, then itself), so that an entry holding many
 * keys is one value: keys may hold any character, and a {@link dev.patchbay.core.Fields} named by
 * keys would make a shape of its own for every set of them.
 */
final class Keys {

  private Keys() {
  }

  static String join(Collection<String> keys) {
    StringBuilder s = new StringBuilder();
    for (String k : keys) {
      s.append(k.length()).append(':').append(k);
    }
    return s.toString();
  }

  /** @throws IllegalArgumentException where {@code text} is not what {@link #join} made */
  static List<String> split(String text) {
    List<String> keys = new ArrayList<>();
    int at = 0;
    while (at < text.length()) {
      int colon = text.indexOf(':', at);
      if (colon < 0) {
        throw new IllegalArgumentException("kept keys are cut short at " + at);
      }
      int length = Integer.parseInt(text, at, colon, 10);
      int end = colon + 1 + length;
      if (end > text.length()) {
        throw new IllegalArgumentException("kept keys are cut short at " + at);
      }
      keys.add(text.substring(colon + 1, end));
      at = end;
    }
    return keys;
  }
}
