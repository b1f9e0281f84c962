package dev.patchbay.patterns.sync;

import dev.patchbay.connectors.ChangeCursor;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.sync.BidirectionalSync.Endpoint;
import dev.patchbay.patterns.sync.SyncReport.ResolvedConflict;
import dev.patchbay.patterns.sync.SyncReport.SideCounts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/** One round of a {@link BidirectionalSync}; used once. */
final class SyncRound {

  private static final Logger LOG = LoggerFactory.getLogger(BidirectionalSync.class);

  private final BidirectionalSync s;
  private final Retrying retrying;
  private final Instant startedAt = Instant.now();
  private final List<ResolvedConflict> conflicts = new ArrayList<>();
  private final List<Outcome.Failed> failures = new ArrayList<>();
  private final Set<String> againA = new LinkedHashSet<>();
  private final Set<String> againB = new LinkedHashSet<>();
  private long readA;
  private long readB;
  /** When the feeds say records were deleted, by key: the time a deleted side's version has. */
  private final Map<String, Long> deletedAtA = new HashMap<>();
  private final Map<String, Long> deletedAtB = new HashMap<>();

  SyncRound(BidirectionalSync sync) {
    this.s = sync;
    this.retrying = new Retrying(sync.name, sync.retry);
  }

  /** A pair of keys the round looks at, what each side holds, and what the round decides for it. */
  private static final class Pair {
    final String aKey;
    final String bKey;
    final Link link;
    Envelope<Fields> a;
    Envelope<Fields> b;
    Change<Fields> toA;
    Change<Fields> toB;
    /** The link once the writes are done; null where nothing changes for it. */
    Link next;

    Pair(String aKey, String bKey, Link link) {
      this.aKey = aKey;
      this.bKey = bKey;
      this.link = link;
    }
  }

  @SuppressWarnings("try") // the MDC entries are the resources
  SyncReport run() {
    try (MDC.MDCCloseable p = MDC.putCloseable("patchbay.pattern", "sync");
         MDC.MDCCloseable n = MDC.putCloseable("patchbay.name", s.name)) {
      SyncPosition position = s.links.position();
      Set<String> aKeys = new LinkedHashSet<>(position.againA());
      Set<String> bKeys = new LinkedHashSet<>(position.againB());
      Checkpoint endA;
      Checkpoint endB;
      try {
        endA = drain(s.a, position.a(), aKeys, Side.A);
        endB = drain(s.b, position.b(), bKeys, Side.B);
      } catch (SetupException e) {
        throw e;
      } catch (RuntimeException e) {
        return failed("a side's changes could not be read: " + describe(e));
      }
      Collection<Pair> pairs;
      try {
        pairs = pairs(aKeys, bKeys);
      } catch (SetupException e) {
        throw e;
      } catch (RuntimeException e) {
        return failed("a side could not be read by key: " + describe(e));
      }
      pairs.forEach(this::decide);

      String blocked = massDelete(pairs);
      if (blocked != null) {
        LOG.warn("Sync '{}' round BLOCKED: {}", s.name, blocked);
        return report(SyncReport.Status.BLOCKED, blocked, pairs, Set.of(), Set.of());
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
          s.links.save(intents, position);   // the keys of new records are on record before they are written
        }
        refusedA = write(s.a, pairs, Side.A);
        refusedB = write(s.b, pairs, Side.B);
      } catch (RuntimeException e) {
        return failed("writing failed; the next round starts from the same changes: " + describe(e));
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
      s.links.save(settled, new SyncPosition(endA, endB, againA, againB));
      SyncReport report = report(SyncReport.Status.COMPLETED, null, pairs, refusedA, refusedB);
      LOG.info("Sync '{}' round completed: {} written to A, {} to B, {} conflicts, {} failed", s.name,
          report.a().written(), report.b().written(), conflicts.size(), failures.size());
      return report;
    }
  }

  /** Reads a side's changes since {@code after} into {@code keys}; the position after the last. */
  private Checkpoint drain(Endpoint side, Checkpoint after, Set<String> keys, Side which) {
    try (ChangeCursor<Fields> changes = side.feed().changes(after)) {
      Checkpoint end = after;
      while (changes.hasNext()) {
        Change<Fields> change = changes.next();
        keys.add(change.key());
        if (change instanceof Change.Delete<Fields> d) {
          (which == Side.A ? deletedAtA : deletedAtB).put(d.key(), d.version());
        }
        end = changes.checkpoint();
        if (which == Side.A) {
          readA++;
        } else {
          readB++;
        }
      }
      return end;
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("closing the change feed of side " + which + " failed", e);
    }
  }

  /** The pairs the changed keys touch, each once, with what both sides hold now. */
  private Collection<Pair> pairs(Set<String> aKeys, Set<String> bKeys) {
    Map<String, Pair> byA = new LinkedHashMap<>();
    Map<String, Link> linksA = s.links.byA(aKeys);
    Map<String, Link> linksB = s.links.byB(bKeys);
    Set<String> lookA = new LinkedHashSet<>(aKeys);
    Set<String> lookB = new LinkedHashSet<>(bKeys);
    linksA.values().forEach(l -> lookB.add(l.bKey()));
    linksB.values().forEach(l -> lookA.add(l.aKey()));
    Map<String, Envelope<Fields>> heldA = lookup(s.a, lookA);
    Map<String, Envelope<Fields>> heldB = lookup(s.b, lookB);

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
    Map<String, Link> takenB = s.links.byB(newA.values());
    Map<String, Link> takenA = s.links.byA(newB.values());
    Set<String> moreA = new LinkedHashSet<>(newB.values());
    moreA.removeAll(heldA.keySet());
    Set<String> moreB = new LinkedHashSet<>(newA.values());
    moreB.removeAll(heldB.keySet());
    heldA.putAll(lookup(s.a, moreA));
    heldB.putAll(lookup(s.b, moreB));
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

  private Map<String, Envelope<Fields>> lookup(Endpoint side, Collection<String> keys) {
    if (keys.isEmpty()) {
      return new HashMap<>();
    }
    return new HashMap<>(retrying.call(() -> side.lookup().lookup(keys)));
  }

  // ---- deciding --------------------------------------------------------------------------------

  /** Side A's record in A's terms, mapped fields only (through the mapping and back); null if absent. */
  private Fields canonA(Envelope<Fields> a) {
    return a == null ? null : s.bToA.apply(s.aToB.apply(a.payload()));
  }

  /** Side B's record in A's terms; null if absent. */
  private Fields canonB(Envelope<Fields> b) {
    return b == null ? null : s.bToA.apply(b.payload());
  }

  private static boolean same(Fields x, Fields y) {
    return x == null ? y == null : y != null && x.differingFrom(y).isEmpty();
  }

  private void decide(Pair pair) {
    Link link = pair.link;
    if (link != null && link.state() == Link.State.DELETED) {
      return;   // closed: a deleted record is never brought back
    }
    Fields a = canonA(pair.a);
    Fields b = canonB(pair.b);
    if (link == null) {
      if (a != null && b == null) {
        keep(pair, a, b, a);
      } else if (a == null && b != null) {
        keep(pair, a, b, b);
      } else if (a != null) {
        settle(pair, a, b, null);   // created apart under matching keys
      }
      return;
    }
    if (link.state() == Link.State.PENDING && (a == null) != (b == null)) {
      Fields present = a != null ? a : b;
      Side holder = a != null ? Side.A : Side.B;
      if (holder == link.origin() || !same(present, link.base())) {
        // The create did not happen yet (or the origin changed since): create from what is there.
        if (holder == link.origin()) {
          keep(pair, a, b, present);
        } else {
          settle(pair, a, b, link.base());
        }
      } else {
        deleted(pair, link.origin(), a, b);   // created, then deleted at its origin
      }
      return;
    }
    settle(pair, a, b, link.base());
  }

  /** Three-way against {@code base}: carry a one-sided change over, or decide a conflict. */
  private void settle(Pair pair, Fields a, Fields b, Fields base) {
    boolean changedA = base == null || !same(a, base);
    boolean changedB = base == null || !same(b, base);
    if (same(a, b)) {
      if (a != null && (pair.link == null || pair.link.state() != Link.State.LINKED || !same(a, base))) {
        pair.next = Link.linked(pair.aKey, pair.bKey, a);   // equal already: record it, write nothing
      } else if (a == null) {
        pair.next = Link.deleted(pair.aKey, pair.bKey);
      }
      return;
    }
    if (changedA && !changedB) {
      if (a == null) {
        deleted(pair, Side.A, a, b);
      } else {
        keep(pair, a, b, a);
      }
    } else if (changedB && !changedA) {
      if (b == null) {
        deleted(pair, Side.B, a, b);
      } else {
        keep(pair, a, b, b);
      }
    } else {
      Conflict c = new Conflict(pair.aKey, pair.bKey, base, a, b,
          pair.a != null ? pair.a.version() : deletedAtA.getOrDefault(pair.aKey, 0L),
          pair.b != null ? pair.b.version() : deletedAtB.getOrDefault(pair.bKey, 0L));
      Resolution r = s.conflicts.resolve(c);
      conflicts.add(new ResolvedConflict(c, r));
      switch (r.kind()) {
        case KEEP -> keep(pair, a, b, r.values());
        case DELETE -> {
          pair.toA = pair.a == null ? null : new Change.Delete<>(pair.aKey, 0);
          pair.toB = pair.b == null ? null : new Change.Delete<>(pair.bKey, 0);
          pair.next = Link.deleted(pair.aKey, pair.bKey);
        }
        case PARK -> {
          againA.add(pair.aKey);
          againB.add(pair.bKey);
        }
      }
    }
  }

  /** Both sides are to hold {@code values} (A's terms): write each side where it differs. */
  private void keep(Pair pair, Fields a, Fields b, Fields values) {
    if (!same(a, values)) {
      Fields onA = overlay(pair.a, values);
      pair.toA = Change.upsert(new Envelope<>(pair.aKey, 0, onA));
    }
    if (!same(b, values)) {
      Fields onB = overlay(pair.b, s.aToB.apply(values));
      pair.toB = Change.upsert(new Envelope<>(pair.bKey, 0, onB));
    }
    pair.next = Link.linked(pair.aKey, pair.bKey, values);
  }

  /** The record was deleted on {@code from}: the other side follows the delete policy; the pair closes. */
  private void deleted(Pair pair, Side from, Fields a, Fields b) {
    if (s.deletes == DeletePolicy.PROPAGATE) {
      if (from == Side.A && b != null) {
        pair.toB = new Change.Delete<>(pair.bKey, 0);
      } else if (from == Side.B && a != null) {
        pair.toA = new Change.Delete<>(pair.aKey, 0);
      }
    }
    pair.next = Link.deleted(pair.aKey, pair.bKey);
  }

  /** {@code existing} (a side's whole record, unmapped fields included) with {@code values} set over it. */
  private static Fields overlay(Envelope<Fields> existing, Fields values) {
    if (existing == null) {
      return values;
    }
    Fields out = existing.payload();
    for (String name : values.names()) {
      out = out.with(name, values.get(name));
    }
    return out;
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** A round that would delete more than the allowed share of either side: why, else null. */
  private String massDelete(Collection<Pair> pairs) {
    List<Pair> linked = pairs.stream().filter(p -> p.link != null && p.link.state() == Link.State.LINKED).toList();
    long onA = linked.stream().filter(p -> p.toA instanceof Change.Delete<Fields>).count();
    long onB = linked.stream().filter(p -> p.toB instanceof Change.Delete<Fields>).count();
    if (onA == 0 && onB == 0) {
      return null;   // nothing to measure: spare the link store its count
    }
    long count = s.links.linkedCount();
    for (Side side : Side.values()) {
      long deletes = side == Side.A ? onA : onB;
      if (deletes > 0 && deletes > s.massDeleteShare * count) {
        return String.format("the round would delete %d of %d linked records on side %s (%.0f %%), more than the"
            + " mass-delete limit of %.0f %%; nothing was written. Check side %s's deletes, then raise the limit"
            + " for one round if they are meant", deletes, count, side, 100.0 * deletes / Math.max(1, count),
            100 * s.massDeleteShare, side.other());
      }
    }
    return null;
  }

  /** Writes the changes decided for {@code side}; the keys it refused (reported as failures). */
  private Set<String> write(Endpoint side, Collection<Pair> pairs, Side which) {
    List<Change<Fields>> batch = new ArrayList<>();
    for (Pair pair : pairs) {
      Change<Fields> change = which == Side.A ? pair.toA : pair.toB;
      if (change != null) {
        batch.add(change);
      }
    }
    Set<String> refused = new LinkedHashSet<>();
    if (batch.isEmpty()) {
      return refused;
    }
    List<Outcome> outcomes = retrying.call(() -> side.destination().write(batch));
    if (outcomes == null || outcomes.size() != batch.size()) {
      throw new IllegalStateException("side " + which + " answered " + (outcomes == null ? "null" : outcomes.size())
          + " outcomes for " + batch.size() + " changes");
    }
    for (Outcome o : outcomes) {
      if (o instanceof Outcome.Failed f) {
        refused.add(f.key());
        failures.add(f);
      }
    }
    return refused;
  }

  // ---- reporting -------------------------------------------------------------------------------

  private SyncReport report(SyncReport.Status status, String message, Collection<Pair> pairs, Set<String> refusedA,
      Set<String> refusedB) {
    boolean wrote = status == SyncReport.Status.COMPLETED;
    return new SyncReport(s.name, status, message == null ? null : "Sync '" + s.name + "' round " + status + ": " + message,
        counts(pairs, Side.A, wrote, refusedA), counts(pairs, Side.B, wrote, refusedB), conflicts, failures,
        startedAt, Instant.now());
  }

  private SideCounts counts(Collection<Pair> pairs, Side side, boolean wrote, Set<String> refused) {
    long created = 0;
    long updated = 0;
    long deleted = 0;
    long unchanged = 0;
    for (Pair pair : pairs) {
      Change<Fields> change = side == Side.A ? pair.toA : pair.toB;
      Envelope<Fields> held = side == Side.A ? pair.a : pair.b;
      if (!wrote || change == null || refused.contains(change.key())) {
        if (held != null) {
          unchanged++;
        }
        continue;
      }
      if (change instanceof Change.Delete<Fields>) {
        deleted++;
      } else if (held == null) {
        created++;
      } else {
        updated++;
      }
    }
    return new SideCounts(side == Side.A ? readA : readB, created, updated, deleted, unchanged);
  }

  private SyncReport failed(String message) {
    LOG.error("Sync '{}' round failed: {}", s.name, message);
    return report(SyncReport.Status.FAILED, message, List.of(), Set.of(), Set.of());
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
  }
}
