package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.Score;
import dev.patchbay.patterns.matching.CandidatePairs;
import dev.patchbay.core.Fields;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.DoubleConsumer;

/**
 * What a correlation knows of both sides' records, in memory: each record as the rule sees it,
 * filed under its blocking keys, and the candidate pairs that score at least the floor (the review
 * threshold less the ambiguity margin), each side's pairs by record. A record put again is
 * re-filed and re-scored against the other side only; the records whose pairs changed are
 * returned as touched, and {@link #region} closes them over the pairs, so a round assigns only the
 * part of the population a change can reach. {@link #assign} is the global one-to-one assignment
 * over such a region. Not thread-safe: one round at a time uses it.
 */
final class Linkage {

  private final MatchRule rule;
  private final Blocking blocking;
  private final Decisions.Thresholds thresholds;
  private final Side[] sides = {new Side(), new Side()};
  /** One copy of each value the views hold: most values (names, places, dates) repeat across records. */
  private final Map<String, String> values = new HashMap<>();

  /** One side's records, their blocking keys and their candidate pairs. */
  private static final class Side {
    final Map<String, Fields> records = new HashMap<>();
    final KeyIndex filed = new KeyIndex();
    final Map<String, Partners> pairs = new HashMap<>();
  }

  /** A record's candidate pairs at or above the floor: the other side's keys and the scores. */
  static final class Partners {
    private String[] keys = new String[1];
    private double[] scores = new double[1];
    private int size;

    int size() {
      return size;
    }

    String key(int i) {
      return keys[i];
    }

    double score(int i) {
      return scores[i];
    }

    /** The score of the pair with {@code key}; NaN where there is none. */
    double scoreOf(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          return scores[i];
        }
      }
      return Double.NaN;
    }

    void put(String key, double score) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          scores[i] = score;
          return;
        }
      }
      if (size == keys.length) {
        keys = java.util.Arrays.copyOf(keys, size * 2);
        scores = java.util.Arrays.copyOf(scores, size * 2);
      }
      keys[size] = key;
      scores[size++] = score;
    }

    void remove(String key) {
      for (int i = 0; i < size; i++) {
        if (keys[i].equals(key)) {
          keys[i] = keys[--size];
          scores[i] = scores[size];
          keys[size] = null;
          return;
        }
      }
    }
  }

  Linkage(MatchRule rule, Blocking blocking, Decisions.Thresholds thresholds) {
    this.rule = rule;
    this.blocking = blocking;
    this.thresholds = thresholds;
  }

  private Side side(boolean a) {
    return sides[a ? 0 : 1];
  }

  /** The record of {@code key} on side A (else B) as the rule sees it; null where not held. */
  Fields record(boolean a, String key) {
    return side(a).records.get(key);
  }

  /** How many records side A (else B) holds in scope. */
  int size(boolean a) {
    return side(a).records.size();
  }

  /** The candidate pairs of a record at or above the floor; null where it has none. */
  Partners pairs(boolean a, String key) {
    return side(a).pairs.get(key);
  }

  /** The score of the pair of side A's {@code aKey} and side B's {@code bKey}; NaN where it is below the floor or no candidate. */
  double score(String aKey, String bKey) {
    Partners p = pairs(true, aKey);
    return p == null ? Double.NaN : p.scoreOf(bKey);
  }

  /** How the rule scores the pair, field by field; null where a record is not held. */
  Score explain(String aKey, String bKey) {
    Fields x = record(true, aKey);
    Fields y = record(false, bKey);
    return x == null || y == null ? null : rule.score(x, y);
  }

  /**
   * Files {@code record} (null: removes it) under side A's (else B's) {@code key}, scoring it
   * against the other side's records that share a blocking key; every score goes to {@code scored}
   * (for the histogram). Adds to {@code touched} this record and every record whose pairs it
   * changed, by side.
   */
  void put(boolean a, String key, Fields record, DoubleConsumer scored, Touched touched) {
    Side mine = side(a);
    Side theirs = side(!a);
    Fields old = mine.records.remove(key);
    touched.of(a).add(key);
    if (old != null) {
      for (String k : blocking.keys(old)) {
        mine.filed.remove(KeyIndex.hash(k), key);
      }
      Partners was = mine.pairs.remove(key);
      for (int i = 0; was != null && i < was.size(); i++) {
        String other = was.key(i);
        Partners back = theirs.pairs.get(other);
        if (back != null) {
          back.remove(key);
          if (back.size() == 0) {
            theirs.pairs.remove(other);
          }
        }
        touched.of(!a).add(other);
      }
    }
    if (record == null) {
      return;
    }
    record = interned(record);
    mine.records.put(key, record);
    Set<String> partners = new LinkedHashSet<>();
    for (String k : blocking.keys(record)) {
      long h = KeyIndex.hash(k);
      mine.filed.add(h, key);
      theirs.filed.forEach(h, partners::add);
    }
    for (String other : partners) {
      Fields that = theirs.records.get(other);
      double value = a ? rule.value(record, that) : rule.value(that, record);
      scored.accept(value);
      if (value >= thresholds.floor()) {
        mine.pairs.computeIfAbsent(key, x -> new Partners()).put(other, value);
        theirs.pairs.computeIfAbsent(other, x -> new Partners()).put(key, value);
        touched.of(!a).add(other);
      }
    }
  }

  /** {@code record} with each text value replaced by the one copy of it this linkage keeps. */
  private Fields interned(Fields record) {
    Fields out = record;
    for (String name : record.names()) {
      if (record.get(name) instanceof String v) {
        String one = values.putIfAbsent(v, v);
        if (one != null && one != v) {
          out = out.with(name, one);
        }
      }
    }
    return out;
  }

  /** Records of each side, by key. */
  record Touched(Set<String> a, Set<String> b) {
    Touched() {
      this(new HashSet<>(), new HashSet<>());
    }

    Set<String> of(boolean sideA) {
      return sideA ? a : b;
    }
  }

  /**
   * {@code start} closed over the candidate pairs and over {@code linked} (each record's present
   * link, either way): every record whose assignment a change to {@code start} can move.
   */
  Touched region(Touched start, Map<String, String> linkedA, Map<String, String> linkedB) {
    Touched region = new Touched();
    Deque<Object[]> todo = new ArrayDeque<>();
    start.a().forEach(k -> todo.add(new Object[] {true, k}));
    start.b().forEach(k -> todo.add(new Object[] {false, k}));
    while (!todo.isEmpty()) {
      Object[] next = todo.poll();
      boolean a = (Boolean) next[0];
      String key = (String) next[1];
      if (!region.of(a).add(key)) {
        continue;
      }
      Partners pairs = pairs(a, key);
      for (int i = 0; pairs != null && i < pairs.size(); i++) {
        if (!region.of(!a).contains(pairs.key(i))) {
          todo.add(new Object[] {!a, pairs.key(i)});
        }
      }
      String partner = (a ? linkedA : linkedB).get(key);
      if (partner != null && !region.of(!a).contains(partner)) {
        todo.add(new Object[] {!a, partner});
      }
    }
    return region;
  }

  /**
   * The global one-to-one assignment over {@code region}: the pairs a person asserted first (both
   * records held), then, best score first across the whole region, each pair whose records are
   * both still free. A record whose best two candidates are within the margin is AMBIGUOUS and
   * takes part in nothing; so is a record that two free pairs of one score would take. An assigned
   * pair is a link at or above the link threshold (where the required fields agree), queued for
   * review at or above the review threshold, else left. Rejected pairs are no candidates.
   * Depends only on the pairs, never on the order records were read or which system is side A.
   */
  Decisions assign(Touched region, Map<String, String> asserted, Set<CandidatePairs.Pair> rejected) {
    Decisions out = new Decisions(thresholds);
    Set<String> takenA = new HashSet<>();
    Set<String> takenB = new HashSet<>();
    asserted.forEach((aKey, bKey) -> {
      if (region.a().contains(aKey) && record(true, aKey) != null && record(false, bKey) != null) {
        takenA.add(aKey);
        takenB.add(bKey);
        out.asserted.put(aKey, bKey);
      }
    });
    List<Decisions.Candidate> candidates = new ArrayList<>();
    for (String aKey : region.a()) {
      if (takenA.contains(aKey)) {
        continue;
      }
      Partners pairs = pairs(true, aKey);
      for (int i = 0; pairs != null && i < pairs.size(); i++) {
        String bKey = pairs.key(i);
        if (!takenB.contains(bKey) && !rejected.contains(new CandidatePairs.Pair(aKey, bKey))) {
          candidates.add(new Decisions.Candidate(aKey, bKey, pairs.score(i)));
        }
      }
    }
    Map<String, double[]> bestA = new HashMap<>();
    Map<String, double[]> bestB = new HashMap<>();
    for (Decisions.Candidate c : candidates) {
      best(bestA, c.aKey(), c.score());
      best(bestB, c.bKey(), c.score());
    }
    for (Decisions.Candidate c : candidates) {
      double[] ofA = bestA.get(c.aKey());
      double[] ofB = bestB.get(c.bKey());
      boolean closeA = tooClose(ofA) && c.score() >= ofA[0] - thresholds.margin();
      boolean closeB = tooClose(ofB) && c.score() >= ofB[0] - thresholds.margin();
      if (closeA || closeB) {
        out.ambiguous(c, tooClose(ofA) ? c.aKey() : null, tooClose(ofB) ? c.bKey() : null);
      }
    }
    Set<String> ambiguousA = new HashSet<>();
    Set<String> ambiguousB = new HashSet<>();
    bestA.forEach((k, top) -> {
      if (tooClose(top)) {
        ambiguousA.add(k);
      }
    });
    bestB.forEach((k, top) -> {
      if (tooClose(top)) {
        ambiguousB.add(k);
      }
    });
    candidates.removeIf(c -> ambiguousA.contains(c.aKey()) || ambiguousB.contains(c.bKey()));
    candidates.sort(Comparator.comparingDouble((Decisions.Candidate c) -> c.score()).reversed());
    for (int i = 0; i < candidates.size(); ) {
      int j = i;
      double score = candidates.get(i).score();
      while (j < candidates.size() && candidates.get(j).score() == score) {
        j++;
      }
      List<Decisions.Candidate> free = new ArrayList<>();
      Map<String, Integer> perA = new HashMap<>();
      Map<String, Integer> perB = new HashMap<>();
      for (Decisions.Candidate c : candidates.subList(i, j)) {
        if (!takenA.contains(c.aKey()) && !takenB.contains(c.bKey())) {
          free.add(c);
          perA.merge(c.aKey(), 1, Integer::sum);
          perB.merge(c.bKey(), 1, Integer::sum);
        }
      }
      for (Decisions.Candidate c : free) {
        boolean tiedA = perA.get(c.aKey()) > 1;
        boolean tiedB = perB.get(c.bKey()) > 1;
        if (tiedA || tiedB) {
          out.ambiguous(c, tiedA ? c.aKey() : null, tiedB ? c.bKey() : null);   // only the record torn between two is taken
          if (tiedA) {
            takenA.add(c.aKey());
          }
          if (tiedB) {
            takenB.add(c.bKey());
          }
        } else {
          out.assigned(c, record(true, c.aKey()), record(false, c.bKey()));
          takenA.add(c.aKey());
          takenB.add(c.bKey());
        }
      }
      i = j;
    }
    return out;
  }

  private static void best(Map<String, double[]> best, String key, double score) {
    double[] top = best.computeIfAbsent(key, k -> new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY});
    if (score > top[0]) {
      top[1] = top[0];
      top[0] = score;
    } else if (score > top[1]) {
      top[1] = score;
    }
  }

  private boolean tooClose(double[] top) {
    return top[1] != Double.NEGATIVE_INFINITY && top[1] >= top[0] - thresholds.margin();
  }
}
