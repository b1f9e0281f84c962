package dev.patchbay.patterns.correlation;

import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Record keys filed by a 64-bit hash of their blocking keys: open addressing over two arrays, a
 * slot holding one record key or an array of them. A million records under five keys each take
 * about 120 MiB here, against about 500 MiB as a map of strings to lists. Two blocking keys with
 * one hash only add candidate pairs, which the rule then scores; at 64 bits that is next to never.
 */
final class KeyIndex {

  private static final long EMPTY = 0;
  private long[] hashes = new long[1024];
  private Object[] held = new Object[1024];
  private int used;

  /** A 64-bit hash of {@code key}, never 0 (the empty slot's mark). */
  static long hash(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return h == EMPTY ? 1 : h;
  }

  private int slot(long hash) {
    int mask = hashes.length - 1;
    int i = (int) (hash ^ hash >>> 32) & mask;
    while (hashes[i] != EMPTY && hashes[i] != hash) {
      i = (i + 1) & mask;
    }
    return i;
  }

  /** Files {@code key} under {@code hash}. */
  void add(long hash, String key) {
    if (used * 2 >= hashes.length) {
      grow();
    }
    int i = slot(hash);
    if (hashes[i] == EMPTY) {
      hashes[i] = hash;
      held[i] = key;
      used++;
    } else if (held[i] instanceof String one) {
      held[i] = new String[] {one, key};
    } else {
      String[] keys = (String[]) held[i];
      String[] more = Arrays.copyOf(keys, keys.length + 1);
      more[keys.length] = key;
      held[i] = more;
    }
  }

  /** Takes {@code key} out from under {@code hash}; a slot left empty keeps its hash (a key filed there again reuses it). */
  void remove(long hash, String key) {
    int i = slot(hash);
    if (hashes[i] == EMPTY) {
      return;
    }
    if (held[i] instanceof String one) {
      if (one.equals(key)) {
        held[i] = new String[0];
      }
      return;
    }
    String[] keys = (String[]) held[i];
    for (int k = 0; k < keys.length; k++) {
      if (keys[k].equals(key)) {
        String[] fewer = new String[keys.length - 1];
        System.arraycopy(keys, 0, fewer, 0, k);
        System.arraycopy(keys, k + 1, fewer, k, keys.length - k - 1);
        held[i] = fewer.length == 1 ? fewer[0] : fewer;
        return;
      }
    }
  }

  /** Hands each key filed under {@code hash} to {@code action}. */
  void forEach(long hash, Consumer<String> action) {
    int i = slot(hash);
    if (hashes[i] == EMPTY) {
      return;
    }
    if (held[i] instanceof String one) {
      action.accept(one);
    } else {
      for (String k : (String[]) held[i]) {
        action.accept(k);
      }
    }
  }

  private void grow() {
    long[] oldHashes = hashes;
    Object[] oldHeld = held;
    hashes = new long[oldHashes.length * 2];
    held = new Object[oldHashes.length * 2];
    for (int i = 0; i < oldHashes.length; i++) {
      if (oldHashes[i] != EMPTY) {
        int j = slot(oldHashes[i]);
        hashes[j] = oldHashes[i];
        held[j] = oldHeld[i];
      }
    }
  }
}
