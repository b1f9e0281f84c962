package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.FailureGroup;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one run of an {@link Aggregation} did.
 *
 * @param name          the aggregation's name
 * @param status        COMPLETED; PARTIAL where an input failed (named in {@code failedInputs}: no
 *                      output was derived from the part of it not read, and the next run reads it
 *                      again); FAILED where the destination failed; STOPPED on request; PLANNED for a
 *                      dry run
 * @param message       why it was partial, failed or stopped; null where it completed
 * @param inputs        by input name, what the run did with its records: read, taken into an entity
 *                      (created, updated, unchanged), removed from one (deleted), skipped out of scope,
 *                      failed (a transform or merge key that failed: in {@code failures}, keyed
 *                      {@code input:key})
 * @param output        what the run wrote to the destination: golden records created, updated,
 *                      deleted (no member left), unchanged, failed (in {@code failures}, keyed by the
 *                      output key)
 * @param failedInputs  the inputs whose reading failed, in order
 * @param heldBack      golden records not written because a member's input failed before reading it:
 *                      they keep what the destination held
 * @param failures      every record that failed, at an input or at the destination
 * @param findings      what a person should know that is not a failure
 */
public record AggregationReport(String name, RunStatus status, String message, Map<String, EndpointCounts> inputs,
                                EndpointCounts output, List<String> failedInputs, long heldBack,
                                List<Outcome.Failed> failures, List<String> findings, Instant startedAt,
                                Instant finishedAt) implements Report {

  public AggregationReport {
    Objects.requireNonNull(status, "status");
    inputs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(inputs));
    Objects.requireNonNull(output, "output");
    failedInputs = List.copyOf(failedInputs);
    failures = List.copyOf(failures);
    findings = List.copyOf(findings);
  }

  /** {@code aggregation}. */
  @Override
  public String pattern() {
    return "aggregation";
  }

  /** Each input under its name, then {@code destination}. */
  @Override
  public Map<String, EndpointCounts> endpoints() {
    Map<String, EndpointCounts> e = new LinkedHashMap<>(inputs);
    e.put("destination", output);
    return e;
  }

  /** The failed inputs and the records held back. */
  @Override
  public Map<String, Object> details() {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("failedInputs", failedInputs);
    d.put("heldBack", heldBack);
    return d;
  }

  /** A few lines for a person: counts and keys, never values. */
  @Override
  public String summary() {
    StringBuilder s = new StringBuilder(message != null ? message : "Aggregation '" + name + "' " + status);
    inputs.forEach((input, c) -> s.append("\n  input ").append(input).append(": read ").append(c.read())
        .append("; into entities ").append(c.created()).append(" new, ").append(c.updated()).append(" changed, ")
        .append(c.unchanged()).append(" as before; removed ").append(c.deleted())
        .append(c.skipped() == 0 ? "" : "; skipped " + c.skipped() + " out of scope")
        .append(c.failed() == 0 ? "" : "; failed " + c.failed()));
    s.append("\n  output: created ").append(output.created()).append(", updated ").append(output.updated())
        .append(", deleted ").append(output.deleted()).append(", unchanged ").append(output.unchanged())
        .append(output.failed() == 0 ? "" : "; failed " + output.failed())
        .append(heldBack == 0 ? "" : "; held back " + heldBack + " (an input failed)");
    FailureGroup.lines(failures, 10).forEach(f -> s.append("\n  failed: ").append(f));
    findings.stream().limit(10).forEach(f -> s.append("\n  finding: ").append(f));
    return s.toString();
  }
}
