package dev.patchbay.patterns.correlation;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.FailureGroup;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a round of a {@link Correlation} did: how it linked (the links it made and ended, the
 * queue for review, each side's counts, the score histogram), then how it synced the linked pairs
 * (the round of the bi-directional sync underneath, with its conflicts and each side's writes).
 *
 * @param name       the correlation's name
 * @param status     COMPLETED; FAILED where a side could not be read (nothing linked or written) or
 *                   the sync of linked pairs failed; BLOCKED where the sync was
 * @param message    why it did not complete; null where it did
 * @param linking    what the matching did
 * @param sync       the sync of the linked pairs; null where the round stopped before it
 * @param findings   what a person should know: each link ended and why, and the sync's findings
 * @param startedAt  when the round began
 * @param finishedAt when it ended
 */
public record CorrelationReport(String name, RunStatus status, String message, Linking linking, SyncReport sync,
                                List<String> findings, Instant startedAt, Instant finishedAt) implements Report {

  /**
   * What a round's matching did.
   *
   * @param compared    the candidate pairs blocking produced and the rule scored this round
   * @param a           side A's records by where they stand after the round
   * @param b           side B's
   * @param linkedCount how many links this round made
   * @param linked      the first {@value #LISTED} of them ({@link Correlation#links()} has every link)
   * @param endedCount  how many links this round ended
   * @param ended       the first {@value #LISTED} of them, with why: a link that no longer holds is never kept
   * @param review      pairs waiting for a person after the round
   * @param histogram   the scores of the pairs compared this round, with the thresholds
   */
  public record Linking(long compared, SideCounts a, SideCounts b, long linkedCount, List<CrosswalkLink> linked,
                        long endedCount, List<Ended> ended, int review, Histogram histogram) {
    /** How many links made and ended a report lists; it counts them all. */
    public static final int LISTED = 1_000;

    public Linking {
      linked = List.copyOf(linked.subList(0, Math.min(LISTED, linked.size())));
      ended = List.copyOf(ended.subList(0, Math.min(LISTED, ended.size())));
    }
  }

  /**
   * One side's records in scope, by where they stand.
   *
   * @param records   records in scope
   * @param linked    linked to a record of the other side
   * @param review    not linked, in a pair waiting for review
   * @param ambiguous not linked: two candidates too close to call
   * @param unmatched none of the above: no record of the other side is this one's
   */
  public record SideCounts(long records, long linked, long review, long ambiguous, long unmatched) {
  }

  /** A link a round ended: the pair and why (a record deleted, the rule no longer linking it, a person's rejection). */
  public record Ended(String aKey, String bKey, String reason) {
  }

  public CorrelationReport {
    Objects.requireNonNull(status, "status");
    findings = List.copyOf(findings);
  }

  @Override
  public String pattern() {
    return "correlation";
  }

  @Override
  public List<Outcome.Failed> failures() {
    return sync == null ? List.of() : sync.failures();
  }

  /** {@code a} and {@code b}: what the sync of linked pairs did at each side. */
  @Override
  public Map<String, EndpointCounts> endpoints() {
    return sync == null ? Map.of("a", EndpointCounts.zero(), "b", EndpointCounts.zero()) : sync.endpoints();
  }

  /** The matching's counts, the links made and ended, the histogram, and the sync's conflicts. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    if (linking != null) {
      d.put("compared", linking.compared());
      d.put("linkedCount", linking.linkedCount());
      d.put("endedCount", linking.endedCount());
      d.put("sideA", side(linking.a()));
      d.put("sideB", side(linking.b()));
      List<Object> made = new ArrayList<>();
      for (CrosswalkLink l : linking.linked()) {
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("aKey", l.aKey());
        one.put("bKey", l.bKey());
        one.put("by", l.by().name());
        one.put("score", l.score());
        made.add(one);
      }
      d.put("linked", made);
      List<Object> ended = new ArrayList<>();
      for (Ended e : linking.ended()) {
        ended.add(new LinkedHashMap<>(Map.of("aKey", e.aKey(), "bKey", e.bKey(), "reason", e.reason())));
      }
      d.put("ended", ended);
      d.put("review", linking.review());
      Map<String, Object> h = new LinkedHashMap<>();
      h.put("from", linking.histogram().from());
      h.put("width", linking.histogram().width());
      h.put("counts", new ArrayList<Object>(linking.histogram().counts()));
      h.put("link", linking.histogram().link());
      h.put("review", linking.histogram().review());
      d.put("histogram", h);
    }
    if (sync != null) {
      d.put("sync", sync.details());
    }
    return d;
  }

  private static Map<String, Object> side(SideCounts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records", c.records());
    m.put("linked", c.linked());
    m.put("review", c.review());
    m.put("ambiguous", c.ambiguous());
    m.put("unmatched", c.unmatched());
    return m;
  }

  /** A few lines for a person: keys and counts, never values. */
  @Override
  public String summary() {
    StringBuilder s = new StringBuilder(message != null ? message : "Correlation '" + name + "' round " + status);
    if (linking != null) {
      s.append("\n  compared ").append(linking.compared()).append(" candidate pairs; ")
          .append(linking.linkedCount()).append(" linked, ").append(linking.endedCount()).append(" links ended, ")
          .append(linking.review()).append(" waiting for review");
      s.append("\n  side A: ").append(line(linking.a())).append("\n  side B: ").append(line(linking.b()));
    }
    if (sync != null) {
      s.append("\n  sync of linked pairs: wrote ").append(sync.a().written()).append(" to A, ")
          .append(sync.b().written()).append(" to B, ").append(sync.conflicts().size()).append(" conflicts");
    }
    FailureGroup.lines(failures(), 10).forEach(f -> s.append("\n  failed: ").append(f));
    findings.stream().limit(10).forEach(f -> s.append("\n  finding: ").append(f));
    return s.toString();
  }

  private static String line(SideCounts c) {
    return c.records() + " records: " + c.linked() + " linked, " + c.review() + " in review, " + c.ambiguous()
        + " ambiguous, " + c.unmatched() + " unmatched";
  }
}
