package dev.patchbay.patterns.sync;

import static dev.patchbay.patterns.sync.ThreeWay.same;

import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Pipeline;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Threads;
import dev.patchbay.patterns.internal.Writes;
import dev.patchbay.patterns.sync.BidirectionalSync.Endpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * A round's reads and writes of both sides: the pairs a chunk's changed keys touch, with what both
 * sides hold, and what the round decided for them written; each side at once, on a thread of its
 * own (each connector used by one thread). Closed with its round.
 */
final class Sides implements AutoCloseable {

  private final BidirectionalSync s;
  private final Links links;
  private final Retrying retrying;
  /** Makes the thread side B is read on. */
  private final ThreadFactory sideB;
  /** The engine's pipeline the round's writes go through: a batch a chunk, to both sides at once. */
  private final Pipeline<Fields, Void> pipeline;
  /** Where the round writes each side: the side, or in a dry run a plan over it. */
  private final Destination<Fields> toA;
  private final Destination<Fields> toB;

  Sides(BidirectionalSync s, Links links, Engine<SyncReport>.Run run, Retrying retrying) {
    this.s = s;
    this.links = links;
    this.retrying = retrying;
    this.sideB = run.threads("B", false);
    this.pipeline = new Pipeline<>(run.threads("writer", true), 2, 1);
    this.toA = run.destination("a", s.a.destination(), s.a.lookup(), retrying);
    this.toB = run.destination("b", s.b.destination(), s.b.lookup(), retrying);
  }

  /** What a write of both sides answered: each side's outcomes, one per change written, and the time both took. */
  record Written(List<Outcome> a, List<Outcome> b, Duration took) {

    /** The keys of the side's failed outcomes. */
    Set<String> refused(Side side) {
      Set<String> keys = new LinkedHashSet<>();
      (side == Side.A ? a : b).forEach(o -> {
        if (o instanceof Outcome.Failed) {
          keys.add(o.key());
        }
      });
      return keys;
    }
  }

  /**
   * Writes what the pairs decided for each side, both sides at once, as one batch of the engine's
   * pipeline.
   */
  Written write(Collection<Pair> pairs) {
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
    return new Written(settled.outcomesOf(Side.A.name()), settled.outcomesOf(Side.B.name()), settled.took());
  }

  @Override
  public void close() {
    pipeline.close();
  }

  /** Runs {@code onA} here and {@code onB} on a thread of its own, at once. */
  <T> Threads.Both<T> onBothSides(Supplier<T> onA, Supplier<T> onB) {
    return Threads.both(onA, onB, sideB);
  }

  /**
   * The pairs the changed keys touch, each once, with what both sides hold. A side's record comes
   * from its feed where the feed has it, else it is read by key; the other side of a pair whose
   * changed side holds the base already (the sync's own write coming back) is not read at all. A
   * record whose minted key on the other side is linked to another record already is a failure,
   * added to {@code failures}, and no pair.
   */
  Collection<Pair> pairs(Set<String> aKeys, Set<String> bKeys, SyncPosition position, Drained feedA, Drained feedB,
      PairDecider decider, List<Outcome.Failed> failures) {
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
      } else if (pair.link.state() == Link.State.LINKED && knowA != knowB && !revisited
          && holdsBase(pair, heldA, heldB, decider)) {
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
  private static boolean holdsBase(Pair pair, Map<String, Envelope<Fields>> heldA, Map<String, Envelope<Fields>> heldB,
      PairDecider decider) {
    try {
      return heldA.containsKey(pair.aKey) ? same(decider.canonA(heldA.get(pair.aKey)), pair.link.base())
          : same(decider.canonB(heldB.get(pair.bKey)), pair.link.base());
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Reads {@code keysA} and {@code keysB}, at once, into the held maps (null where absent). */
  void lookUp(Set<String> keysA, Map<String, Envelope<Fields>> heldA, Set<String> keysB,
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
  void recheck(Collection<Pair> pairs, Drained feedA, Drained feedB, PairDecider decider) {
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
        decider.leaveForLater(pair);
      }
    }
  }

  private static boolean sameRecord(Envelope<Fields> x, Envelope<Fields> y) {
    return x == null ? y == null : y != null && same(x.payload(), y.payload());
  }

  /**
   * B's clock minus A's, where both sides tell theirs (null otherwise), each read against this
   * host's clock with half the read's round trip as its uncertainty; {@code tooFar} is told where
   * the skew is larger than {@code tolerance} beyond what the reads leave uncertain.
   */
  Duration clockSkew(Duration tolerance, java.util.function.Consumer<Duration> tooFar) {
    Offset a = offset(s.a);
    Offset b = offset(s.b);
    if (a == null || b == null) {
      return null;
    }
    Duration skew = b.offset.minus(a.offset);
    if (tolerance != null && skew.abs().compareTo(tolerance.plus(a.uncertainty).plus(b.uncertainty)) > 0) {
      tooFar.accept(skew);
    }
    return skew;
  }

  /** A side's clock less this host's, and half the read's round trip. */
  private record Offset(Duration offset, Duration uncertainty) {
  }

  /** Null where the side does not tell its clock. */
  private Offset offset(Endpoint side) {
    Instant before = Instant.now();
    Optional<Instant> there = retrying.call(() -> side.feed().now());
    Instant after = Instant.now();
    if (there.isEmpty()) {
      return null;
    }
    Duration half = Duration.between(before, after).dividedBy(2);
    return new Offset(Duration.between(before.plus(half), there.get()), half);
  }
}
