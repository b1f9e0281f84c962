package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.Progress;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.aggregation.Entity.Kept;
import dev.patchbay.patterns.internal.BatchStep;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.FeedReader;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Tally;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an {@link Aggregation}, in two phases. Reading: each input in turn, batch by batch,
 * through the engine's {@link BatchStep} (scope, transform, versions, deletes) into the kept values
 * of the entities its records belong to; each batch saved with the input's position and the merge
 * keys it touched. Writing: the touched entities' golden records, batch by batch, to the
 * destination, each batch saved with how far it got. Nothing is written before every input was
 * read, so the destination never holds a golden record made of half a run.
 */
final class AggregationRun {

  private static final Logger LOG = LoggerFactory.getLogger(AggregationRun.class);
  /** Space of each member's entity: member id to merge key. */
  static final String MEMBERS = "member";
  /** Space of the merge keys each staged batch touched, by batch number. */
  private static final String DIRTY = "dirty";

  private final Aggregation agg;
  private final Engine<AggregationReport>.Run run;
  private final NamedState state;
  private final Retrying retrying;
  private final dev.patchbay.core.Destination<Fields> destination;
  private final Instant startedAt = Instant.now();
  private final Map<String, Tally> tallies = new LinkedHashMap<>();
  private final Map<String, long[]> readFailed = new LinkedHashMap<>();
  private final Tally output = new Tally();
  private long outputFailed;
  private long heldBack;
  private final List<Outcome.Failed> failures = new ArrayList<>();
  private final List<String> findings = new ArrayList<>();
  private Progress saved;
  private Mark mark;

  AggregationRun(Aggregation agg, Engine<AggregationReport>.Run run) {
    this.agg = agg;
    this.run = run;
    this.state = run.state();
    this.retrying = run.retrying(agg.retry);
    this.destination = run.destination("destination", agg.destination, retrying);
    agg.inputs.forEach(i -> {
      tallies.put(i.name, new Tally());
      readFailed.put(i.name, new long[2]);
    });
  }

  AggregationReport execute() {
    saved = state.progress(findings::add).orElse(null);
    mark = Mark.of(saved);
    if (mark.phase() == Mark.Phase.DONE) {
      Set<String> whole = new HashSet<>();
      agg.inputs.stream().filter(Input::whole).forEach(i -> whole.add(i.name));
      mark = mark.next(whole);
      if (!mark.rewrite().isEmpty()) {   // golden records whose write failed last run: the first batch to write
        mark = mark.staging(1);
        save(List.of(dirtyEntry(1, mark.rewrite())));
      }
    } else {
      findings.add("went on with run #" + mark.run() + ", which ended before it was done (" + mark.phase().name()
          .toLowerCase(java.util.Locale.ROOT) + ")");
    }
    if (mark.phase() == Mark.Phase.READING) {
      for (Input<?> input : agg.inputs) {
        if (!mark.finished(input.name) && !read(input)) {
          return report(RunStatus.STOPPED, "stopped on request while reading input '" + input.name + "'");
        }
      }
      mark = mark.writing();
      save(List.of());
    }
    run.phase(RunProgress.Phase.WRITING, OptionalLong.empty());
    Set<String> done = new HashSet<>();
    Set<String> rewrite = new LinkedHashSet<>(mark.rewrite());
    for (long batch = mark.written() + 1; batch <= mark.staged(); batch++) {
      try {
        write(batch, done, rewrite);
      } catch (Misfit e) {
        LOG.error("aggregation destination has no place for a field of the golden records; the run stops");
        return report(RunStatus.FAILED, e.getMessage());
      } catch (TransientException | dev.patchbay.patterns.internal.Writes.WrongAnswer e) {
        LOG.warn("aggregation destination failed ({}) writing batch {}", Failures.forLog(e), batch);
        return report(RunStatus.FAILED, "the destination failed: " + Failures.forReport(e, agg.reasonDetail)
            + "; the next run goes on from batch " + batch);
      }
      if (run.stopRequested() && batch < mark.staged()) {
        return report(RunStatus.STOPPED, "stopped on request while writing");
      }
    }
    mark = mark.done();
    save(List.of());
    if (!mark.failed().isEmpty()) {
      return report(RunStatus.PARTIAL, "Aggregation '" + agg.name + "' partial: input" + (mark.failed().size() == 1 ? " " : "s ")
          + String.join(", ", ordered(mark.failed())) + " failed; nothing was derived from what was not read of "
          + (mark.failed().size() == 1 ? "it" : "them") + ", and the next run reads " + (mark.failed().size() == 1 ? "it" : "them")
          + " again");
    }
    return report(run.planning() ? RunStatus.PLANNED : RunStatus.COMPLETED, null);
  }

  /** Reads {@code input} from its position to its end, or until it fails; false where a stop was asked. */
  private <S> boolean read(Input<S> input) {
    run.phase(RunProgress.Phase.READING, OptionalLong.empty());
    EntryCodec<BatchStep.Held> held = BatchStep.Held.codec("held-" + input.name);
    BatchStep<S, Fields> step = new BatchStep<>(new RecordStep<>(input.scope, input.transform, agg.reasonDetail),
        new BatchStep.Policy(input.whole() ? DeletePolicy.PROPAGATE : input.deletes, held, true, false, false));
    InputReader<S> reader = new InputReader<>(input, mark.position(input.name));
    try {
      while (true) {
        FeedReader.Batch<S> batch;
        List<Change<S>> readable = new ArrayList<>();
        List<Outcome> failedHere = new ArrayList<>();
        try {
          batch = retrying.call(() -> reader.next(agg.batchSize));
        } catch (RuntimeException e) {
          if (e instanceof SetupException) {
            throw e;
          }
          return failed(input, e);
        }
        if (batch.records().isEmpty()) {
          if (input.whole()) {
            sweep(input);
          }
          mark = mark.readToEnd(input.name);
          save(List.of());
          return true;
        }
        String where = input.name + ":";
        for (int i = 0; i < batch.records().size(); i++) {
          Change<S> c = batch.records().get(i);
          if (c != null) {
            readable.add(c);
          } else {
            Outcome.Failed f = batch.unreadable().get(i);
            failedHere.add(new Outcome.Failed(where + f.key(), f.stage(), f.field(), f.reason()));
            readFailed.get(input.name)[1]++;
          }
        }
        readFailed.get(input.name)[0] += batch.records().size();
        Staging stager = staging(input);
        BatchStep.Result<Fields> result;
        try {
          result = step.apply(readable, keys -> held.read(state, keys), stager::stage);
        } catch (RecordStep.Transient e) {
          return failed(input, e.getCause());
        }
        stager.leave(result.outcomes().stream().filter(RecordStep::outOfScope).map(Outcome::key).toList());
        Tally tally = tallies.get(input.name);
        for (Outcome o : result.outcomes()) {
          Outcome.Failed f = tally.add(o);
          if (f != null) {
            failedHere.add(new Outcome.Failed(where + f.key(), f.stage(), f.field(), f.reason()));
            readFailed.get(input.name)[1]++;
          }
        }
        List<Entry> entries = new ArrayList<>(result.entries());
        entries.addAll(stager.entries());
        if (input.whole()) {
          entries.addAll(Roster.append(state, input.name, stager.joined));
        }
        long staged = mark.staged() + (stager.touched.isEmpty() ? 0 : 1);
        if (!stager.touched.isEmpty()) {
          entries.add(dirtyEntry(staged, stager.touched));
        }
        mark = mark.at(input.name, batch.positions().get(batch.positions().size() - 1), staged);
        save(entries);
        failedHere.forEach(f -> failures.add((Outcome.Failed) f));
        if (!failedHere.isEmpty()) {
          run.settled(failedHere, java.time.Duration.ZERO);   // a failed input record to the capture, keyed input:key
        }
        run.advanced(batch.records().size());
        if (run.stopRequested()) {
          return false;
        }
      }
    } finally {
      reader.close();
    }
  }

  /**
   * After {@code input} was read to its end: its members this run did not read (no longer in the
   * input) dropped from their entities, which are staged for writing; the roster kept to the
   * members still there. Chunk by chunk, each saved: a kill in between sweeps again.
   */
  private void sweep(Input<?> input) {
    long chunks = Roster.chunks(state, input.name);
    for (long i = 0; i < chunks; i++) {
      Set<String> ids = Roster.chunk(state, input.name, i);
      Staging stager = staging(input);
      stager.loadMembers(ids);
      Set<String> kept = new LinkedHashSet<>();
      List<String> unseen = new ArrayList<>();
      for (String id : ids) {
        String key = stager.entityOf.get(id);
        Entity e = key == null ? null : stager.entities.get(key);
        Kept k = e == null ? null : e.members().get(id);
        if (k != null && k.seen() >= mark.run()) {
          kept.add(id);
        } else if (k != null) {
          unseen.add(id.substring(input.name.length() + 1));
        }
      }
      if (kept.size() == ids.size()) {
        continue;
      }
      stager.leave(unseen);   // by matching, the entities they leave are clustered again: one may split
      List<Entry> entries = new ArrayList<>(stager.entries());
      entries.add(Roster.chunkEntry(input.name, i, kept));
      if (!stager.touched.isEmpty()) {
        mark = mark.staging(mark.staged() + 1);
        entries.add(dirtyEntry(mark.staged(), stager.touched));
      }
      save(entries);
    }
  }

  /** What stages {@code input}'s changes: by merge key, or by matching. */
  private Staging staging(Input<?> input) {
    return agg.matching == null ? new Stager(input, agg, state, mark.run()) : new MatchingStager(input.name, agg, state, mark.run());
  }

  private boolean failed(Input<?> input, Throwable e) {
    LOG.warn("aggregation input '{}' failed ({}); the run goes on without the rest of it", input.name, Failures.forLog(e));
    findings.add("input '" + input.name + "' failed: " + Failures.forReport(e, agg.reasonDetail));
    mark = mark.failing(input.name);
    save(List.of());
    return true;
  }

  /** A batch every golden record of which the destination refused for one field it has no place for. */
  private static final class Misfit extends RuntimeException {
    Misfit(String message) {
      super(message, null, false, false);
    }
  }

  /** Writes the golden records of the entities staged batch {@code batch} touched (those not written already this run). */
  private void write(long batch, Set<String> done, Set<String> rewrite) {
    Entry dirty = state.entries(DIRTY, List.of(Long.toString(batch))).get(Long.toString(batch));
    List<String> keys = new ArrayList<>();
    if (dirty != null) {
      for (String k : Keys.split((String) dirty.value().get("keys"))) {
        if (done.add(k)) {
          keys.add(k);
        }
      }
    }
    Map<String, Entity> entities = Entity.CODEC.read(state, keys);
    Golden golden = new Golden(agg, state, destination, retrying);
    for (String key : keys) {
      Entity e = entities.get(key);
      if (e == null) {
        continue;
      }
      Entity current = current(e);
      if (current == null) {
        heldBack++;
        rewrite.add(key);
        continue;
      }
      golden.add(current);
    }
    long began = System.nanoTime();
    Golden.Written written = golden.write();
    if (written.misfit() != null) {
      throw new Misfit("Aggregation '" + agg.name + "': the destination has no place for field '" + written.misfit()
          + "' in any golden record of batch " + batch + " (each failed at MAPPING); a setup error, not the records': nothing"
          + " of the batch was saved as written. Map the field away (Builder.transformOutput) or give the destination a place"
          + " for it; the next run writes the batch again");
    }
    run.settled(written.outcomes(), java.time.Duration.ofNanos(System.nanoTime() - began));
    written.outcomes().forEach(o -> {
      Outcome.Failed f = output.add(o);
      if (f != null) {
        failures.add(f);
        outputFailed++;
      }
    });
    rewrite.addAll(written.failedKeys());
    rewrite.removeAll(written.writtenKeys());
    mark = mark.wrote(batch, rewrite);
    save(written.entries());
    run.advanced(keys.size());
  }

  /**
   * {@code e}, or null where a member's input read whole failed before this run read that member:
   * held back, so that nothing is derived from what was not read.
   */
  private Entity current(Entity e) {
    for (Kept k : e.members().values()) {
      String input = k.member().source();
      if (k.seen() < mark.run() && mark.failed().contains(input) && wholeInput(input)) {
        return null;
      }
    }
    return e;
  }

  private boolean wholeInput(String name) {
    return agg.inputs.stream().anyMatch(i -> i.name.equals(name) && i.whole());
  }

  private static Entry dirtyEntry(long batch, Set<String> keys) {
    return new Entry(DIRTY, Long.toString(batch), null, null, Fields.of("keys", Keys.join(keys)));
  }

  private void save(List<Entry> entries) {
    Progress next = mark.progress(saved, Instant.now());
    state.save(next, entries);
    saved = next;
  }

  private List<String> ordered(Set<String> inputs) {
    List<String> names = new ArrayList<>();
    agg.inputs.forEach(i -> {
      if (inputs.contains(i.name)) {
        names.add(i.name);
      }
    });
    return names;
  }

  private AggregationReport report(RunStatus status, String message) {
    Map<String, EndpointCounts> inputs = new LinkedHashMap<>();
    tallies.forEach((name, t) -> {
      long[] rf = readFailed.get(name);
      var c = t.counts(rf[0], rf[1]);
      inputs.put(name, new EndpointCounts(c.read(), c.created(), c.updated(), c.deleted(), c.unchanged(), c.skipped(), c.failed()));
    });
    var o = output.counts(0, outputFailed);
    EndpointCounts out = new EndpointCounts(0, o.created(), o.updated(), o.deleted(), o.unchanged(), o.skipped(), o.failed());
    return new AggregationReport(agg.name, status, message, inputs, out, ordered(mark.failed()), heldBack, failures, findings,
        startedAt, Instant.now());
  }
}
