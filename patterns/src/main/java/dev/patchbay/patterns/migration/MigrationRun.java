package dev.patchbay.patterns.migration;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.report.Reconciliation;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.internal.BatchStep;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.FeedReader;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.internal.Writes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One run (or dry run) of a {@link Migration}; used once. */
final class MigrationRun<S, T> {

  private static final Logger LOG = LoggerFactory.getLogger(Migration.class);
  /** A delta migration's keys: a source key, and the destination key written for it. */
  static final EntryCodec<BatchStep.Held> WRITTEN = BatchStep.Held.codec("written");
  /** The pipeline's name of the one destination. */
  private static final String DESTINATION = "destination";

  private final Migration<S, T> m;
  /** The run's record policy, batch by batch. */
  private final BatchStep<S, T> batchStep;
  private final ScopeCriteria<S> scope;
  private final Transform<S, T> transform;
  private final Map<String, String> fingerprint;
  private final Engine<RunReport>.Run run;
  private final NamedState state;
  private final boolean dryRun;
  private final Retrying retrying;
  /** Where the run writes: the migration's destination, or in a dry run a plan over it. */
  private final Destination<T> destination;
  private final List<String> notes = new ArrayList<>();

  /** The last checkpoint, and the totals up to the last record settled. */
  private Checkpoints checkpoints;
  /** Failures the batch step decided in batches not settled yet (those of their writes the pipeline knows). */
  private long unsettledFailures;

  private Instant startedAt;
  /** The checkpoint the run resumed from; null where it started afresh. */
  private Checkpoint resumedFrom;

  /** A run, or a dry run (the engine's run says which) reading what the destination holds through {@code planFrom} where given. */
  MigrationRun(Migration<S, T> migration, Migration.Bound<S, T> bound, Engine<RunReport>.Run run, Lookup<T> planFrom) {
    this.m = migration;
    this.batchStep = new BatchStep<>(new RecordStep<>(bound.scope(), bound.transform(), migration.reasonDetail),
        new BatchStep.Policy(migration.feed != null ? migration.deletes : DeletePolicy.IGNORE,
            migration.feed != null ? WRITTEN : null, false, false, true));
    this.scope = bound.scope();
    this.transform = bound.transform();
    this.fingerprint = bound.fingerprint();
    if (!bound.parameters().isEmpty()) {
      notes.add("parameters: " + bound.parameters());
    }
    this.run = run;
    this.state = run.state();
    this.dryRun = run.planning();
    this.retrying = run.retrying(migration.retry);
    this.destination = run.destination("destination", migration.destination, planFrom, retrying);
  }

  RunReport execute() {
    startedAt = Instant.now();
    Optional<Progress> saved = state.progress(warning -> {
      LOG.warn("{}", warning);
      notes.add(warning);
    });
    saved.ifPresent(p -> m.sameRun(p, fingerprint, state.name()));
    Progress committed = saved.orElseGet(() -> Progress.start(startedAt));
    checkpoints = new Checkpoints(state, committed, fingerprint);
    // A delta migration's completed run leaves its position, describing no run in flight: the next starts there afresh.
    boolean resuming = saved.isPresent() && !(m.feed != null && saved.get().run().isEmpty());
    resumedFrom = resuming ? committed.position(Progress.SOURCE) : null;
    String at = "checkpoint #" + committed.sequence() + " saved at " + committed.savedAt();
    if (resuming) {
      notes.add("resumed from " + at);
    }
    LOG.info("{} '{}' {}", dryRun ? "Dry run of" : "Migration", m.name, resuming ? "resuming from " + at
        : saved.isPresent() ? "reading the changes after its last completed run" : "starting from the beginning");

    String stop;
    try {
      stop = migrate();
      if (Stop.STOPPED_BY_INTERRUPT.equals(stop)) {
        throw new Stop(stop, new InterruptedException(stop));
      }
    } catch (Stop s) {
      if (s.byInterrupt()) {   // asked to stop (Future.cancel(true)): what was saved stands, and the report says so
        Thread.currentThread().interrupt();
        stop = Stop.INTERRUPTED;
      } else {
      // The message may quote an exception from a connector, which can hold record values: the
      // cause's class at ERROR, the whole story at DEBUG.
        LOG.error("Migration '{}' stopped: {}", m.name, s.logLine);
        LOG.debug("Migration '{}' stopped: {}", m.name, s.getMessage(), s.getCause());
        return atCheckpoint(RunStatus.FAILED, s.getMessage());
      }
    }
    if (Stop.STOPPED_ON_REQUEST.equals(stop) || Stop.INTERRUPTED.equals(stop)) {
      LOG.info("Migration '{}' stopped on request at checkpoint #{}", m.name, checkpoints.committed().sequence());
      return atCheckpoint(RunStatus.STOPPED, stop + " at checkpoint #" + checkpoints.committed().sequence()
          + ", which the next run resumes from");
    }
    if (stop != null) {
      if (dryRun) {
        LOG.warn("Dry run of '{}' would stop: {}", m.name, stop);
      } else {
        LOG.error("Migration '{}' stopped: {}", m.name, stop);
      }
      RunStatus status = dryRun ? RunStatus.PLANNED : RunStatus.FAILED;
      return report(status, stop, checkpoints.committed().position(Progress.SOURCE), null);
    }
    if (dryRun) {
      return report(RunStatus.PLANNED, null, null, null);
    }
    Reconciliation reconciliation = m.reconcile ? reconcile() : null;
    try {
      if (m.feed != null) {   // the position stays, for the next run's changes; the counts were this run's
        Progress last = checkpoints.committed();
        state.save(Progress.after(last, Instant.now()).at(Progress.SOURCE, last.position(Progress.SOURCE)), List.of());
      } else {
        state.clear();
      }
    } catch (RuntimeException e) {
      notes.add("the checkpoint could not be " + (m.feed != null ? "saved as completed" : "cleared") + " (" + describe(e)
          + "); the next run resumes at the end");
    }
    if (reconciliation != null && !reconciliation.holds()) {   // M1 broken: never COMPLETED
      String message = "the destination does not hold what the run wrote: reconciliation desired "
          + reconciliation.desired() + ", matched " + reconciliation.matched() + ", missing " + reconciliation.missing()
          + ", differing " + reconciliation.differing() + " (the report lists the first); the next run starts over";
      LOG.error("Migration '{}' stopped: {}", m.name, message);
      return report(RunStatus.FAILED, message, null, reconciliation);
    }
    RunReport report = report(RunStatus.COMPLETED, null, null, reconciliation);
    Counts c = report.counts();
    LOG.info("Migration '{}' completed: read {}, created {}, updated {}, unchanged {}, skipped {}, failed {}",
        m.name, c.read(), c.created(), c.updated(), c.unchanged(), c.skipped(), c.failed());
    return report;
  }

  /** Processes batches until the source ends (null) or a failure limit is crossed (the message). */
  private String migrate() {
    FeedReader.Stream<S> cursor;
    Progress committed = checkpoints.committed();
    Checkpoint at = committed.position(Progress.SOURCE);
    try {
      cursor = m.feed == null ? FeedReader.Stream.of(m.source, at) : FeedReader.Stream.of(m.feed, at);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new Stop("the source could not be opened at checkpoint #" + committed.sequence() + ": " + describe(e), e);
    }
    // A run ending early leaves no write going on behind it (the pipeline's close waits): the next run may start at once.
    try (cursor; Pipeline<T, Pending<T>> pipeline = new Pipeline<>(run.threads("writer", true), dryRun ? 1 : m.writers, m.writers);
         FeedReader.Batches<S> batches = m.readAhead
             ? new FeedReader.Ahead<>(() -> cursor.next(m.batchSize), Executors.newFixedThreadPool(1, run.threads("reader", false)))
             : () -> cursor.next(m.batchSize)) {
      run.phase(RunProgress.Phase.WRITING, OptionalLong.empty());
      while (true) {
        if (run.stopRequested() || Thread.currentThread().isInterrupted()) {   // asked to stop: settle what is in flight, then end there
          boolean interrupted = Thread.interrupted();
          try {
            String stop = settleAll(pipeline);
            return stop != null ? stop : interrupted ? Stop.STOPPED_BY_INTERRUPT : Stop.STOPPED_ON_REQUEST;
          } finally {
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
          }
        }
        FeedReader.Batch<S> batch;
        try {
          batch = batches.next();
        } catch (Stop s) {
          throw s;
        } catch (Threads.Interrupted e) {   // waiting for the read ahead: a stop, what is in flight settled first
          continue;
        } catch (RuntimeException e) {
          throw new Stop("the source failed while reading after checkpoint #" + checkpoints.committed().sequence()
              + "; the run did not reach the end of the data: " + describe(e), e);
        }
        if (batch.records().isEmpty()) {
          break;
        }
        Pipeline.Batch<T, Pending<T>> pending = prepare(batch, pipeline);
        pipeline.add(pending);
        // Settle the oldest batches while as many are in flight as writers may be busy, and all of
        // them once this batch crossed the failure limit.
        while (!pipeline.isEmpty() && (pipeline.full() || pending.context().decided().limitCrossed())) {
          String stop = settle(pipeline.oldest());
          if (stop != null) {
            return stop;
          }
        }
      }
      return settleAll(pipeline);
    }
  }

  /** Settles every batch in flight, oldest first: null, or the message where the run stops at one. */
  private String settleAll(Pipeline<T, Pending<T>> pipeline) {
    while (!pipeline.isEmpty()) {
      String stop = settle(pipeline.oldest());
      if (stop != null) {
        return stop;
      }
    }
    return null;
  }

  /**
   * What the run keeps with a batch between reading and its checkpoint: the batch as the step
   * decided it (outcomes decided, writes to make, the entries to save once answered), and the
   * checkpoint after its last record taken.
   */
  private record Pending<T>(BatchStep.Decided<T> decided, Checkpoint position) {
  }

  /**
   * Decides a batch through the batch step and hands its writes to the pipeline, which writes them
   * (after any write in flight for one of the same keys).
   */
  private Pipeline.Batch<T, Pending<T>> prepare(FeedReader.Batch<S> batch, Pipeline<T, Pending<T>> pipeline) {
    List<Outcome> early = null;
    if (!batch.unreadable().isEmpty()) {
      early = new ArrayList<>(java.util.Collections.nCopies(batch.records().size(), null));
      for (Map.Entry<Integer, Outcome.Failed> u : batch.unreadable().entrySet()) {
        early.set(u.getKey(), u.getValue());
      }
    }
    BatchStep.Decided<T> decided;
    try {
      decided = batchStep.decide(batch.records(), early, this::written,
          m.failureLimit - checkpoints.failures().size() - unsettledFailures - pipeline.knownFailures());
    } catch (RecordStep.Transient e) {
      throw new Stop(e.where() + " failed transiently on record '" + e.key() + "': " + describe(e.getCause()), e.getCause());
    }
    unsettledFailures += decided.failures();
    Pipeline.Batch<T, Pending<T>> b = pipeline.open(new Pending<>(decided, batch.positions().get(decided.taken() - 1)));
    decided.waves(1).forEach(wave -> b.write(DESTINATION, wave, this::write));
    return b;
  }

  /** What {@link #WRITTEN} holds of {@code keys}: the destination key each source key was written under. */
  private Map<String, BatchStep.Held> written(java.util.Collection<String> keys) {
    try {
      return WRITTEN.read(state, keys);
    } catch (RuntimeException e) {
      throw new Stop("the state could not be read: " + describe(e), e);
    }
  }

  /** Writes (or, in a dry run, plans) {@code batch}: its outcomes, checked against what was asked. */
  private List<Outcome> write(List<Change<T>> batch) {
    try {
      return Writes.write(destination, batch, retrying, "the destination");
    } catch (Writes.WrongAnswer e) {
      throw new Stop(e.getMessage(), null);
    } catch (TransientException e) {
      throw new Stop("writing a batch of " + batch.size() + " failed " + retrying.maxAttempts()
          + " times, the retry limit; last error: " + describe(e), e);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new Stop("the destination failed: " + describe(e), e);
    }
  }

  /**
   * Counts and captures a batch's outcomes in record order (waiting for its writes) and saves its
   * checkpoint: null, or the failure-limit message where the run stops here.
   */
  private String settle(Pipeline.Batch<T, Pending<T>> b) {
    Pending<T> p = b.context();
    BatchStep.Result<T> result = p.decided().settle(p.decided().inWriteOrder(outcomes(b)));
    if (result.misfit() != null) {   // not the records': the run stops before the batch is saved as done
      throw new SetupException(result.misfitMessage("Migration '" + m.name + "'",
          "checkpoint #" + checkpoints.committed().sequence()));
    }
    List<Outcome> outcomes = result.outcomes();
    unsettledFailures -= p.decided().failures();
    checkpoints.settled(outcomes);
    try {
      run.settled(outcomes, b.took());
    } catch (RuntimeException e) {
      throw new Stop("the result capture failed: " + describe(e), e);
    }
    // A batch that crossed the limit is settled after those before it, whose failures it counted: here, at the latest.
    int failed = checkpoints.failures().size();
    String stop = failed <= m.failureLimit ? null : failed + " records failed, more than the failure limit of " + m.failureLimit
        + "; the next run resumes after the last failed record";
    commit(p.position(), result.entries());
    return stop;
  }

  /**
   * The batch's outcomes once its writes answered. An interrupt while waiting for them is kept
   * for the run's next look at a stop (where what is in flight is settled, then the run ends): a
   * write in flight is never dropped for it.
   */
  private List<Outcome> outcomes(Pipeline.Batch<T, Pending<T>> b) {
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return b.outcomes();
        } catch (Threads.Interrupted e) {
          interrupted = true;
          Thread.interrupted();   // the writes go on on their own threads: wait for them all the same
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void commit(Checkpoint position, List<Entry> entries) {
    try {
      run.advanced(checkpoints.commit(position, entries));
    } catch (RuntimeException e) {
      throw new Stop("the checkpoint could not be saved: " + describe(e), e);
    }
    if (LOG.isDebugEnabled()) {
      LOG.debug("batch {} committed as checkpoint #{}: {} records read so far, {} failed", checkpoints.batches(),
          checkpoints.committed().sequence(), checkpoints.read(), checkpoints.failures().size());
    }
  }

  /** The run's reconciliation; null where there is none, or it could not finish (a note says which). */
  private Reconciliation reconcile() {
    run.phase(RunProgress.Phase.RECONCILING, OptionalLong.of(checkpoints.read()));
    try {
      return Reconciler.reconcile(m, scope, transform, retrying, checkpoints.failures(), run::advanced,
          notes::add);
    } catch (RuntimeException e) {
      notes.add("reconciliation could not finish: " + describe(e));
      LOG.warn("reconciliation could not finish: {}", Failures.forLog(e));
      return null;
    }
  }

  /** The report of a run that ends at its last checkpoint, with the counts and failures saved there. */
  private RunReport atCheckpoint(RunStatus status, String message) {
    Progress at = checkpoints.committed();
    return report(status, message, at.position(Progress.SOURCE), at.counts(), at.failures(), null);
  }

  /** The report of a run that ends where it is, {@code checkpoint} the position saved (null: none kept). */
  private RunReport report(RunStatus status, String message, Checkpoint checkpoint, Reconciliation reconciliation) {
    return report(status, message, checkpoint, checkpoints.counts(), checkpoints.failures(), reconciliation);
  }

  private RunReport report(RunStatus status, String message, Checkpoint checkpoint, Counts counts,
      List<Outcome.Failed> failed, Reconciliation reconciliation) {
    String full = message == null ? null : "Migration '" + m.name + "' " + (dryRun ? "would stop: " : "stopped: ") + message;
    return new RunReport(m.name, "migration", status, full, counts, failed, startedAt, Instant.now(),
        checkpoints.batches(), retrying.retries(), resumedFrom, checkpoint, reconciliation, notes);
  }

  /** An exception for the report, as the migration's {@link ReasonDetail} says; never for logs. */
  private String describe(Throwable e) {
    return Failures.forReport(e, m.reasonDetail);
  }
}
