package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A probabilistic match rule (Fellegi and Sunter): each field's two values fall in a comparison
 * level of its {@link FieldComparator}; each level carries {@code m}, the probability of that
 * level among pairs that are the same entity, and {@code u}, among pairs that are not; the level
 * adds {@code log2(m / u)} bits to the score (positive where it is evidence of a match). A field
 * missing on either side adds nothing. The score of a pair is the sum over its fields.
 *
 * <pre>{@code
 * MatchRule rule = FellegiSunter.builder()
 *     .field("surname", FieldComparator.jaroWinkler(0.92), new double[] {0.90, 0.06, 0.04}, new double[] {0.002, 0.01, 0.988})
 *     .field("date_of_birth", FieldComparator.daysApart(31), new double[] {0.92, 0.05, 0.03}, new double[] {0.0003, 0.01, 0.9897})
 *     .build();
 * }</pre>
 */
public final class FellegiSunter implements MatchRule {

  private final List<FieldRule> fields;

  private FellegiSunter(List<FieldRule> fields) {
    this.fields = List.copyOf(fields);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public Score score(Fields a, Fields b) {
    double total = 0;
    List<Score.Comparison> parts = new ArrayList<>(fields.size());
    for (FieldRule f : fields) {
      int level = f.comparator.level(a.get(f.name), b.get(f.name));
      if (level == FieldComparator.NEUTRAL) {
        parts.add(new Score.Comparison(f.name, "missing", 0));
      } else if (level == 0 && f.frequencies != null) {
        double frequency = f.frequencies.frequency(Normalized.text(a.get(f.name)));
        double w = Math.log(f.m[0] / frequency) / Math.log(2);
        total += w;
        parts.add(new Score.Comparison(f.name, f.comparator.levels().get(0) + String.format(java.util.Locale.ROOT,
            " (value frequency %.4g)", frequency), w));
      } else {
        double w = f.weights[level];
        total += w;
        parts.add(new Score.Comparison(f.name, f.comparator.levels().get(level), w));
      }
    }
    return new Score(total, parts);
  }

  /** The score's value alone: the same sum, in the same order, with nothing allocated for the explanation. */
  @Override
  public double value(Fields a, Fields b) {
    double total = 0;
    for (FieldRule f : fields) {
      int level = f.comparator.level(a.get(f.name), b.get(f.name));
      if (level == FieldComparator.NEUTRAL) {
        continue;
      }
      total += level == 0 && f.frequencies != null
          ? Math.log(f.m[0] / f.frequencies.frequency(Normalized.text(a.get(f.name)))) / Math.log(2) : f.weights[level];
    }
    return total;
  }

  /** The weight in bits of each level of {@code field}, closest first. */
  public double[] weights(String field) {
    for (FieldRule f : fields) {
      if (f.name.equals(field)) {
        return f.weights.clone();
      }
    }
    throw new IllegalArgumentException("the rule compares no field '" + field + "'; it compares " + names());
  }

  @Override
  public java.util.Set<String> fields() {
    java.util.Set<String> names = new java.util.LinkedHashSet<>();
    fields.forEach(f -> names.add(f.name));
    return names;
  }

  @Override
  public String describe() {
    List<String> parts = new ArrayList<>();
    for (FieldRule f : fields) {
      parts.add(f.name + " (" + f.comparator + ")");
    }
    return "Fellegi-Sunter over " + String.join(", ", parts);
  }

  @Override
  public String toString() {
    return describe();
  }

  private List<String> names() {
    return fields.stream().map(f -> f.name).toList();
  }

  private record FieldRule(String name, FieldComparator comparator, double[] m, double[] weights, Frequencies frequencies) {
  }

  /** How often each normalised value occurs among some records; one never seen counts as one record. */
  private record Frequencies(Map<String, Double> shares, double unseen) {
    double frequency(String value) {
      return shares.getOrDefault(value, unseen);
    }
  }

  /** Builds a {@link FellegiSunter} rule: one {@link #field} call for each field compared. */
  public static final class Builder {
    private final Map<String, FieldRule> fields = new LinkedHashMap<>();

    private Builder() {
    }

    /**
     * Compares {@code name} with {@code comparator}; {@code m} and {@code u} give, for each of its
     * levels (closest first), the probability among pairs that are and are not the same entity.
     *
     * @throws SetupException where the field is given twice, a probability is not above 0 and at
     *     most 1, or {@code m} or {@code u} has another length than the comparator's levels
     */
    public Builder field(String name, FieldComparator comparator, double[] m, double[] u) {
      Objects.requireNonNull(name, "FellegiSunter: a field's name must be given, not null");
      Objects.requireNonNull(comparator, "comparator");
      if (fields.containsKey(name)) {
        throw new SetupException("Fellegi-Sunter rule: field '" + name + "' was already set");
      }
      int n = comparator.levels().size();
      double[] weights = new double[n];
      for (double[] p : new double[][] {m, u}) {
        if (p.length != n) {
          throw new SetupException("Fellegi-Sunter rule, field '" + name + "': " + (p == m ? "m" : "u") + " has "
              + p.length + " probabilities, its comparator " + n + " levels " + comparator.levels());
        }
      }
      for (int i = 0; i < n; i++) {
        for (double p : new double[] {m[i], u[i]}) {
          if (!(p > 0 && p <= 1)) {
            throw new SetupException("Fellegi-Sunter rule, field '" + name + "', level '" + comparator.levels().get(i)
                + "': a probability must be above 0 and at most 1, was " + p);
          }
        }
        weights[i] = Math.log(m[i] / u[i]) / Math.log(2);
      }
      fields.put(name, new FieldRule(name, comparator, m.clone(), weights, null));
      return this;
    }

    /**
     * Adjusts {@code field}'s "equal" weight by how common the shared value is among
     * {@code records} (both sides' records, as a rule): two records that share a rare surname are
     * stronger evidence than two that share the commonest. The weight of equal values {@code v}
     * becomes {@code log2(m / frequency(v))}, {@code m} that of the equal level; a value that
     * {@code records} never hold counts as held by one of them. Other levels keep their weights.
     *
     * @throws SetupException where {@code field} was not given first, was adjusted already, or
     *     {@code records} hold no value of it
     */
    public Builder termFrequencies(String field, java.util.Collection<Fields> records) {
      FieldRule rule = fields.get(field);
      if (rule == null) {
        throw new SetupException("Fellegi-Sunter rule: term frequencies for field '" + field + "', which is not compared;"
            + " call field(\"" + field + "\", ...) first");
      }
      if (rule.frequencies != null) {
        throw new SetupException("Fellegi-Sunter rule: term frequencies of field '" + field + "' were already set");
      }
      Map<String, Double> counts = new java.util.HashMap<>();
      long total = 0;
      for (Fields r : records) {
        String v = Normalized.text(r.get(field));
        if (v != null) {
          counts.merge(v, 1.0, Double::sum);
          total++;
        }
      }
      if (total == 0) {
        throw new SetupException("Fellegi-Sunter rule: term frequencies of field '" + field + "': no record holds a value of it");
      }
      long n = total;
      counts.replaceAll((v, c) -> c / n);
      fields.put(field, new FieldRule(field, rule.comparator, rule.m, rule.weights, new Frequencies(Map.copyOf(counts), 1.0 / n)));
      return this;
    }

    /**
     * The rule.
     *
     * @throws SetupException where no field was given
     */
    public FellegiSunter build() {
      if (fields.isEmpty()) {
        throw new SetupException("Fellegi-Sunter rule needs at least one field");
      }
      return new FellegiSunter(new ArrayList<>(fields.values()));
    }
  }
}
