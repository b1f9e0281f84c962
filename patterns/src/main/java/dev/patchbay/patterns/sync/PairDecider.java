package dev.patchbay.patterns.sync;

import static dev.patchbay.patterns.sync.ThreeWay.same;

import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.patterns.sync.SyncReport.ResolvedConflict;
import java.util.List;
import java.util.Set;

/**
 * Decides the pairs of one chunk: what each side is to hold ({@link ThreeWay} for the three-way
 * part), carried out as the changes to write and the link each pair is to have after. A pair it
 * cannot decide yet (a mapping that fails, a conflict parked, a closed pair with a record again)
 * goes to the keys the next round looks at again.
 */
final class PairDecider {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BidirectionalSync.class);

  private final BidirectionalSync s;
  private final Drained feedA;
  private final Drained feedB;
  private final Set<String> againA;
  private final Set<String> againB;
  private final List<String> findings;
  private final List<Outcome.Failed> failures;

  PairDecider(BidirectionalSync s, Drained feedA, Drained feedB, Set<String> againA, Set<String> againB,
      List<String> findings, List<Outcome.Failed> failures) {
    this.s = s;
    this.feedA = feedA;
    this.feedB = feedB;
    this.againA = againA;
    this.againB = againB;
    this.findings = findings;
    this.failures = failures;
  }

  /** Undoes what was decided for {@code pair}: nothing is written for it, and the next round looks at it again. */
  void leaveForLater(Pair pair) {
    pair.toA = null;
    pair.toB = null;
    pair.next = null;
    pair.conflict = null;
    againA.add(pair.aKey);
    againB.add(pair.bKey);
  }

  /** Side A's record in A's terms, mapped fields only (through the mapping and back); null if absent. */
  Fields canonA(Envelope<Fields> a) {
    return a == null ? null : s.bToA.apply(s.aToB.apply(a.payload()));
  }

  /** Side B's record in A's terms; null if absent. */
  Fields canonB(Envelope<Fields> b) {
    return b == null ? null : s.bToA.apply(b.payload());
  }


  /**
   * Decides {@code pair}; where the mapping (or a scope) fails on its records, the pair alone is
   * FAILED, naming its keys and the field, and revisited every round until it can be decided.
   */
  void decideOrFail(Pair pair) {
    try {
      decide(pair);
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      leaveForLater(pair);
      pair.failed = true;
      String field = e instanceof DataException d ? d.field() : null;
      String what = e instanceof DataException d ? (field == null ? "" : "field '" + field + "' ") + d.reason()
          : "it threw " + e.getClass().getName();
      failures.add(new Outcome.Failed(pair.aKey, Stage.TRANSFORM, field, "the mapping failed for the pair '" + pair.aKey
          + "' <-> '" + pair.bKey + "': " + what));
    }
  }

  private void decide(Pair pair) {
    Link link = pair.link;
    if (pair.quiet) {
      return;   // settled already
    }
    if (link != null && link.state() == Link.State.DELETED && !reopen(pair)) {
      return;   // closed: a deleted record is never brought back unless the policy says so
    }
    link = pair.link;
    if (link != null && link.state() == Link.State.LINKED
        && (pair.a != null && !s.scopeA.includes(pair.a) || pair.b != null && !s.scopeB.includes(pair.b))) {
      pair.outOfScope = true;   // never modified or deleted there, nor carried over from there
      return;
    }
    if (link == null && (pair.a != null && !s.scopeA.includes(pair.a) || pair.b != null && !s.scopeB.includes(pair.b))) {
      pair.outOfScope = true;   // a record out of its side's scope is never paired, written or carried over
      if (pair.a != null && pair.b != null) {
        Side out = s.scopeA.includes(pair.a) ? Side.B : Side.A;
        findings.add("'" + pair.aKey + "' (side A) and '" + pair.bKey + "' (side B) share a key, and the record on side "
            + out + " is out of its scope: neither is written, and the other side's is not carried over");
      }
      return;
    }
    if (link == null && (pair.a == null) != (pair.b == null) && !s.creates) {
      pair.alone = true;   // held on one side only, and this sync creates nothing
      return;
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

  /**
   * A closed pair with a record under one of its keys again: true where it is to be decided as a
   * pair not linked yet ({@link RecreatedPolicy#LINK_AGAIN}); else reported, and revisited next
   * round while the record is there. Under {@link DeletePolicy#IGNORE} the side that kept its
   * record is expected to hold it, and is not reported.
   */
  private boolean reopen(Pair pair) {
    if (!pair.reopened || pair.a == null && pair.b == null) {
      return false;
    }
    if (s.deletes == DeletePolicy.IGNORE && (pair.a == null || pair.b == null)) {
      return false;
    }
    if (s.recreated == RecreatedPolicy.LINK_AGAIN) {
      pair.link = null;
      return true;
    }
    for (Side side : Side.values()) {
      if ((side == Side.A ? pair.a : pair.b) != null) {
        findings.add("'" + (side == Side.A ? pair.aKey : pair.bKey) + "' on side " + side + " was created again after its"
            + " pair was deleted; it is not synced (RecreatedPolicy.REPORT; RecreatedPolicy.LINK_AGAIN links it anew)");
      }
    }
    againA.add(pair.aKey);
    againB.add(pair.bKey);
    return false;
  }

  /** Three-way against {@code base} ({@link ThreeWay}): carries out what it decides for the pair. */
  private void settle(Pair pair, Fields a, Fields b, Fields base) {
    ThreeWay.Decision decision = ThreeWay.decide(pair.aKey, pair.bKey, base, a, b,
        pair.a != null ? pair.a.version() : feedA.deletedAt(pair.aKey),
        pair.b != null ? pair.b.version() : feedB.deletedAt(pair.bKey), s.conflicts);
    if (decision instanceof ThreeWay.Same same) {
      if (same.values() == null) {
        pair.next = Link.deleted(pair.aKey, pair.bKey);
      } else if (pair.link == null || pair.link.state() != Link.State.LINKED || !same(same.values(), base)) {
        pair.next = Link.linked(pair.aKey, pair.bKey, same.values());   // equal already: record it, write nothing
      }
    } else if (decision instanceof ThreeWay.Carry carry) {
      keep(pair, a, b, carry.values());
    } else if (decision instanceof ThreeWay.Deleted deleted) {
      deleted(pair, deleted.from(), a, b);
    } else {
      ThreeWay.Resolved resolved = (ThreeWay.Resolved) decision;
      untimed(resolved.conflict());
      resolve(pair, a, b, new ResolvedConflict(resolved.conflict(), resolved.resolution()));
    }
  }

  /** How a round's finding of a conflict decided by times one side does not keep begins. */
  static final String UNTIMED = "a policy that compares modification times decided a conflict where side ";

  /**
   * Says, once a round (a WARN and a finding), that a policy comparing times (last writer wins)
   * decided {@code c} where a side answered version 0: it declares no modification time, and the
   * later writer cannot be told.
   */
  private void untimed(Conflict c) {
    if (s.conflicts.clockTolerance() == null || c.aVersion() != 0 && c.bVersion() != 0
        || findings.stream().anyMatch(f -> f.startsWith(UNTIMED))) {
      return;
    }
    String finding = UNTIMED + (c.aVersion() == 0 ? "A" : "B") + " answered version 0 ('" + (c.aVersion() == 0 ? c.aKey()
        : c.bKey()) + "', the first): it keeps no modification time, so which side changed later cannot be told; give"
        + " its connector a modification time (JdbcTable's modifiedAt) or choose a policy that needs none";
    LOG.warn("Sync '{}': {}", s.name, finding);
    findings.add(finding);
  }

  /** Carries out how a conflict was resolved. */
  void resolve(Pair pair, Fields a, Fields b, ResolvedConflict resolved) {
    pair.conflict = resolved;
    Resolution r = resolved.resolution();
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
}
