package dev.patchbay.connectors.file;

import java.util.Arrays;

/**
 * Where every {@value #EVERY}th line of a file starts, learnt while the file is read, so that a
 * reader can start near any line without reading the lines before it. For files that are appended
 * to, not rewritten, while the connector is open; a file found shorter than a known offset is
 * learnt afresh.
 */
final class LineIndex {
  static final int EVERY = 256;

  /** {@code offsets[i]}: the byte offset after {@code i * EVERY} lines. */
  private long[] offsets = {0};
  private int known = 1;

  /** Notes that {@code linesBefore} lines end at byte {@code offset}. */
  synchronized void learn(long linesBefore, long offset) {
    if (linesBefore % EVERY != 0 || linesBefore / EVERY != known) {
      return;
    }
    if (known == offsets.length) {
      offsets = Arrays.copyOf(offsets, known * 2);
    }
    offsets[known++] = offset;
  }

  /** The known point at or before {@code lines} lines, no further than {@code size} bytes: {lines, offset}. */
  synchronized long[] nearest(long lines, long size) {
    int i = (int) Math.min(lines / EVERY, known - 1);
    if (offsets[known - 1] > size) {
      known = 1;
      i = 0;
    }
    return new long[] {(long) i * EVERY, offsets[i]};
  }
}
