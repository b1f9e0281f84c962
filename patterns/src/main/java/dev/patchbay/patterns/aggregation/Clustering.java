package dev.patchbay.patterns.aggregation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Records to entities, by the pairs a match rule scored at or over its threshold: the best pair
 * first (score, then the pair's ids), two entities joined where the join keeps at most one record
 * per input and joins no pair a person split. A pure function of the records, the pairs and the
 * splits: records in any order give the same entities.
 */
final class Clustering {

  /** A pair of records ({@code a} before {@code b}) the rule scored at or over the threshold. */
  record Edge(String a, String b, double score) {
    static Edge of(String x, String y, double score) {
      return x.compareTo(y) < 0 ? new Edge(x, y, score) : new Edge(y, x, score);
    }
  }

  private static final Comparator<Edge> BEST_FIRST = Comparator.comparingDouble(Edge::score).reversed()
      .thenComparing(Edge::a).thenComparing(Edge::b);

  private Clustering() {
  }

  /**
   * The entities of {@code records} (each in exactly one), each sorted, in the order of their first
   * record.
   *
   * @param records every record of the component, by id
   * @param inputOf each record's input
   * @param edges   the pairs scored at or over the threshold, each pair once
   * @param apart   the records a person split from each record (symmetric)
   */
  static List<TreeSet<String>> of(Collection<String> records, Function<String, String> inputOf, Collection<Edge> edges,
      Function<String, Set<String>> apart) {
    Map<String, TreeSet<String>> clusterOf = new HashMap<>();
    for (String r : records) {
      TreeSet<String> alone = new TreeSet<>();
      alone.add(r);
      clusterOf.put(r, alone);
    }
    List<Edge> best = new ArrayList<>(edges);
    best.sort(BEST_FIRST);
    for (Edge e : best) {
      TreeSet<String> x = clusterOf.get(e.a());
      TreeSet<String> y = clusterOf.get(e.b());
      if (x == null || y == null || x == y || !joinable(x, y, inputOf, apart)) {
        continue;
      }
      TreeSet<String> into = x.size() >= y.size() ? x : y;
      TreeSet<String> from = into == x ? y : x;
      into.addAll(from);
      from.forEach(r -> clusterOf.put(r, into));
    }
    TreeSet<String> seen = new TreeSet<>();
    List<TreeSet<String>> clusters = new ArrayList<>();
    for (String r : new TreeSet<>(records)) {
      TreeSet<String> c = clusterOf.get(r);
      if (seen.add(c.first())) {
        clusters.add(c);
      }
    }
    return clusters;
  }

  private static boolean joinable(Set<String> x, Set<String> y, Function<String, String> inputOf,
      Function<String, Set<String>> apart) {
    Set<String> inputs = new java.util.HashSet<>();
    x.forEach(r -> inputs.add(inputOf.apply(r)));
    for (String r : y) {
      if (inputs.contains(inputOf.apply(r))) {
        return false;
      }
    }
    for (String r : x) {
      Set<String> never = apart.apply(r);
      if (!never.isEmpty() && y.stream().anyMatch(never::contains)) {
        return false;
      }
    }
    return true;
  }
}
