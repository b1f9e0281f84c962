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

  /** The histogram of {@code scores} in {@code bins} bins spanning them (one bin where all are equal). */
  static Histogram of(double[] scores, int n, int bins, double link, double review) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < n; i++) {
      lo = Math.min(lo, scores[i]);
      hi = Math.max(hi, scores[i]);
    }
    if (n == 0) {
      return new Histogram(0, 1, List.of(), link, review);
    }
    double width = hi > lo ? (hi - lo) / bins : 1;
    int count = hi > lo ? bins : 1;
    long[] c = new long[count];
    for (int i = 0; i < n; i++) {
      c[Math.min(count - 1, (int) ((scores[i] - lo) / width))]++;
    }
    return new Histogram(lo, width, java.util.Arrays.stream(c).boxed().toList(), link, review);
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
