package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The pairs of records, one of each side, that a {@link Blocking} makes candidates: each pair once,
 * however many keys it shares, in side B's order, then side A's.
 *
 * @param pairs the candidate pairs
 */
public record CandidatePairs(List<Pair> pairs) {

  public CandidatePairs {
    pairs = List.copyOf(Objects.requireNonNull(pairs, "pairs"));
  }

  /** A candidate: the key of side A's record and of side B's. */
  public record Pair(String aKey, String bKey) {
    public Pair {
      Objects.requireNonNull(aKey, "aKey");
      Objects.requireNonNull(bKey, "bKey");
    }
  }

  /** How many pairs the blocking produced: the comparisons a rule will make. */
  public int count() {
    return pairs.size();
  }

  /** The candidates among side A's and side B's records (by key) under {@code blocking}. */
  public static CandidatePairs of(Map<String, Fields> a, Map<String, Fields> b, Blocking blocking) {
    Map<String, List<String>> filedA = new HashMap<>();
    a.forEach((key, record) -> blocking.keys(record).forEach(k -> filedA.computeIfAbsent(k, x -> new ArrayList<>()).add(key)));
    List<Pair> pairs = new ArrayList<>();
    b.forEach((bKey, record) -> {
      Set<String> partners = new LinkedHashSet<>();
      for (String k : blocking.keys(record)) {
        partners.addAll(filedA.getOrDefault(k, List.of()));
      }
      partners.forEach(aKey -> pairs.add(new Pair(aKey, bKey)));
    });
    return new CandidatePairs(pairs);
  }
}
