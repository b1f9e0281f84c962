package dev.patchbay.patterns.sync;

import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.sync.BidirectionalSync.Endpoint;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * A round's guard against mass deletes: a round that would delete more than the allowed share of
 * either side's linked records (and more than the floor, and than the round's allowance) is
 * blocked before it writes anything.
 */
final class MassDeletes {

  private final BidirectionalSync s;
  private final Links links;
  /** Deletes a side may take in this round whatever the limit. */
  private final int allowed;

  MassDeletes(BidirectionalSync s, Links links, int allowed) {
    this.s = s;
    this.links = links;
    this.allowed = allowed;
  }

  /** Why the decided {@code pairs} would delete too many, else null: a round of one chunk, before it writes. */
  String check(Collection<Pair> pairs) {
    List<Pair> linked = pairs.stream().filter(p -> p.link != null && p.link.state() == Link.State.LINKED).toList();
    return check(linked.stream().filter(p -> p.toA instanceof Change.Delete<Fields>).count(),
        linked.stream().filter(p -> p.toB instanceof Change.Delete<Fields>).count());
  }

  /**
   * For a round of more than one chunk, before anything is written: the deletes the feeds carry
   * for linked records, read through once more (keys only, a chunk at a time), taken as deletes
   * the round would make on the other side. An estimate: a conflict may still keep a record.
   */
  String checkAhead(SyncPosition position) {
    if (s.deletes != DeletePolicy.PROPAGATE) {
      return null;
    }
    long fromA = linkedDeletes(s.a, position.a(), Side.A);
    long fromB = linkedDeletes(s.b, position.b(), Side.B);
    return check(fromB, fromA);
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

  private String check(long onA, long onB) {
    long most = Math.max(onA, onB);
    if (most <= Math.max(s.massDeleteFloor, allowed)) {
      return null;   // within what any round may do: spare the link store its count
    }
    long count = links.linkedCount();
    for (Side side : Side.values()) {
      long deletes = side == Side.A ? onA : onB;
      if (deletes > Math.max(s.massDeleteFloor, allowed) && deletes > s.massDeleteShare * count) {
        return String.format("the round would delete %d of %d linked records on side %s (%.0f %%), more than the"
            + " mass-delete limit of %.0f %% (and of %d records); nothing was written. Check side %s's deletes; if they"
            + " are meant, run this one round as round(%d), which allows up to %d deletes a side", deletes, count, side,
            100.0 * deletes / Math.max(1, count), 100 * s.massDeleteShare, s.massDeleteFloor, side.other(), most, most);
      }
    }
    return null;
  }
}
