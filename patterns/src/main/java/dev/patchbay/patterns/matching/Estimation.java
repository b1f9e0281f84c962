package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;

/**
 * Fellegi-Sunter weights estimated from the two sides' records, without labels: each level's
 * {@code u} from random pairs (almost all of them different entities), then {@code m} by
 * expectation maximisation with {@code u} held fixed, once for each single rule of the blocking,
 * over the pairs that rule finds. A rule's pairs agree on its own fields because the rule chose
 * them, not because they are the same entity, so a field's {@code m} comes only from the rules that
 * do not use it (averaged); every field needs such a rule. Counts are smoothed, so that no level
 * is impossible.
 *
 * <pre>{@code
 * Estimation.Result fit = Estimation.builder()
 *     .field("surname", FieldComparator.jaroWinkler(0.92, 0.85))
 *     .field("date_of_birth", FieldComparator.daysApart(31))
 *     .randomPairs(200_000).seed(42)
 *     .estimate(hospitalA, hospitalB, Blocking.field("surname").or(Blocking.field("date_of_birth")));
 * MatchRule rule = fit.rule();
 * }</pre>
 */
public final class Estimation {

  private static final int MAX_ITERATIONS = 200;

  private Estimation() {
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * What the estimate found: the rule, each field's {@code m} and {@code u} by level (closest
   * first), and the share of the blocking's candidate pairs that the rule takes to be matches.
   */
  public record Result(FellegiSunter rule, Map<String, List<Double>> m, Map<String, List<Double>> u, double matchShare) {
    public Result {
      Objects.requireNonNull(rule, "rule");
      m = Map.copyOf(m);
      u = Map.copyOf(u);
    }
  }

  /** Sets the fields to compare and how the estimate is drawn; {@link #estimate} runs it. */
  public static final class Builder {
    private final Map<String, FieldComparator> fields = new LinkedHashMap<>();
    private int randomPairs = 100_000;
    private long seed = 1;

    private Builder() {
    }

    /** Compares {@code name} with {@code comparator}. */
    public Builder field(String name, FieldComparator comparator) {
      Objects.requireNonNull(name, "Estimation: a field's name must be given, not null");
      Objects.requireNonNull(comparator, "comparator");
      if (fields.putIfAbsent(name, comparator) != null) {
        throw new SetupException("Fellegi-Sunter estimate: field '" + name + "' was already set");
      }
      return this;
    }

    /** How many random pairs {@code u} is counted over; by default 100,000. */
    public Builder randomPairs(int n) {
      if (n < 1) {
        throw new SetupException("Fellegi-Sunter estimate: random pairs must be at least 1, was " + n);
      }
      this.randomPairs = n;
      return this;
    }

    /** The seed of the random pairs: the same seed, the same estimate. */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /**
     * Estimates the weights from side A's and side B's records (by key), {@code m} over the pairs
     * {@code blocking}'s rules find.
     *
     * @throws SetupException where no field was given, a side is empty, a rule finds no pair, or
     *     every rule of the blocking uses a field (its {@code m} cannot be told from the blocking)
     */
    public Result estimate(Map<String, Fields> a, Map<String, Fields> b, Blocking blocking) {
      if (fields.isEmpty()) {
        throw new SetupException("Fellegi-Sunter estimate needs at least one field");
      }
      if (a.isEmpty() || b.isEmpty()) {
        throw new SetupException("Fellegi-Sunter estimate needs records on both sides; side " + (a.isEmpty() ? "A" : "B")
            + " has none");
      }
      List<String> names = List.copyOf(fields.keySet());
      List<FieldComparator> comparators = List.copyOf(fields.values());
      for (String f : names) {
        if (blocking.rules().stream().allMatch(r -> r.fields().contains(f))) {
          throw new SetupException("Fellegi-Sunter estimate: every blocking rule (" + blocking.describe() + ") uses field '"
              + f + "', so its m cannot be estimated from the pairs they find; add a rule that does not");
        }
      }
      double[][] u = randomPairsLevels(names, comparators, List.copyOf(a.values()), List.copyOf(b.values()));

      double[][] m = new double[names.size()][];
      int[] rulesFor = new int[names.size()];
      for (int f = 0; f < names.size(); f++) {
        m[f] = new double[u[f].length];
      }
      Map<CandidatePairs.Pair, int[]> compared = new LinkedHashMap<>();
      for (Blocking rule : blocking.rules()) {
        boolean[] used = new boolean[names.size()];
        for (int f = 0; f < names.size(); f++) {
          used[f] = rule.fields().contains(names.get(f));
        }
        List<int[]> pairs = levels(names, comparators, a, b, CandidatePairs.of(a, b, rule), compared);
        if (pairs.isEmpty()) {
          throw new SetupException("Fellegi-Sunter estimate: the blocking rule (" + rule.describe() + ") finds no candidate pair");
        }
        double[][] fitted = em(pairs, used, u);
        for (int f = 0; f < names.size(); f++) {
          if (!used[f]) {
            for (int l = 0; l < m[f].length; l++) {
              m[f][l] += fitted[f][l];
            }
            rulesFor[f]++;
          }
        }
      }
      for (int f = 0; f < names.size(); f++) {
        for (int l = 0; l < m[f].length; l++) {
          m[f][l] /= rulesFor[f];
        }
      }

      FellegiSunter.Builder rule = FellegiSunter.builder();
      Map<String, List<Double>> ms = new LinkedHashMap<>();
      Map<String, List<Double>> us = new LinkedHashMap<>();
      for (int f = 0; f < names.size(); f++) {
        rule.field(names.get(f), comparators.get(f), m[f], u[f]);
        ms.put(names.get(f), Arrays.stream(m[f]).boxed().toList());
        us.put(names.get(f), Arrays.stream(u[f]).boxed().toList());
      }
      // every candidate of the whole blocking was compared under one of its rules already
      return new Result(rule.build(), ms, us, share(List.copyOf(compared.values()), new boolean[names.size()], m, u));
    }

    private double[][] randomPairsLevels(List<String> names, List<FieldComparator> comparators, List<Fields> as,
        List<Fields> bs) {
      Random random = new Random(seed);
      double[][] u = new double[names.size()][];
      for (int f = 0; f < names.size(); f++) {
        u[f] = new double[comparators.get(f).levels().size()];
        Arrays.fill(u[f], 1);   // smoothing
      }
      for (int i = 0; i < randomPairs; i++) {
        int[] gamma = gamma(names, comparators, as.get(random.nextInt(as.size())), bs.get(random.nextInt(bs.size())));
        for (int f = 0; f < gamma.length; f++) {
          if (gamma[f] != FieldComparator.NEUTRAL) {
            u[f][gamma[f]]++;
          }
        }
      }
      normalise(u);
      return u;
    }

    /** m by EM with u fixed over {@code pairs}, the fields {@code used} by their blocking left out. */
    private static double[][] em(List<int[]> pairs, boolean[] used, double[][] u) {
      double[][] m = new double[u.length][];
      for (int f = 0; f < u.length; f++) {   // a start that favours the closest levels
        m[f] = new double[u[f].length];
        for (int l = 0; l < m[f].length; l++) {
          m[f][l] = Math.pow(0.1, l);
        }
      }
      normalise(m);
      double share = 0.1;
      double change = 1;
      for (int iteration = 0; change > 1e-9 && iteration < MAX_ITERATIONS; iteration++) {
        double[][] counts = new double[u.length][];
        for (int f = 0; f < u.length; f++) {
          counts[f] = new double[u[f].length];
          Arrays.fill(counts[f], 1e-6);   // no level impossible among matches
        }
        double matched = 0;
        for (int[] gamma : pairs) {
          double w = posterior(gamma, used, m, u, share);
          matched += w;
          for (int f = 0; f < gamma.length; f++) {
            if (!used[f] && gamma[f] != FieldComparator.NEUTRAL) {
              counts[f][gamma[f]] += w;
            }
          }
        }
        normalise(counts);
        double next = matched / pairs.size();
        change = Math.abs(next - share);
        for (int f = 0; f < m.length; f++) {
          for (int l = 0; l < m[f].length; l++) {
            change = Math.max(change, Math.abs(counts[f][l] - m[f][l]));
          }
        }
        m = counts;
        share = next;
      }
      return m;
    }

    /** The share of matches among {@code pairs} with m and u fixed. */
    private static double share(List<int[]> pairs, boolean[] used, double[][] m, double[][] u) {
      double share = 0.1;
      for (int iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
        double matched = 0;
        for (int[] gamma : pairs) {
          matched += posterior(gamma, used, m, u, share);
        }
        double next = matched / pairs.size();
        if (Math.abs(next - share) < 1e-9) {
          return next;
        }
        share = next;
      }
      return share;
    }

    private static double posterior(int[] gamma, boolean[] used, double[][] m, double[][] u, double share) {
      double pm = share;
      double pu = 1 - share;
      for (int f = 0; f < gamma.length; f++) {
        if (!used[f] && gamma[f] != FieldComparator.NEUTRAL) {
          pm *= m[f][gamma[f]];
          pu *= u[f][gamma[f]];
        }
      }
      return pm / (pm + pu);
    }

    /** The levels of each of {@code candidates}, each pair compared once over all rules ({@code compared} keeps them). */
    private static List<int[]> levels(List<String> names, List<FieldComparator> comparators, Map<String, Fields> a,
        Map<String, Fields> b, CandidatePairs candidates, Map<CandidatePairs.Pair, int[]> compared) {
      List<int[]> pairs = new ArrayList<>(candidates.count());
      for (CandidatePairs.Pair p : candidates.pairs()) {
        pairs.add(compared.computeIfAbsent(p, q -> gamma(names, comparators, a.get(q.aKey()), b.get(q.bKey()))));
      }
      return pairs;
    }

    private static int[] gamma(List<String> names, List<FieldComparator> comparators, Fields a, Fields b) {
      int[] gamma = new int[names.size()];
      for (int f = 0; f < gamma.length; f++) {
        gamma[f] = comparators.get(f).level(a.get(names.get(f)), b.get(names.get(f)));
      }
      return gamma;
    }

    private static void normalise(double[][] rows) {
      for (double[] row : rows) {
        double sum = Arrays.stream(row).sum();
        for (int l = 0; l < row.length; l++) {
          row[l] /= sum;
        }
      }
    }
  }
}
