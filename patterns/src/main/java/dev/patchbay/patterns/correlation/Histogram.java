package dev.patchbay.patterns.correlation;

import java.util.List;
import java.util.Objects;

/**
 * How the scores of the pairs a round compared fell, with the thresholds: where a rule separates
 * matches from non-matches, the histogram has two humps, and the link threshold belongs in the
 * valley between them, the review threshold at the valley's lower edge.
 *
 * @param from   the lower edge of the first bin
 * @param width  the width of each bin
 * @param counts the pairs in each bin, lowest first
 * @param link   the link threshold
 * @param review the review threshold
 */
public record Histogram(double from, double width, List<Long> counts, double link, double review) {

  public Histogram {
    counts = List.copyOf(Objects.requireNonNull(counts, "counts"));
  }

  /** How many pairs the histogram counts. */
  public long total() {
    return counts.stream().mapToLong(Long::longValue).sum();
  }

  /**
   * Counts scores as they come, to an eighth of a unit, in memory that follows the scores' range,
   * not their number (a round at a million records a side scores tens of millions of pairs).
   */
  static final class Counter {
    private static final int STEPS = 8;
    private static final int MOST = 1 << 20;
    private long[] counts = new long[64];
    private long base = Long.MIN_VALUE;
    private double min = Double.POSITIVE_INFINITY;
    private double max = Double.NEGATIVE_INFINITY;

    void add(double score) {
      if (Double.isNaN(score)) {
        return;
      }
      min = Math.min(min, score);
      max = Math.max(max, score);
      long step = (long) Math.floor(Math.max(-1e12, Math.min(1e12, score)) * STEPS);
      if (base == Long.MIN_VALUE) {
        base = step - counts.length / 2;
      }
      if (step < base || step >= base + counts.length) {
        long lo = Math.min(base, step);
        long hi = Math.max(base + counts.length, step + 1);
        if (hi - lo > MOST) {   // a range too wide to count by eighths: the outermost steps take the rest
          step = Math.max(base, Math.min(base + counts.length - 1, step));
        } else {
          long[] wider = new long[(int) Math.min(MOST, Math.max(2L * counts.length, hi - lo))];
          long newBase = lo - Math.max(0, (wider.length - (hi - lo)) / 2);
          System.arraycopy(counts, 0, wider, (int) (base - newBase), counts.length);
          counts = wider;
          base = newBase;
        }
      }
      counts[(int) (step - base)]++;
    }

    /** The scores counted so far, in {@code bins} bins from the lowest to the highest (one bin where all are equal). */
    Histogram histogram(int bins, double link, double review) {
      if (min > max) {
        return new Histogram(0, 1, List.of(), link, review);
      }
      int n = max > min ? bins : 1;
      double width = max > min ? (max - min) / bins : 1;
      long[] c = new long[n];
      for (int i = 0; i < counts.length; i++) {
        if (counts[i] > 0) {
          double at = Math.max(min, (double) (base + i) / STEPS);
          c[Math.min(n - 1, (int) ((at - min) / width))] += counts[i];
        }
      }
      return new Histogram(min, width, java.util.Arrays.stream(c).boxed().toList(), link, review);
    }
  }

  /** The histogram as lines of text, a bar a bin, the thresholds marked. */
  public String render() {
    StringBuilder out = new StringBuilder();
    long most = counts.stream().mapToLong(Long::longValue).max().orElse(1);
    for (int i = 0; i < counts.size(); i++) {
      double lo = from + i * width;
      double hi = lo + width;
      String mark = lo <= link && link < hi ? "  <- link " + link : lo <= review && review < hi ? "  <- review " + review : "";
      out.append(String.format("%9.2f %-40s %d%s%n", lo, "#".repeat((int) Math.ceil(40.0 * counts.get(i) / most)),
          counts.get(i), mark));
    }
    return out.toString();
  }
}
