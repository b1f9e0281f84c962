package dev.patchbay.patterns.sync;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.sync.SyncReport.ResolvedConflict;
import dev.patchbay.core.report.EndpointCounts;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/** What a round's chunks did to each side, added up chunk by chunk; and the conflicts they met. */
final class RoundCounts {

  private final ScopeCriteria<Fields> scopeA;
  private final ScopeCriteria<Fields> scopeB;
  private final EndpointCounts[] sides = {EndpointCounts.zero(), EndpointCounts.zero()};
  private final List<ResolvedConflict> conflicts = new ArrayList<>();

  RoundCounts(ScopeCriteria<Fields> scopeA, ScopeCriteria<Fields> scopeB) {
    this.scopeA = scopeA;
    this.scopeB = scopeB;
  }

  /**
   * Adds one chunk's pairs: written where {@code wrote} (else all left as they were), but for the
   * keys each side refused; {@code readA} and {@code readB} the changes read from each feed.
   */
  void add(Collection<Pair> pairs, boolean wrote, Set<String> refusedA, Set<String> refusedB, long readA, long readB) {
    for (Side side : Side.values()) {
      EndpointCounts c = counts(pairs, side, wrote, side == Side.A ? refusedA : refusedB, side == Side.A ? readA : readB);
      sides[side.ordinal()] = sides[side.ordinal()].plus(c);
    }
    pairs.stream().map(pair -> pair.conflict).filter(Objects::nonNull).forEach(conflicts::add);
  }

  EndpointCounts side(Side side) {
    return sides[side.ordinal()];
  }

  List<ResolvedConflict> conflicts() {
    return conflicts;
  }

  private EndpointCounts counts(Collection<Pair> pairs, Side side, boolean wrote, Set<String> refused, long read) {
    long created = 0;
    long updated = 0;
    long deleted = 0;
    long unchanged = 0;
    long skipped = 0;
    long failed = 0;
    for (Pair pair : pairs) {
      Change<Fields> change = side == Side.A ? pair.toA : pair.toB;
      Envelope<Fields> held = side == Side.A ? pair.a : pair.b;
      if (held != null && (pair.alone || pair.outOfScope && !(side == Side.A ? scopeA : scopeB).includes(held))) {
        skipped++;
        continue;
      }
      if (pair.failed && side == Side.A) {
        failed++;   // counted once, where its failure names it
        continue;
      }
      if (wrote && change != null && refused.contains(change.key())) {
        failed++;
        continue;
      }
      if (!wrote || change == null) {
        if (held != null || pair.quiet) {
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
    return new EndpointCounts(read, created, updated, deleted, unchanged, skipped, failed);
  }
}
