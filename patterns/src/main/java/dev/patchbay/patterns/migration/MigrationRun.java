package dev.patchbay.patterns.migration;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.report.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.report.Reconciliation;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Tally;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.internal.Writes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One run (or dry run) of a {@link Migration}; used once. */
final class MigrationRun<S, T> {

  private static final Logger LOG = LoggerFactory.getLogger(Migration.class);
  /** The state's space of a delta migration's keys: a source key, and the destination key written for it. */
  static final String WRITTEN = "written";
  /** The pipeline's name of the one destination. */
  private static final String DESTINATION = "destination";

  private final Migration<S, T> m;
  /** The run's scope and transform, record by record. */
  private final RecordStep<S, T> step;
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

  // Running totals: everything up to the last record processed.
  private long read;
  private Tally tally = new Tally();
  private final List<Outcome.Failed> failures = new ArrayList<>();
  private long batches;

  /** What is durable: the last progress saved (or loaded). */
  private Progress committed;

  /** A run, or a dry run (the engine's run says which) reading what the destination holds through {@code planFrom} where given. */
  MigrationRun(Migration<S, T> migration, Migration.Bound<S, T> bound, Engine<RunReport>.Run run, Lookup<T> planFrom) {
    this.m = migration;
    this.step = new RecordStep<>(bound.scope(), bound.transform(), migration.reasonDetail);
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
    Instant startedAt = Instant.now();
    Optional<Progress> saved = state.progress(warning -> {
      LOG.warn("{}", warning);
      notes.add(warning);
    });
    saved.ifPresent(p -> m.sameRun(p, fingerprint, state.name()));
    committed = saved.orElseGet(() -> Progress.start(startedAt));
    // A delta migration's completed run leaves its position, describing no run in flight: the next starts there afresh.
    boolean resuming = saved.isPresent() && !(m.feed != null && saved.get().run().isEmpty());
    Checkpoint resumedFrom = resuming ? committed.position(Progress.SOURCE) : null;
    restore(committed);
    if (!resuming && saved.isPresent()) {
      LOG.info("{} '{}' reading the changes after its last completed run", dryRun ? "Dry run of" : "Migration", m.name);
    } else if (resuming) {
      LOG.info("{} '{}' resuming from checkpoint #{} saved at {}", dryRun ? "Dry run of" : "Migration",
          m.name, committed.sequence(), committed.savedAt());
      notes.add("resumed from checkpoint #" + committed.sequence() + " saved at " + committed.savedAt());
    } else {
      LOG.info("{} '{}' starting from the beginning", dryRun ? "Dry run of" : "Migration", m.name);
    }

    String stop;
    try {
      stop = migrate();
      if (STOPPED_ON_REQUEST.equals(stop)) {
        LOG.info("Migration '{}' stopped on request at checkpoint #{}", m.name, committed.sequence());
        return report(RunStatus.STOPPED, "stopped on request at checkpoint #" + committed.sequence()
                + ", which the next run resumes from", startedAt, resumedFrom, committed.position(Progress.SOURCE),
            committed.counts(), committed.failures(), null);
      }
      if (STOPPED_BY_INTERRUPT.equals(stop)) {
        throw new Stop(stop, new InterruptedException(stop));
      }
    } catch (Stop s) {
      if (interruptedBy(s)) {   // asked to stop (Future.cancel(true)): what was saved stands, and the report says so
        Thread.currentThread().interrupt();
        LOG.info("Migration '{}' stopped on request at checkpoint #{}", m.name, committed.sequence());
        return report(RunStatus.STOPPED, "its thread was interrupted; stopped at checkpoint #" + committed.sequence()
                + ", which the next run resumes from", startedAt, resumedFrom, committed.position(Progress.SOURCE),
            committed.counts(), committed.failures(), null);
      }
      // The message may quote an exception from a connector, which can hold record values: the
      // cause's class at ERROR, the whole story at DEBUG.
      LOG.error("Migration '{}' stopped: {}", m.name, s.logLine);
      LOG.debug("Migration '{}' stopped: {}", m.name, s.getMessage(), s.getCause());
      return report(RunStatus.FAILED, s.getMessage(), startedAt, resumedFrom, committed.position(Progress.SOURCE),
          committed.counts(), committed.failures(), null);
    }
    if (stop != null) {
      if (dryRun) {
        LOG.warn("Dry run of '{}' would stop: {}", m.name, stop);
      } else {
        LOG.error("Migration '{}' stopped: {}", m.name, stop);
      }
      RunStatus status = dryRun ? RunStatus.PLANNED : RunStatus.FAILED;
      return report(status, stop, startedAt, resumedFrom, committed.position(Progress.SOURCE), counts(), failures, null);
    }
    if (dryRun) {
      return report(RunStatus.PLANNED, null, startedAt, resumedFrom, null, counts(), failures, null);
    }
    Reconciliation reconciliation = null;
    if (m.reconcile) {
      try {
        reconciliation = reconcile();
      } catch (RuntimeException e) {
        notes.add("reconciliation could not finish: " + describe(e));
        LOG.warn("reconciliation could not finish: {}", Failures.forLog(e));
      }
    }
    try {
      if (m.feed != null) {   // the position stays, for the next run's changes; the counts were this run's
        state.save(new Progress(Map.of(Progress.SOURCE, committed.position(Progress.SOURCE)), Map.of(),
            committed.sequence() + 1, Counts.zero(), List.of(), Instant.now(), Map.of()), List.of());
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
      return report(RunStatus.FAILED, message, startedAt, resumedFrom, null, counts(), failures, reconciliation);
    }
    RunReport report = report(RunStatus.COMPLETED, null, startedAt, resumedFrom, null, counts(), failures, reconciliation);
    Counts c = report.counts();
    LOG.info("Migration '{}' completed: read {}, created {}, updated {}, unchanged {}, skipped {}, failed {}",
        m.name, c.read(), c.created(), c.updated(), c.unchanged(), c.skipped(), c.failed());
    return report;
  }

  /** What {@link #migrate} answers where its thread was interrupted, after settling what was in flight. */
  private static final String STOPPED_BY_INTERRUPT = "stopped: its thread was interrupted";
  /** What {@link #migrate} answers where a stop was asked ({@link Migration#stop()}), after settling what was in flight. */
  private static final String STOPPED_ON_REQUEST = "stopped on request";

  /** Whether {@code s} came of an interrupt (the thread's flag, or an interrupted wait, read or file write among its causes). */
  private static boolean interruptedBy(Stop s) {
    if (Thread.currentThread().isInterrupted()) {
      return true;
    }
    for (Throwable t = s; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof InterruptedException || t instanceof java.nio.channels.ClosedByInterruptException
          || t instanceof java.io.InterruptedIOException || t instanceof Threads.Interrupted) {
        return true;
      }
    }
    return false;
  }

  /** Processes batches until the source ends (null) or a failure limit is crossed (the message). */
  private String migrate() {
    Reading.Reader<S> cursor;
    try {
      cursor = Reading.Reader.open(m, committed.position(Progress.SOURCE));
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new Stop("the source could not be opened at checkpoint #" + committed.sequence() + ": " + describe(e), e);
    }
    // A run ending early leaves no write going on behind it (the pipeline's close waits): the next run may start at once.
    try (cursor; Pipeline<T, Pending> pipeline = new Pipeline<>(run.threads("writer", true), dryRun ? 1 : m.writers, m.writers);
         Reading.Batches<S> batches = m.readAhead
             ? new Reading.ReadAhead<>(() -> Reading.read(cursor, m.batchSize), threads(1, "reader"))
             : () -> Reading.read(cursor, m.batchSize)) {
      run.phase(RunProgress.Phase.WRITING, OptionalLong.empty());
      while (true) {
        if (run.stopRequested() || Thread.currentThread().isInterrupted()) {   // asked to stop: settle what is in flight, then end there
          boolean onRequest = !Thread.currentThread().isInterrupted();
          boolean interrupted = Thread.interrupted();
          try {
            while (!pipeline.isEmpty()) {
              String stop = settle(pipeline.oldest());
              if (stop != null) {
                return stop;
              }
            }
          } finally {
            if (interrupted) {
              Thread.currentThread().interrupt();
            }
          }
          return onRequest ? STOPPED_ON_REQUEST : STOPPED_BY_INTERRUPT;
        }
        Reading.Batch<S> batch;
        try {
          batch = batches.next();
        } catch (Stop s) {
          throw s;
        } catch (RuntimeException e) {
          throw new Stop("the source failed while reading after checkpoint #" + committed.sequence()
              + "; the run did not reach the end of the data: " + describe(e), e);
        }
        if (batch.records().isEmpty()) {
          break;
        }
        Pipeline.Batch<T, Pending> pending = prepare(batch, pipeline);
        pipeline.add(pending);
        // Settle the oldest batches while as many are in flight as writers may be busy, and all of
        // them once this batch crossed the failure limit.
        while (!pipeline.isEmpty() && (pipeline.full() || pending.context().limitCrossed)) {
          String stop = settle(pipeline.oldest());
          if (stop != null) {
            return stop;
          }
        }
      }
      while (!pipeline.isEmpty()) {
        String stop = settle(pipeline.oldest());
        if (stop != null) {
          return stop;
        }
      }
      return null;
    }
  }

  /** A daemon thread pool of this run's, its threads named after the migration; the MDC carried over. */
  private ExecutorService threads(int n, String role) {
    return Executors.newFixedThreadPool(n, run.threads(role, n > 1));
  }

  /** What the run keeps with a batch between reading and its checkpoint. */
  private static final class Pending {
    /** What the state is to remember with the batch's checkpoint: the key each source record was written under. */
    final List<Entry> entries = new ArrayList<>();
    /** The checkpoint once settled: after the last record taken. */
    Checkpoint position;
    /** Records taken from the batch (all, unless the failure limit was crossed in it). */
    long read;
    /** Whether the failure limit was crossed in this batch (counting the failures known of those in flight before it). */
    boolean limitCrossed;
  }

  /**
   * Scopes and transforms a batch and hands its changes to the pipeline, which writes them (after
   * any write in flight for one of the same keys).
   */
  private Pipeline.Batch<T, Pending> prepare(Reading.Batch<S> batch, Pipeline<T, Pending> pipeline) {
    Pipeline.Batch<T, Pending> b = pipeline.open(new Pending());
    Pending p = b.context();
    List<Change<T>> changes = new ArrayList<>(batch.records().size());
    Set<String> keysInBatch = new HashSet<>();
    long unsettledFailures = pipeline.knownFailures();
    Map<String, Entry> wrote = written(batch);
    Consumer<List<Change<T>>> writeFirst = earlier -> b.write(DESTINATION, earlier, this::write);
    int last = batch.records().size() - 1;
    for (int i = 0; i < batch.records().size(); i++) {
      Change<S> record = batch.records().get(i);
      p.read++;
      Outcome early;
      if (record == null) {
        early = batch.unreadable().get(i);
      } else if (record instanceof Change.Upsert<S> upsert) {
        early = scopeAndTransform(upsert.record(), changes, keysInBatch, writeFirst, p.entries);
      } else {
        early = deleted(record.key(), wrote, changes, keysInBatch, writeFirst);
      }
      if (early != null) {
        b.decided(early);
        if (early instanceof Outcome.Failed && failures.size() + unsettledFailures + b.knownFailures() > m.failureLimit) {
          p.limitCrossed = true;
          last = i;
          break;
        }
      }
    }
    b.write(DESTINATION, List.copyOf(changes), this::write);
    p.position = batch.positions().get(last);
    return b;
  }

  /**
   * Scopes and transforms one record: adds its change, or returns its outcome (skipped, failed).
   * Where the batch has a change for the same destination key already, the changes before it are
   * handed to {@code writeFirst}, so that the later record wins.
   */
  private Outcome scopeAndTransform(Envelope<S> record, List<Change<T>> changes, Set<String> keysInBatch,
      Consumer<List<Change<T>>> writeFirst, List<Entry> entries) {
    RecordStep.Result<T> result;
    try {
      result = step.apply(record);
    } catch (RecordStep.Transient e) {
      throw new Stop(e.where() + " failed transiently on record '" + e.key() + "': " + describe(e.getCause()), e.getCause());
    }
    if (result.outcome() != null) {
      return result.outcome();
    }
    Envelope<T> mapped = result.mapped();
    add(Change.upsert(mapped), changes, keysInBatch, writeFirst);
    if (m.feed != null) {
      entries.add(new Entry(WRITTEN, record.key(), null, null, Fields.of("to", mapped.key())));
    }
    return null;
  }

  /**
   * Adds {@code change} to the batch's changes; where the batch has a change for the same
   * destination key already, the changes before it are handed to {@code writeFirst}, so that the
   * later one wins.
   */
  private static <T> void add(Change<T> change, List<Change<T>> changes, Set<String> keysInBatch,
      Consumer<List<Change<T>>> writeFirst) {
    if (!keysInBatch.add(change.key())) {
      writeFirst.accept(List.copyOf(changes));
      changes.clear();
      keysInBatch.clear();
      keysInBatch.add(change.key());
    }
    changes.add(change);
  }

  /** The entries of {@link #WRITTEN} of the batch's deleted source keys, where deletes propagate. */
  private Map<String, Entry> written(Reading.Batch<S> batch) {
    if (m.deletes != DeletePolicy.PROPAGATE) {
      return Map.of();
    }
    List<String> deleted = new ArrayList<>();
    for (Change<S> change : batch.records()) {
      if (change instanceof Change.Delete<S>) {
        deleted.add(change.key());
      }
    }
    if (deleted.isEmpty()) {
      return Map.of();
    }
    try {
      return state.entries(WRITTEN, deleted);
    } catch (RuntimeException e) {
      throw new Stop("the state could not be read: " + describe(e), e);
    }
  }

  /** A record deleted at the source: the destination's record written for it is deleted, or the delete skipped. */
  private Outcome deleted(String key, Map<String, Entry> wrote, List<Change<T>> changes, Set<String> keysInBatch,
      Consumer<List<Change<T>>> writeFirst) {
    if (m.deletes == DeletePolicy.IGNORE) {
      return new Outcome.Skipped(key, "deleted at the source; DeletePolicy.IGNORE leaves the destination's record");
    }
    Entry entry = wrote.get(key);
    if (entry == null) {
      return new Outcome.Skipped(key, "deleted at the source; this migration never wrote it");
    }
    add(Change.delete((String) entry.value().get("to")), changes, keysInBatch, writeFirst);
    return null;
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
  private String settle(Pipeline.Batch<T, Pending> b) {
    Pending p = b.context();
    List<Outcome> outcomes;
    try {
      outcomes = b.outcomes();
    } catch (Threads.Interrupted e) {
      throw new Stop("interrupted while waiting for another thread of the run", e);
    }
    read += p.read;
    outcomes.forEach(this::count);
    try {
      run.settled(outcomes, b.took());
    } catch (RuntimeException e) {
      throw new Stop("the result capture failed: " + describe(e), e);
    }
    // A batch that crossed the limit is settled after those before it, whose failures it counted: here, at the latest.
    String stop = failures.size() > m.failureLimit ? limitMessage() : null;
    commit(p.position, p.entries);
    return stop;
  }

  private void count(Outcome o) {
    Outcome.Failed failed = tally.add(o);
    if (failed != null) {
      failures.add(failed);
    }
  }

  /** Records read up to the last checkpoint: the progress a batch's checkpoint adds to. */
  private long before;

  private void commit(Checkpoint position, List<Entry> entries) {
    Progress next = new Progress(Map.of(Progress.SOURCE, position), Map.of(), committed.sequence() + 1, counts(), failures,
        Instant.now(), fingerprint);
    boolean interrupted = Thread.interrupted();   // a stop asked by interrupting still saves this checkpoint, whole
    try {
      state.save(next, entries);   // a dry run's state is a scratch: what it saves is forgotten with it
    } catch (RuntimeException e) {
      throw new Stop("the checkpoint could not be saved: " + describe(e), e);
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    committed = next;
    batches++;
    run.advanced(read - before);
    before = read;
    if (LOG.isDebugEnabled()) {
      LOG.debug("batch {} committed as checkpoint #{}: {} records read so far, {} failed",
          batches, next.sequence(), read, failures.size());
    }
  }

  private Reconciliation reconcile() {
    if (m.feed != null) {
      notes.add("not reconciled: a delta migration reads changes, not the whole source");
      return null;
    }
    if (!(m.destination instanceof Lookup<?>)) {
      notes.add("not reconciled: the destination cannot be read by key (it does not implement Lookup)");
      return null;
    }
    run.phase(RunProgress.Phase.RECONCILING, OptionalLong.of(read));
    return new Reconciler<>(m, scope, transform, retrying, failures, run::advanced).reconcile();
  }

  private void restore(Progress p) {
    read = p.counts().read();
    before = read;
    tally = Tally.from(p.counts());
    failures.addAll(p.failures());
  }

  private Counts counts() {
    return tally.counts(read, failures.size());
  }

  private String limitMessage() {
    return failures.size() + " records failed, more than the failure limit of " + m.failureLimit
        + "; the next run resumes after the last failed record";
  }

  private RunReport report(RunStatus status, String message, Instant startedAt, Checkpoint resumedFrom,
      Checkpoint checkpoint, Counts counts, List<Outcome.Failed> failed, Reconciliation reconciliation) {
    String full = message == null ? null : "Migration '" + m.name + "' " + (dryRun ? "would stop: " : "stopped: ") + message;
    return new RunReport(m.name, "migration", status, full, counts, failed, startedAt, Instant.now(),
        batches, retrying.retries(), resumedFrom, checkpoint, reconciliation, notes);
  }

  /** An exception for the report, as the migration's {@link ReasonDetail} says; never for logs. */
  private String describe(Throwable e) {
    return Failures.forReport(e, m.reasonDetail);
  }
}
