package dev.patchbay.patterns.sync;

import static dev.patchbay.patterns.sync.ThreeWay.same;

import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.sync.SyncReport.ResolvedConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One round of a {@link BidirectionalSync}; used once. */
final class SyncRound {

  private static final Logger LOG = LoggerFactory.getLogger(BidirectionalSync.class);

  private final BidirectionalSync s;
  private final Engine<SyncReport>.Run run;
  private final Retrying retrying;
  private final Instant startedAt = Instant.now();
  private final List<Outcome.Failed> failures = new ArrayList<>();
  private final Set<String> againA = new LinkedHashSet<>();
  private final Set<String> againB = new LinkedHashSet<>();
  private Drained feedA = Drained.NOTHING;
  private Drained feedB = Drained.NOTHING;
  /** What this is, for the report's message: a round, or a decision on a parked conflict. */
  private String doing = "round";
  /** B's clock minus A's, where both tell theirs; null otherwise. */
  private Duration clockSkew;
  private final List<String> findings = new ArrayList<>();

  /** Reads both sides by key, at once. */
  private final Sides sides;
  private final MassDeletes massDeletes;

  /** The links and position, in the state this round holds. */
  private final Links links;
  /** What the chunks so far did to each side. */
  private final RoundCounts counts;

  SyncRound(BidirectionalSync sync, Engine<SyncReport>.Run run, int deletesAllowed) {
    this.s = sync;
    this.run = run;
    NamedState state = run.state();
    this.links = new Links(state, warning -> {
      LOG.warn("Sync '{}': {}", sync.name, warning);
      findings.add(warning);
    });
    this.retrying = run.retrying(sync.retry);
    this.sides = new Sides(sync, links, run, retrying);
    this.massDeletes = new MassDeletes(sync, links, deletesAllowed);
    this.counts = new RoundCounts(sync.scopeA, sync.scopeB);
  }

  SyncReport run() {
    try (sides) {
      return chunks();
    }
  }

  private SyncReport chunks() {
    SyncPosition position = links.position();
    try {
      clockSkew = sides.clockSkew(s.conflicts.clockTolerance(), skew -> {
        String finding = String.format("side B's clock is %.3f s %s side A's, more than the conflict policy's tolerance"
            + " of %s: last writer wins may take the earlier edit", Math.abs(skew.toNanos()) / 1e9,
            skew.isNegative() ? "behind" : "ahead of", s.conflicts.clockTolerance());
        findings.add(finding);
        LOG.warn("Sync '{}': {}", s.name, finding);
      });
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      return failed("a side's clock could not be read", e);
    }
    run.phase(RunProgress.Phase.WRITING, OptionalLong.empty());
    for (int chunk = 0; ; chunk++) {
      SyncPosition from = position;
      try {
        Threads.Both<Drained> drained = sides.onBothSides(() -> Drained.drain(s.a, from.a(), Side.A, s.batchSize, retrying),
            () -> Drained.drain(s.b, from.b(), Side.B, s.batchSize, retrying));
        feedA = drained.first();
        feedB = drained.second();
      } catch (SetupException e) {
        throw e;
      } catch (RuntimeException e) {
        return failed("a side's changes could not be read", e);
      }
      boolean more = feedA.more() || feedB.more();
      if (chunk == 0 && more) {
        String blocked;
        try {
          blocked = massDeletes.checkAhead(position);
        } catch (SetupException e) {
          throw e;
        } catch (RuntimeException e) {
          return failed("a side's changes could not be read", e);
        }
        if (blocked != null) {
          LOG.warn("Sync '{}' round BLOCKED: {}", s.name, blocked);
          return report(RunStatus.BLOCKED, blocked);
        }
      }
      String stopped = chunk(position, chunk == 0, chunk == 0 && !more);
      if (stopped != null) {
        return report(stoppedStatus, stopped);
      }
      position = new SyncPosition(feedA.end(), feedB.end(), againA, againB);
      if (failures.size() > s.failureLimit) {
        String message = failures.size() + " pairs failed, more than the failure limit of " + s.failureLimit
            + "; the changes read so far are settled, and the next round goes on from there";
        LOG.error("Sync '{}' round stopped: {}", s.name, message);
        return report(RunStatus.FAILED, message);
      }
      if (!more) {
        break;
      }
      if (run.stopRequested()) {
        String message = "stopped on request after chunk " + (chunk + 1) + "; its links and positions are saved, and the next"
            + " round goes on from there";
        LOG.info("Sync '{}' round stopped on request after chunk {}", s.name, chunk + 1);
        return report(RunStatus.STOPPED, message);
      }
    }
    SyncReport report = report(RunStatus.COMPLETED, null);
    LOG.info("Sync '{}' {}: {} written to A, {} to B, {} conflicts, {} failed", s.name,
        run.planning() ? "dry run planned" : "round completed",
        report.a().written(), report.b().written(), report.conflicts().size(), failures.size());
    return report;
  }

  /**
   * The pairs this round has written, as A keys in a filter of fixed size: a round of many chunks
   * reads its own writes coming back, and a pair it wrote that comes back changed (a person edited
   * it meanwhile, or a mapping that never settles) is left to the next round instead of being
   * written again, so that no round runs for ever. A false positive only defers a linked pair a
   * round; a pair not linked yet cannot have been written, and is never deferred.
   * Made for rounds of more than one chunk only; a round of one chunk reads no write of its own.
   */
  private KeyFilter written;

  /** Findings of linked records that left a scope, at most this many a round (each is also an outcome). */
  private static final int LEFT_SCOPE_FINDINGS = 1_000;
  private int leftScope;

  /**
   * Linked pairs one of whose records left its side's scope: neither is written while it is out;
   * each such record ends in a SKIPPED outcome naming the pair, the side and the scope, told to the
   * result capture, and (the first thousand of a round) a finding.
   */
  private void leftScope(Collection<Pair> pairs) {
    for (Pair pair : pairs) {
      if (!pair.outOfScope || pair.link == null || pair.link.state() != Link.State.LINKED) {
        continue;
      }
      for (Side side : Side.values()) {
        Envelope<Fields> held = side == Side.A ? pair.a : pair.b;
        ScopeCriteria<Fields> scope = side == Side.A ? s.scopeA : s.scopeB;
        if (held != null && !scope.includes(held)) {
          String why = "'" + pair.aKey + "' (side A) and '" + pair.bKey + "' (side B) are linked, and the record on side "
              + side + " left its scope (" + scope.describe() + "): neither is written while it is out";
          run.settled(List.of(new Outcome.Skipped(held.key(), why)), Duration.ZERO);
          if (leftScope++ < LEFT_SCOPE_FINDINGS) {
            findings.add(why);
          }
        }
      }
    }
  }

  /** How the last chunk that stopped the round ended: BLOCKED or FAILED. */
  private RunStatus stoppedStatus;

  /**
   * Decides and writes the pairs one chunk of changes touches (at most a batch from each feed),
   * then saves their links with the feeds' positions after the chunk: the round's memory is one
   * chunk's. The first chunk also revisits the keys left from the last round. A round of one
   * chunk checks the mass-delete limit exactly here, before writing. Null where it completed,
   * else why the round stops ({@link #stoppedStatus} says how).
   */
  private String chunk(SyncPosition position, boolean first, boolean only) {
    Set<String> aKeys = new LinkedHashSet<>(first ? position.againA() : Set.of());
    aKeys.addAll(feedA.latest().keySet());
    Set<String> bKeys = new LinkedHashSet<>(first ? position.againB() : Set.of());
    bKeys.addAll(feedB.latest().keySet());
    SyncPosition revisiting = first ? position : new SyncPosition(position.a(), position.b(), Set.of(), Set.of());
    Collection<Pair> pairs;
    try {
      PairDecider decider = decider();
      pairs = sides.pairs(aKeys, bKeys, revisiting, feedA, feedB, decider, failures);
      pairs.forEach(decider::decideOrFail);
      sides.recheck(pairs, feedA, feedB, decider);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      return stop(RunStatus.FAILED, failedMessage("a side could not be read by key", e));
    }

    if (written != null) {
      for (Pair pair : pairs) {
        // Only a linked pair can have been written earlier this round (a write links it): a pair
        // not linked yet is never deferred, whatever the filter says.
        if ((pair.toA != null || pair.toB != null) && pair.link != null && written.mightHold(pair.aKey)) {
          decider().leaveForLater(pair);   // written earlier this round and changed again: the next round decides it
        }
      }
    }

    if (only) {
      String blocked = massDeletes.check(pairs);
      if (blocked != null) {
        LOG.warn("Sync '{}' round BLOCKED: {}", s.name, blocked);
        counts.add(pairs, false, Set.of(), Set.of(), feedA.read(), feedB.read());
        return stop(RunStatus.BLOCKED, blocked);
      }
    }

    List<Link> intents = new ArrayList<>();
    for (Pair pair : pairs) {
      boolean createsOnB = pair.toB != null && pair.b == null;
      boolean createsOnA = pair.toA != null && pair.a == null;
      if (pair.link == null && createsOnA != createsOnB) {
        intents.add(Link.pending(pair.aKey, pair.bKey, pair.next.base(), createsOnB ? Side.A : Side.B));
      }
    }
    Set<String> refusedA;
    Set<String> refusedB;
    try {
      if (!intents.isEmpty()) {
        links.save(intents, position);   // the keys of new records are on record before they are written
      }
      Sides.Written written = settled(sides.write(pairs));
      refusedA = written.refused(Side.A);
      refusedB = written.refused(Side.B);
      leftScope(pairs);
    } catch (RuntimeException e) {
      return stop(RunStatus.FAILED, failedMessage("writing failed; the next round starts from the same changes", e));
    }
    List<Link> settled = new ArrayList<>();
    for (Pair pair : pairs) {
      if (refusedA.contains(pair.aKey) || refusedB.contains(pair.bKey)) {
        againA.add(pair.aKey);
        againB.add(pair.bKey);
      } else if (pair.next != null) {
        settled.add(pair.next);
      }
    }
    links.save(settled, new SyncPosition(feedA.end(), feedB.end(), againA, againB));
    if (!only) {
      if (written == null) {
        written = new KeyFilter();
      }
      for (Pair pair : pairs) {
        if (pair.toA != null || pair.toB != null) {
          written.add(pair.aKey);
        }
      }
    }
    int conflictsBefore = counts.conflicts().size();
    counts.add(pairs, true, refusedA, refusedB, feedA.read(), feedB.read());
    for (int i = conflictsBefore; i < counts.conflicts().size(); i++) {
      run.conflict();
    }
    run.advanced(pairs.size());
    return null;
  }

  private String stop(RunStatus status, String message) {
    stoppedStatus = status;
    return message;
  }

  /** Carries out a person's decision on a parked conflict, if both records are still as the conflict shows them. */
  SyncReport settle(Conflict conflict, Resolution decision) {
    try (sides) {
      return decide(conflict, decision);
    }
  }

  private SyncReport decide(Conflict conflict, Resolution decision) {
    doing = "decision";
    SyncPosition position = links.position();
    Link link = links.byA(List.of(conflict.aKey())).get(conflict.aKey());
    Link ofB = links.byB(List.of(conflict.bKey())).get(conflict.bKey());
    if (link != null && !link.bKey().equals(conflict.bKey()) || ofB != null && !ofB.aKey().equals(conflict.aKey())) {
      return report(RunStatus.BLOCKED, "'" + conflict.aKey() + "' and '" + conflict.bKey()
          + "' are not a pair of this sync's; nothing was written");
    }
    if (link != null && link.state() == Link.State.DELETED) {
      return report(RunStatus.BLOCKED, "the pair '" + conflict.aKey() + "' was closed by a delete since;"
          + " nothing was written");
    }
    Pair pair = new Pair(conflict.aKey(), conflict.bKey(), link);
    Map<String, Envelope<Fields>> heldA = new HashMap<>();
    Map<String, Envelope<Fields>> heldB = new HashMap<>();
    try {
      sides.lookUp(Set.of(pair.aKey), heldA, Set.of(pair.bKey), heldB);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      return failed("a side could not be read by key", e);
    }
    pair.a = heldA.get(pair.aKey);
    pair.b = heldB.get(pair.bKey);
    PairDecider decider = decider();
    Fields a = decider.canonA(pair.a);
    Fields b = decider.canonB(pair.b);
    if (!same(a, conflict.a()) || !same(b, conflict.b())) {
      return report(RunStatus.BLOCKED, "side " + (same(a, conflict.a()) ? Side.B : Side.A) + "'s record of '"
          + conflict.aKey() + "' changed since the conflict was reported; nothing was written, and the next round"
          + " decides the pair as it is now");
    }
    decider.resolve(pair, a, b, new ResolvedConflict(conflict, decision));
    List<Pair> pairs = List.of(pair);
    Sides.Written written;
    try {
      written = settled(sides.write(pairs));
    } catch (RuntimeException e) {
      return failed("writing the decision failed; the conflict stays parked", e);
    }
    if (failures.isEmpty()) {
      Set<String> stillA = new LinkedHashSet<>(position.againA());
      Set<String> stillB = new LinkedHashSet<>(position.againB());
      stillA.remove(pair.aKey);
      stillB.remove(pair.bKey);
      links.save(List.of(pair.next), new SyncPosition(position.a(), position.b(), stillA, stillB));
    }
    LOG.info("Sync '{}': a parked conflict settled ({}), {} failed", s.name, decision.kind(), failures.size());
    counts.add(pairs, true, written.refused(Side.A), written.refused(Side.B), feedA.read(), feedB.read());
    return report(RunStatus.COMPLETED, null);
  }

  /** Tells the engine both sides' outcomes, and keeps the failed ones for the report. */
  private Sides.Written settled(Sides.Written written) {
    for (List<Outcome> side : List.of(written.a(), written.b())) {
      run.settled(side, written.took());
      side.stream().filter(Outcome.Failed.class::isInstance).map(Outcome.Failed.class::cast).forEach(failures::add);
    }
    return written;
  }

  /** Decides pairs against the feeds read in this chunk. */
  private PairDecider decider() {
    return new PairDecider(s, feedA, feedB, againA, againB, findings, failures);
  }


  private SyncReport report(RunStatus status, String message) {
    if (run.planning() && status == RunStatus.COMPLETED) {
      status = RunStatus.PLANNED;
    }
    return new SyncReport(s.name, status, message == null ? null : "Sync '" + s.name + "' " + doing + " " + status + ": " + message,
        counts.side(Side.A), counts.side(Side.B), counts.conflicts(), failures, startedAt, Instant.now(), clockSkew, findings);
  }

  /** Ends the round FAILED: the report says {@code what} with the exception as the sync's reason detail says; the log, its class and SQLState only. */
  private SyncReport failed(String what, Throwable e) {
    return report(RunStatus.FAILED, failedMessage(what, e));
  }

  /** Logs a failure (class and SQLState only at ERROR) and words it for the report. */
  private String failedMessage(String what, Throwable e) {
    LOG.error("Sync '{}' {} failed: {}: {}", s.name, doing, what, Failures.forLog(e));
    LOG.debug("Sync '{}' {} failed", s.name, doing, e);
    return what + ": " + Failures.forReport(e, s.reasonDetail);
  }
}
