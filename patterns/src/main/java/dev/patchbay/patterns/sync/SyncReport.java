package dev.patchbay.patterns.sync;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.FailureGroup;
import dev.patchbay.core.report.EndpointCounts;
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
 * @param a          what the round did at side A: changes read from its feed, records written there, left
 *                   as they were, skipped out of its scope, and writes it refused
 * @param b          what the round did at side B
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
public record SyncReport(String name, RunStatus status, String message, EndpointCounts a, EndpointCounts b,
                         List<ResolvedConflict> conflicts, List<Outcome.Failed> failures, Instant startedAt,
                         Instant finishedAt, java.time.Duration clockSkew, List<String> findings) implements Report {

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

  /** {@code a} and {@code b}: each side's counts. */
  @Override
  public Map<String, EndpointCounts> endpoints() {
    Map<String, EndpointCounts> e = new LinkedHashMap<>();
    e.put("a", a);
    e.put("b", b);
    return e;
  }

  /** The conflicts (keys, decision, how) and the clock skew in milliseconds. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
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
    FailureGroup.lines(failures, 10).forEach(f -> s.append("\n  failed: ").append(f));
    findings.stream().limit(10).forEach(f -> s.append("\n  finding: ").append(f));
    return s.toString();
  }

  private static String line(EndpointCounts c) {
    return "read " + c.read() + " changes from its feed; wrote " + c.written() + " (created " + c.created()
        + ", updated " + c.updated() + ", deleted " + c.deleted() + "); left " + c.unchanged() + " as they were"
        + (c.skipped() == 0 ? "" : "; skipped " + c.skipped() + " out of scope")
        + (c.failed() == 0 ? "" : "; failed " + c.failed());
  }
}
