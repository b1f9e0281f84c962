package dev.patchbay.patterns.migration;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.Progress;
import dev.patchbay.patterns.internal.Tally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A migration run's checkpoints: the last progress saved (or loaded), and the totals up to the last
 * record settled (records read, counts by outcome, the failures kept), which each batch's checkpoint
 * saves with the batch's entries, in one step. Not thread-safe: the run's own thread settles.
 */
final class Checkpoints {

  private final NamedState state;
  /** What the run is: saved with each checkpoint, so that a resume can tell a changed run. */
  private final Map<String, String> fingerprint;
  private Progress committed;
  private long read;
  /** Records read up to the last checkpoint. */
  private long before;
  private final Tally tally;
  private final List<Outcome.Failed> failures = new ArrayList<>();
  private long batches;

  /** Goes on from {@code committed}, its totals the run's so far. */
  Checkpoints(NamedState state, Progress committed, Map<String, String> fingerprint) {
    this.state = state;
    this.fingerprint = fingerprint;
    this.committed = committed;
    this.read = committed.counts().read();
    this.before = read;
    this.tally = Tally.from(committed.counts());
    this.failures.addAll(committed.failures());
  }

  /** The last progress saved, or the one the run started from. */
  Progress committed() {
    return committed;
  }

  /** Adds a settled batch's outcomes to the totals. */
  void settled(List<Outcome> outcomes) {
    read += outcomes.size();
    for (Outcome o : outcomes) {
      Outcome.Failed failed = tally.add(o);
      if (failed != null) {
        failures.add(failed);
      }
    }
  }

  /**
   * Saves the checkpoint after {@code position}, the totals and {@code entries} in one step (a
   * stop asked by interrupting still saves it, whole).
   *
   * @return the records settled since the checkpoint before
   * @throws RuntimeException as the state store threw it, nothing committed
   */
  long commit(Checkpoint position, List<Entry> entries) {
    Progress next = Progress.after(committed, Instant.now()).at(Progress.SOURCE, position).counting(counts(), failures)
        .describing(fingerprint);
    boolean interrupted = Thread.interrupted();
    try {
      state.save(next, entries);   // a dry run's state is a scratch: what it saves is forgotten with it
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    committed = next;
    batches++;
    long advanced = read - before;
    before = read;
    return advanced;
  }

  /** The totals now. */
  Counts counts() {
    return tally.counts(read, failures.size());
  }

  long read() {
    return read;
  }

  /** Every failure of the run so far (its resumed part too). */
  List<Outcome.Failed> failures() {
    return failures;
  }

  /** The checkpoints this run saved. */
  long batches() {
    return batches;
  }
}
