package dev.patchbay.core.report;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The report of one run of a named pattern. For a run that resumed, counts and failures cover the
 * whole migration from its first attempt, each record once.
 *
 * @param name           the pattern's name
 * @param pattern        the kind of pattern ("migration")
 * @param status         how the run ended
 * @param message        why a FAILED run stopped, naming the limit or error; {@code null} otherwise
 * @param counts         records read and their outcomes
 * @param failures       every failed record: key, stage, field and reason
 * @param startedAt      when this run started
 * @param finishedAt     when this run ended
 * @param batches        batches committed by this run
 * @param retries        transient failures retried by this run
 * @param resumedFrom    the checkpoint this run resumed from; {@code null} for a fresh run
 * @param checkpoint     the checkpoint a FAILED run resumes from; {@code null} otherwise
 * @param reconciliation desired against actual state; {@code null} where not performed
 * @param findings       what a person should know (a resume, a checkpoint fallback, a skipped reconciliation)
 */
public record RunReport(String name, String pattern, RunStatus status, String message,
                        Counts counts, List<Outcome.Failed> failures, Instant startedAt,
                        Instant finishedAt, long batches, long retries, Checkpoint resumedFrom,
                        Checkpoint checkpoint, Reconciliation reconciliation, List<String> findings)
    implements Report {

  public RunReport {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(counts, "counts");
    failures = List.copyOf(failures);
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(finishedAt, "finishedAt");
    findings = List.copyOf(findings);
  }

  /**
   * The {@code source}: records read, skipped out of scope, and failed before the write (unreadable,
   * at scope or transform); the {@code destination}: what was written there, left as it was, or refused.
   */
  @Override
  public Map<String, EndpointCounts> endpoints() {
    long refused = failures.stream().filter(f -> f.stage() == Stage.WRITE).count();
    Map<String, EndpointCounts> e = new LinkedHashMap<>();
    e.put("source", new EndpointCounts(counts.read(), 0, 0, 0, 0, counts.skipped(), counts.failed() - refused));
    e.put("destination", new EndpointCounts(0, counts.created(), counts.updated(), counts.deleted(), counts.unchanged(),
        0, refused));
    return e;
  }

  /** Counts, batches, retries, the checkpoints resumed from and to resume from, the reconciliation. */
  @Override
  public Map<String, Object> details() {
    return JsonCodec.details(this);
  }

  /** Status, counts, failures, reconciliation and findings. */
  @Override
  public String summary() {
    StringBuilder s = new StringBuilder();
    s.append(pattern).append(" '").append(name).append("': ").append(status);
    if (message != null) {
      s.append(" - ").append(message);
    }
    s.append(System.lineSeparator())
        .append(String.format("  read %d: created %d, updated %d, unchanged %d, deleted %d, skipped %d, failed %d",
            counts.read(), counts.created(), counts.updated(), counts.unchanged(), counts.deleted(),
            counts.skipped(), counts.failed()))
        .append(resumedFrom != null ? " (the whole migration: this run and the runs it resumed)" : "");
    for (String group : FailureGroup.lines(failures, 20)) {
      s.append(System.lineSeparator()).append("  FAILED ").append(group);
    }
    if (reconciliation != null) {
      s.append(System.lineSeparator()).append(String.format(
          "  reconciliation %s: desired %d, matched %d, missing %d, differing %d, failed and excluded %d",
          reconciliation.holds() ? "holds" : "DOES NOT HOLD", reconciliation.desired(),
          reconciliation.matched(), reconciliation.missing(), reconciliation.differing(),
          reconciliation.failedExcluded()));
    }
    for (String note : findings) {
      s.append(System.lineSeparator()).append("  note: ").append(note);
    }
    return s.toString();
  }
}
