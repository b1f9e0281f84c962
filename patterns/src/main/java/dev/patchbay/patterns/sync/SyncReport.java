package dev.patchbay.patterns.sync;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.ArrayList;
import java.util.Objects;

/**
 * What one round of a {@link BidirectionalSync} did.
 *
 * @param name       the sync's name
 * @param status     COMPLETED, BLOCKED (refused before writing anything) or FAILED, of the status every
 *                   pattern's reports share
 * @param message    why it was blocked or failed; null when completed
 * @param a          what was written to side A
 * @param b          what was written to side B
 * @param conflicts  every conflict met, once, with how it was resolved; the losing version is in it
 * @param failures   writes a side refused, with the reason; those pairs are tried again next round
 * @param startedAt  when the round started
 * @param finishedAt when it ended
 * @param clockSkew  how far side B's clock was ahead of side A's when the round started (negative:
 *                   behind), measured through {@code ChangeFeed.now()}; null where a side does not
 *                   tell its clock
 * @param findings   what a person should know that is not a failure: a clock skew larger than the
 *                   conflict policy's tolerance, records created again after their pair was deleted
 */
public record SyncReport(String name, RunStatus status, String message, SideCounts a, SideCounts b,
                         List<ResolvedConflict> conflicts, List<Outcome.Failed> failures, Instant startedAt,
                         Instant finishedAt, java.time.Duration clockSkew, List<String> findings) implements Report {

  /**
   * What a round did to one side.
   *
   * @param changesRead changes read from this side's feed
   * @param created     records created on this side
   * @param updated     records updated on this side
   * @param deleted     records deleted on this side
   * @param unchanged   records the round looked at on this side and left as they were (the sync's own
   *                    writes coming back through the feed among them)
   * @param skipped     linked records of this side out of its scope: neither written nor carried over
   */
  public record SideCounts(long changesRead, long created, long updated, long deleted, long unchanged, long skipped) {

    /** Records written to this side. */
    public long written() {
      return created + updated + deleted;
    }
  }

  /**
   * A conflict and its resolution.
   *
   * @param conflict   both versions and the base
   * @param resolution what the policy decided
   */
  public record ResolvedConflict(Conflict conflict, Resolution resolution) {
  }

  public SyncReport {
    Objects.requireNonNull(status, "status");
    conflicts = List.copyOf(conflicts);
    failures = List.copyOf(failures);
    findings = List.copyOf(findings);
  }

  /** {@code sync}. */
  @Override
  public String pattern() {
    return "sync";
  }

  /** Each side's counts ({@code a}, {@code b}), the conflicts (keys, decision, how) and the clock skew in milliseconds. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("a", side(a));
    d.put("b", side(b));
    List<Object> cs = new ArrayList<>();
    for (ResolvedConflict c : conflicts) {
      Map<String, Object> one = new LinkedHashMap<>();
      one.put("aKey", c.conflict().aKey());
      one.put("bKey", c.conflict().bKey());
      one.put("decision", c.resolution().kind().name());
      one.put("how", c.resolution().how());
      cs.add(one);
    }
    d.put("conflicts", cs);
    d.put("clockSkewMillis", clockSkew == null ? null : clockSkew.toMillis());
    return d;
  }

  private static Map<String, Object> side(SideCounts c) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("changesRead", c.changesRead());
    m.put("created", c.created());
    m.put("updated", c.updated());
    m.put("deleted", c.deleted());
    m.put("unchanged", c.unchanged());
    m.put("skipped", c.skipped());
    return m;
  }

  /** Records written to either side. */
  public long written() {
    return a.written() + b.written();
  }

  /** One paragraph for a person; keys and counts only, never values. */
  @Override
  public String summary() {
    StringBuilder s = new StringBuilder(message != null ? message : "Sync '" + name + "' round " + status);
    s.append("\n  side A: ").append(line(a)).append("\n  side B: ").append(line(b));
    if (!conflicts.isEmpty()) {
      s.append("\n  conflicts: ").append(conflicts.size());
      conflicts.stream().limit(10).forEach(c -> s.append("\n    ").append(c.conflict().aKey()).append(" <-> ")
          .append(c.conflict().bKey()).append(": ").append(c.resolution().how()));
    }
    failures.stream().limit(10).forEach(f -> s.append("\n  failed: ").append(f.key()).append(": ").append(f.reason()));
    findings.stream().limit(10).forEach(f -> s.append("\n  finding: ").append(f));
    return s.toString();
  }

  private static String line(SideCounts c) {
    return "read " + c.changesRead() + " changes from its feed; wrote " + c.written() + " (created " + c.created()
        + ", updated " + c.updated() + ", deleted " + c.deleted() + "); left " + c.unchanged() + " as they were"
        + (c.skipped() == 0 ? "" : "; skipped " + c.skipped() + " out of scope");
  }
}
