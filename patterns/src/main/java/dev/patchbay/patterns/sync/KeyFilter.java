package dev.patchbay.patterns.sync;

import java.util.BitSet;

/**
 * A Bloom filter of keys in a fixed 8 MiB (67,108,864 bits, five hashes): {@link #mightHold} is
 * true for every key added, and for about one other key in 400,000 once a million keys are in (one
 * in 20 at ten million). Memory does not grow with the keys, which is the point: a round may write
 * millions.
 */
final class KeyFilter {

  private static final int BITS = 1 << 26;

  private final BitSet bits = new BitSet(BITS);

  void add(String key) {
    long h = hash(key);
    for (int i = 0; i < 5; i++) {
      bits.set(index(h, i));
    }
  }

  boolean mightHold(String key) {
    long h = hash(key);
    for (int i = 0; i < 5; i++) {
      if (!bits.get(index(h, i))) {
        return false;
      }
    }
    return true;
  }

  private static int index(long h, int i) {
    int lo = (int) h;
    int hi = (int) (h >>> 32);
    return Math.floorMod(lo + i * hi, BITS);
  }

  /** A 64-bit hash of the key's characters (FNV-1a, then mixed). */
  private static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h = (h ^ key.charAt(i)) * 0x100000001b3L;
    }
    h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
    return h ^ (h >>> 33);
  }
}
