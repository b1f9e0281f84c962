package dev.patchbay.patterns.sync;

import static dev.patchbay.patterns.sync.ThreeWay.same;

import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.internal.Writes;
import dev.patchbay.patterns.sync.BidirectionalSync.Endpoint;
import dev.patchbay.patterns.sync.SyncReport.ResolvedConflict;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
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

  /** Deletes a side may take in this round whatever the mass-delete limit. */
  private final int deletesAllowed;

  /** The engine's pipeline the round's writes go through: a batch a chunk, to both sides at once. */
  private final Pipeline<Fields, Void> pipeline;
  /** Where the round writes each side: the side, or in a dry run a plan over it. */
  private final Destination<Fields> toA;
  private final Destination<Fields> toB;
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
    this.deletesAllowed = deletesAllowed;
    this.counts = new RoundCounts(sync.scopeA, sync.scopeB);
    this.pipeline = new Pipeline<>(run.threads("writer", true), 2, 1);
    this.toA = run.destination("a", sync.a.destination(), sync.a.lookup(), retrying);
    this.toB = run.destination("b", sync.b.destination(), sync.b.lookup(), retrying);
  }

  SyncReport run() {
    try (pipeline) {
      return chunks();
    }
  }

  private SyncReport chunks() {
    SyncPosition position = links.position();
    try {
      measureClocks();
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      return failed("a side's clock could not be read", e);
    }
    run.phase(RunProgress.Phase.WRITING, OptionalLong.empty());
    for (int chunk = 0; ; chunk++) {
      SyncPosition from = position;
      try {
        Threads.Both<Drained> drained = onBothSides(() -> Drained.drain(s.a, from.a(), Side.A, s.batchSize, retrying),
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
          blocked = massDeleteAhead(position);
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
      pairs = pairs(aKeys, bKeys, revisiting);
      PairDecider decider = decider();
      pairs.forEach(decider::decideOrFail);
      recheck(pairs);
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
      String blocked = massDelete(pairs);
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
      Threads.Both<List<Outcome>> written = write(pairs);
      List<Outcome.Failed> refused = new ArrayList<>();
      for (List<Outcome> side : List.of(written.first(), written.second())) {
        run.settled(side, took);
        for (Outcome o : side) {
          if (o instanceof Outcome.Failed f) {
            refused.add(f);
          }
        }
      }
      failures.addAll(refused);
      refusedA = keys(written.first());
      refusedB = keys(written.second());
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
    try (pipeline) {
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
      lookUp(Set.of(pair.aKey), heldA, Set.of(pair.bKey), heldB);
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
    Threads.Both<List<Outcome>> written;
    try {
      written = write(pairs);
    } catch (RuntimeException e) {
      return failed("writing the decision failed; the conflict stays parked", e);
    }
    for (List<Outcome> side : List.of(written.first(), written.second())) {
      run.settled(side, took);
      for (Outcome o : side) {
        if (o instanceof Outcome.Failed f) {
          failures.add(f);
        }
      }
    }
    if (failures.isEmpty()) {
      Set<String> stillA = new LinkedHashSet<>(position.againA());
      Set<String> stillB = new LinkedHashSet<>(position.againB());
      stillA.remove(pair.aKey);
      stillB.remove(pair.bKey);
      links.save(List.of(pair.next), new SyncPosition(position.a(), position.b(), stillA, stillB));
    }
    LOG.info("Sync '{}': a parked conflict settled ({}), {} failed", s.name, decision.kind(), failures.size());
    counts.add(pairs, true, keys(written.first()), keys(written.second()), feedA.read(), feedB.read());
    return report(RunStatus.COMPLETED, null);
  }

  /**
   * Reads both sides' clocks against this host's and keeps B's offset from A's; a skew larger than
   * the conflict policy's tolerance (beyond what the reads' own round trips leave uncertain) is a
   * finding and a WARN, since last writer wins compares the two sides' times.
   */
  private void measureClocks() {
    Offset a = offset(s.a);
    Offset b = offset(s.b);
    if (a == null || b == null) {
      return;
    }
    clockSkew = b.offset.minus(a.offset);
    Duration tolerance = s.conflicts.clockTolerance();
    if (tolerance != null && clockSkew.abs().compareTo(tolerance.plus(a.uncertainty).plus(b.uncertainty)) > 0) {
      String finding = String.format("side B's clock is %.3f s %s side A's, more than the conflict policy's tolerance"
          + " of %s: last writer wins may take the earlier edit", Math.abs(clockSkew.toNanos()) / 1e9,
          clockSkew.isNegative() ? "behind" : "ahead of", tolerance);
      findings.add(finding);
      LOG.warn("Sync '{}': {}", s.name, finding);
    }
  }

  /** A side's clock less this host's, and half the read's round trip; null where the side does not tell its clock. */
  private record Offset(Duration offset, Duration uncertainty) {
  }

  private Offset offset(Endpoint side) {
    Instant before = Instant.now();
    java.util.Optional<Instant> there = retrying.call(() -> side.feed().now());
    Instant after = Instant.now();
    if (there.isEmpty()) {
      return null;
    }
    Duration half = Duration.between(before, after).dividedBy(2);
    return new Offset(Duration.between(before.plus(half), there.get()), half);
  }

  /** Runs {@code onA} here and {@code onB} on a thread of its own, at once: each connector is used by one thread. */
  private <T> Threads.Both<T> onBothSides(Supplier<T> onA, Supplier<T> onB) {
    return Threads.both(onA, onB, run.threads("B", false));
  }

  /**
   * The pairs the changed keys touch, each once, with what both sides hold. A side's record comes
   * from its feed where the feed has it, else it is read by key; the other side of a pair whose
   * changed side holds the base already (the sync's own write coming back) is not read at all.
   */
  private Collection<Pair> pairs(Set<String> aKeys, Set<String> bKeys, SyncPosition position) {
    Threads.Both<Map<String, Link>> linked = aKeys.isEmpty() || bKeys.isEmpty()
        ? new Threads.Both<>(links.byA(aKeys), links.byB(bKeys))
        : onBothSides(() -> links.byA(aKeys), () -> links.byB(bKeys));   // both at once: two queries' time in one
    Map<String, Link> linksA = linked.first();
    Map<String, Link> linksB = linked.second();
    Map<String, Envelope<Fields>> heldA = Drained.known(feedA);   // a null value: absent
    Map<String, Envelope<Fields>> heldB = Drained.known(feedB);

    Map<String, Pair> byA = new LinkedHashMap<>();
    for (String k : aKeys) {   // in feed order, so that reports are too
      Link l = linksA.get(k);
      if (l != null) {
        byA.putIfAbsent(l.aKey(), new Pair(l.aKey(), l.bKey(), l));
      }
    }
    for (String k : bKeys) {
      Link l = linksB.get(k);
      if (l != null) {
        byA.putIfAbsent(l.aKey(), new Pair(l.aKey(), l.bKey(), l));
      }
    }
    Set<String> lookA = new LinkedHashSet<>();
    Set<String> lookB = new LinkedHashSet<>();
    aKeys.stream().filter(k -> !linksA.containsKey(k) && !heldA.containsKey(k)).forEach(lookA::add);
    bKeys.stream().filter(k -> !linksB.containsKey(k) && !heldB.containsKey(k)).forEach(lookB::add);
    for (Pair pair : byA.values()) {
      boolean knowA = heldA.containsKey(pair.aKey);
      boolean knowB = heldB.containsKey(pair.bKey);
      boolean revisited = position.againA().contains(pair.aKey) || position.againB().contains(pair.bKey);
      if (pair.link.state() == Link.State.DELETED) {
        // Closed: nothing to read, unless a record is there again under one of its keys.
        pair.reopened = revisited || knowA && heldA.get(pair.aKey) != null || knowB && heldB.get(pair.bKey) != null;
        if (!pair.reopened) {
          continue;
        }
      } else if (pair.link.state() == Link.State.LINKED && knowA != knowB && !revisited && holdsBase(pair, heldA, heldB)) {
        pair.quiet = true;
        continue;
      }
      if (!knowA) {
        lookA.add(pair.aKey);
      }
      if (!knowB) {
        lookB.add(pair.bKey);
      }
    }
    lookUp(lookA, heldA, lookB, heldB);

    // Records with no link yet: the key each gets on the other side is decided now.
    Map<String, String> newA = new LinkedHashMap<>();   // a key -> minted b key
    Map<String, String> newB = new LinkedHashMap<>();   // b key -> minted a key
    for (String k : aKeys) {
      Envelope<Fields> r = heldA.get(k);
      if (!linksA.containsKey(k) && r != null && s.scopeA.includes(r)) {
        newA.put(k, s.bKeyFor.apply(r));
      }
    }
    for (String k : bKeys) {
      Envelope<Fields> r = heldB.get(k);
      if (!linksB.containsKey(k) && r != null && s.scopeB.includes(r)) {
        newB.put(k, s.aKeyFor.apply(r));
      }
    }
    Map<String, Link> takenB = newA.isEmpty() ? Map.of() : links.byB(newA.values());
    Map<String, Link> takenA = newB.isEmpty() ? Map.of() : links.byA(newB.values());
    Set<String> moreA = new LinkedHashSet<>(newB.values());
    moreA.removeAll(heldA.keySet());
    Set<String> moreB = new LinkedHashSet<>(newA.values());
    moreB.removeAll(heldB.keySet());
    lookUp(moreA, heldA, moreB, heldB);
    newA.forEach((aKey, bKey) -> {
      Link other = takenB.get(bKey);
      if (other != null && !other.aKey().equals(aKey)) {
        failures.add(new Outcome.Failed(aKey, Stage.WRITE, null, "its key on side B, '" + bKey
            + "', is linked to '" + other.aKey() + "' already"));
      } else {
        byA.putIfAbsent(aKey, new Pair(aKey, bKey, other));
      }
    });
    newB.forEach((bKey, aKey) -> {
      Link other = takenA.get(aKey);
      if (other != null && !other.bKey().equals(bKey)) {
        failures.add(new Outcome.Failed(bKey, Stage.WRITE, null, "its key on side A, '" + aKey
            + "', is linked to '" + other.bKey() + "' already"));
      } else if (!byA.containsKey(aKey)) {
        byA.put(aKey, new Pair(aKey, bKey, other));
      }
    });
    for (Pair pair : byA.values()) {
      pair.a = heldA.get(pair.aKey);
      pair.b = heldB.get(pair.bKey);
    }
    return byA.values();
  }

  /** Whether the side the feed carried holds the pair's base; false where mapping it fails (the decision reports that). */
  private boolean holdsBase(Pair pair, Map<String, Envelope<Fields>> heldA, Map<String, Envelope<Fields>> heldB) {
    try {
      return heldA.containsKey(pair.aKey) ? same(decider().canonA(heldA.get(pair.aKey)), pair.link.base())
          : same(decider().canonB(heldB.get(pair.bKey)), pair.link.base());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Reads {@code keysA} and {@code keysB}, at once, into the held maps (null where absent). */
  private void lookUp(Set<String> keysA, Map<String, Envelope<Fields>> heldA, Set<String> keysB,
      Map<String, Envelope<Fields>> heldB) {
    if (keysA.isEmpty() && keysB.isEmpty()) {
      return;   // the usual case for records new on neither side: no thread to start
    }
    Threads.Both<Map<String, Envelope<Fields>>> found = onBothSides(() -> lookup(s.a, keysA), () -> lookup(s.b, keysB));
    keysA.forEach(k -> heldA.put(k, found.first().get(k)));
    keysB.forEach(k -> heldB.put(k, found.second().get(k)));
  }

  private Map<String, Envelope<Fields>> lookup(Endpoint side, Collection<String> keys) {
    return keys.isEmpty() ? Map.of() : retrying.call(() -> side.lookup().lookup(keys));
  }

  /**
   * A record taken from a feed may have changed again since: where the round is to write over one,
   * it is read again, and a pair whose record moved on is left to the next round (its feed will
   * carry the change), so that no later edit is overwritten with what the feed said before.
   */
  private void recheck(Collection<Pair> pairs) {
    Set<String> keysA = new LinkedHashSet<>();
    Set<String> keysB = new LinkedHashSet<>();
    for (Pair pair : pairs) {
      if (pair.toA != null && feedA.latest().containsKey(pair.aKey)) {
        keysA.add(pair.aKey);
      }
      if (pair.toB != null && feedB.latest().containsKey(pair.bKey)) {
        keysB.add(pair.bKey);
      }
    }
    Map<String, Envelope<Fields>> nowA = new HashMap<>();
    Map<String, Envelope<Fields>> nowB = new HashMap<>();
    lookUp(keysA, nowA, keysB, nowB);
    for (Pair pair : pairs) {
      boolean movedA = nowA.containsKey(pair.aKey) && !sameRecord(nowA.get(pair.aKey), pair.a);
      boolean movedB = nowB.containsKey(pair.bKey) && !sameRecord(nowB.get(pair.bKey), pair.b);
      if (movedA || movedB) {
        decider().leaveForLater(pair);
      }
    }
  }



  private static boolean sameRecord(Envelope<Fields> x, Envelope<Fields> y) {
    return x == null ? y == null : y != null && same(x.payload(), y.payload());
  }

  /** Decides pairs against the feeds read in this chunk. */
  private PairDecider decider() {
    return new PairDecider(s, feedA, feedB, againA, againB, findings, failures);
  }


  // ---- writing ---------------------------------------------------------------------------------

  /**
   * A round that would delete more than the allowed share of either side's linked records (and
   * more than the floor, and than this round's allowance): why, else null.
   */
  private String massDelete(Collection<Pair> pairs) {
    List<Pair> linked = pairs.stream().filter(p -> p.link != null && p.link.state() == Link.State.LINKED).toList();
    return massDelete(linked.stream().filter(p -> p.toA instanceof Change.Delete<Fields>).count(),
        linked.stream().filter(p -> p.toB instanceof Change.Delete<Fields>).count());
  }

  /**
   * For a round of more than one chunk, before anything is written: the deletes the feeds carry
   * for linked records, read through once more (keys only, a chunk at a time), taken as deletes
   * the round would make on the other side. An estimate: a conflict may still keep a record.
   */
  private String massDeleteAhead(SyncPosition position) {
    if (s.deletes != DeletePolicy.PROPAGATE) {
      return null;
    }
    long fromA = linkedDeletes(s.a, position.a(), Side.A);
    long fromB = linkedDeletes(s.b, position.b(), Side.B);
    return massDelete(fromB, fromA);
  }

  private long linkedDeletes(Endpoint side, Checkpoint after, Side which) {
    long linked = 0;
    List<String> keys = new ArrayList<>();
    try (ChangeCursor<Fields> changes = side.feed().changes(after)) {
      while (true) {
        boolean more = changes.hasNext();
        if (more) {
          Change<Fields> change = changes.next();
          if (change instanceof Change.Delete<Fields>) {
            keys.add(change.key());
          }
        }
        if (keys.size() == s.batchSize || !more && !keys.isEmpty()) {
          Map<String, Link> found = which == Side.A ? links.byA(keys) : links.byB(keys);
          linked += found.values().stream().filter(l -> l.state() == Link.State.LINKED).count();
          keys.clear();
        }
        if (!more) {
          return linked;
        }
      }
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the change feed of side " + which + " failed", e);
    }
  }

  private String massDelete(long onA, long onB) {
    long most = Math.max(onA, onB);
    if (most <= Math.max(s.massDeleteFloor, deletesAllowed)) {
      return null;   // within what any round may do: spare the link store its count
    }
    long count = links.linkedCount();
    for (Side side : Side.values()) {
      long deletes = side == Side.A ? onA : onB;
      if (deletes > Math.max(s.massDeleteFloor, deletesAllowed) && deletes > s.massDeleteShare * count) {
        return String.format("the round would delete %d of %d linked records on side %s (%.0f %%), more than the"
            + " mass-delete limit of %.0f %% (and of %d records); nothing was written. Check side %s's deletes; if they"
            + " are meant, run this one round as round(%d), which allows up to %d deletes a side", deletes, count, side,
            100.0 * deletes / Math.max(1, count), 100 * s.massDeleteShare, s.massDeleteFloor, side.other(), most, most);
      }
    }
    return null;
  }

  /**
   * Writes what the pairs decided for each side, both sides at once, as one batch of the engine's
   * pipeline: each side's outcomes, one per change written.
   */
  private Threads.Both<List<Outcome>> write(Collection<Pair> pairs) {
    Pipeline.Batch<Fields, Void> batch = pipeline.open(null);
    for (Side side : Side.values()) {
      List<Change<Fields>> changes = new ArrayList<>();
      for (Pair pair : pairs) {
        Change<Fields> change = side == Side.A ? pair.toA : pair.toB;
        if (change != null) {
          changes.add(change);
        }
      }
      Destination<Fields> to = side == Side.A ? toA : toB;
      batch.write(side.name(), changes, c -> Writes.write(to, c, retrying, "side " + side));
    }
    pipeline.add(batch);
    Pipeline.Batch<Fields, Void> settled = pipeline.oldest();
    Threads.Both<List<Outcome>> outcomes = new Threads.Both<>(settled.outcomesOf(Side.A.name()),
        settled.outcomesOf(Side.B.name()));
    took = settled.took();
    return outcomes;
  }

  /** The time the last {@link #write} took, both sides added up. */
  private Duration took = Duration.ZERO;

  /** The keys of the failed outcomes among {@code outcomes}. */
  private static Set<String> keys(List<Outcome> outcomes) {
    Set<String> keys = new LinkedHashSet<>();
    outcomes.forEach(o -> {
      if (o instanceof Outcome.Failed) {
        keys.add(o.key());
      }
    });
    return keys;
  }

  // ---- reporting -------------------------------------------------------------------------------


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
