package dev.patchbay.patterns.correlation;

import dev.patchbay.core.Checkpoint;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a correlation holds in memory between rounds: the records as the rule sees them and their
 * candidate pairs ({@link Linkage}), where each side's feed was read to, the links (from the
 * crosswalk, for the sync's keys and scopes) and the review queue. Rebuilt from both feeds by the
 * first round in a process, and after a round that failed part-way.
 */
final class Known {

  final java.util.function.Supplier<Linkage> factory;
  Linkage linkage;
  boolean built;
  Checkpoint positionA = Checkpoint.start();
  Checkpoint positionB = Checkpoint.start();
  /** A key to B key, and back, of every link: read by the sync's threads. */
  final Map<String, String> linkedA = new ConcurrentHashMap<>();
  final Map<String, String> linkedB = new ConcurrentHashMap<>();
  private final Map<String, ReviewItem> review = new LinkedHashMap<>();
  final Set<String> ambiguousA = new HashSet<>();
  final Set<String> ambiguousB = new HashSet<>();

  Known(java.util.function.Supplier<Linkage> factory) {
    this.factory = factory;
    this.linkage = factory.get();
  }

  /** Forgets everything: the next round reads both sides afresh. */
  void reset() {
    built = false;
    linkage = factory.get();
    positionA = Checkpoint.start();
    positionB = Checkpoint.start();
    linkedA.clear();
    linkedB.clear();
    synchronized (this) {
      review.clear();
    }
    ambiguousA.clear();
    ambiguousB.clear();
  }

  /** Replaces what is known of the records of {@code region} by {@code items}. */
  synchronized void review(Linkage.Touched region, List<ReviewItem> items) {
    review.values().removeIf(i -> region.a().contains(i.aKey()) || region.b().contains(i.bKey()));
    items.forEach(i -> review.put(Crosswalk.pairKey(i.aKey(), i.bKey()), i));
  }

  synchronized List<ReviewItem> queue() {
    List<ReviewItem> q = new ArrayList<>(review.values());
    q.sort(Comparator.comparingDouble((ReviewItem i) -> i.score().value()).reversed()
        .thenComparing(ReviewItem::aKey).thenComparing(ReviewItem::bKey));
    return q;
  }

  /** The records of side A (else B) in a pair waiting for review that are neither linked nor ambiguous. */
  synchronized long inReview(boolean a) {
    Set<String> keys = new HashSet<>();
    for (ReviewItem i : review.values()) {
      String k = a ? i.aKey() : i.bKey();
      if (i.reason() != ReviewItem.Reason.AMBIGUOUS && !(a ? linkedA : linkedB).containsKey(k)
          && !(a ? ambiguousA : ambiguousB).contains(k)) {
        keys.add(k);
      }
    }
    return keys.size();
  }
}
