package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Fields;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * Which value of a field survives into the golden record when the sources disagree: a value with
 * a description, so that a report and an explanation can say which rule chose it. An
 * {@link Aggregation} holds one rule per field (or per {@linkplain Aggregation.Builder#group group of
 * fields that survive together}) and a default for the rest.
 *
 * <p>A rule is handed the candidates (one per source record holding the field, each with its
 * source, key and version) in a fixed order, the aggregation's tie-break: by the sources' priority,
 * then by key, then newest first. A rule that finds several candidates equally good takes the first
 * of them in that order, so the golden record never depends on the order in which sources were read
 * or records arrived.
 *
 * <p>Choosing among texts, numbers and dates:
 * <ul>
 *   <li>a system that owns the field: {@link #priority(String...)};</li>
 *   <li>the freshest edit wins: {@link #mostRecent()} (versions must be modification times, or
 *       comparable across sources);</li>
 *   <li>the value most sources agree on, a typo outvoted: {@link #mostFrequent()};</li>
 *   <li>the fullest value (a middle name, a full street): {@link #mostComplete()};</li>
 *   <li>an aggregate: {@link #min()}, {@link #max()}, {@link #allValues()}.</li>
 * </ul>
 */
public interface Survivorship {

  /**
   * One source record's value of a field (for a group, the group's fields of that record).
   *
   * @param source  the source's name
   * @param rank    the source's place in the aggregation's priority order, 0 first
   * @param key     the record's key in its source
   * @param version the record's version in its source
   * @param value   the value: never null (a record without the field is no candidate)
   * @param common  how many records of all inputs hold this value in this field, where the rule
   *                weighs it ({@link #mostFrequent()}); 0 otherwise, and in a live lookup
   */
  record Candidate(String source, int rank, String key, long version, Object value, long common) {
    public Candidate {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(key, "key");
      Objects.requireNonNull(value, "value");
    }
  }

  /**
   * What survived: a value, and the candidates it came from (one, but for rules that combine, such
   * as {@link #allValues()}).
   */
  record Survived(Object value, List<Candidate> from) {
    public Survived {
      Objects.requireNonNull(value, "value");
      from = List.copyOf(from);
      if (from.isEmpty()) {
        throw new IllegalArgumentException("a surviving value comes from at least one candidate");
      }
    }

    /** {@code candidate}'s value, from it. */
    public static Survived of(Candidate candidate) {
      return new Survived(candidate.value(), List.of(candidate));
    }
  }

  /**
   * The value that survives.
   *
   * @param field      the field (for a group, the group's name), for messages
   * @param candidates at least one, in the tie-break order
   * @throws DataException where the values cannot be compared as the rule needs (naming the field)
   */
  Survived choose(String field, List<Candidate> candidates);

  /** What the rule does, in a few words, for reports and explanations: "source priority (erp, crm)". */
  String describe();

  /**
   * The value of the first of {@code sources} that holds the field (sources not listed come after,
   * in the aggregation's order). With no sources named, the aggregation's own order.
   */
  static Survivorship priority(String... sources) {
    List<String> order = List.of(sources);
    return new Rule("source priority" + (order.isEmpty() ? "" : " " + order), true, order, (field, cs) -> {
      Candidate best = null;
      int bestAt = Integer.MAX_VALUE;
      for (Candidate c : cs) {
        int at = order.indexOf(c.source());
        int place = at >= 0 ? at : order.size() + c.rank();
        if (place < bestAt) {
          best = c;
          bestAt = place;
        }
      }
      return Survived.of(best);
    });
  }

  /** The value of the record with the highest version. */
  static Survivorship mostRecent() {
    return new Rule("most recent", true, List.of(), (field, cs) -> Survived.of(best(cs, (a, b) -> Long.compare(a.version(), b.version()))));
  }

  /** The value of the record with the lowest version: what was there first. */
  static Survivorship oldest() {
    return new Rule("oldest", true, List.of(), (field, cs) -> Survived.of(best(cs, (a, b) -> Long.compare(b.version(), a.version()))));
  }

  /**
   * The value most candidates hold (equal as {@link Fields#sameValue} says). Where several are held
   * equally often: the one closest to the other candidates (by edit distance of their text: the
   * original that each corrupted copy differs from by a typo, rather than one of the copies); then
   * the one more common in the field across all inputs' records (a typo is rarer than the name it
   * mistypes); then the first in the tie-break order.
   */
  static Survivorship mostFrequent() {
    return new Rule("most frequent", true, true, List.of(), (field, cs) -> {
      int n = cs.size();
      int[] held = new int[n];
      for (int i = 0; i < n; i++) {
        for (Candidate other : cs) {
          if (Fields.sameValue(cs.get(i).value(), other.value())) {
            held[i]++;
          }
        }
      }
      double[] closeness = null;
      int best = 0;
      for (int i = 1; i < n; i++) {
        if (held[i] < held[best]) {
          continue;
        }
        if (held[i] == held[best]) {
          if (closeness == null) {
            closeness = closeness(cs);
          }
          int c = Double.compare(closeness[i], closeness[best]);
          if (c < 0 || c == 0 && cs.get(i).common() <= cs.get(best).common()) {
            continue;
          }
        }
        best = i;
      }
      return Survived.of(cs.get(best));
    });
  }

  /** For each candidate, how close its text is to the others': the sum of its similarities (1 - edit distance / length). */
  private static double[] closeness(List<Candidate> cs) {
    org.apache.commons.text.similarity.LevenshteinDistance distance = org.apache.commons.text.similarity.LevenshteinDistance
        .getDefaultInstance();
    double[] sum = new double[cs.size()];
    for (int i = 0; i < cs.size(); i++) {
      String a = String.valueOf(cs.get(i).value());
      for (int j = i + 1; j < cs.size(); j++) {
        String b = String.valueOf(cs.get(j).value());
        int longest = Math.max(a.length(), b.length());
        double similarity = longest == 0 ? 1 : 1 - (double) distance.apply(a, b) / longest;
        sum[i] += similarity;
        sum[j] += similarity;
      }
    }
    return sum;
  }

  /**
   * The fullest value: of texts, the longest once trimmed; of a group, the record with the most
   * non-blank fields of it, then the most characters; of other values, the first.
   */
  static Survivorship mostComplete() {
    return new Rule("most complete", true, List.of(), (field, cs) -> Survived.of(best(cs,
        (a, b) -> Long.compare(completeness(a.value()), completeness(b.value())))));
  }

  /** The first value that is not blank text (nor a group of blank texts), in the tie-break order; the first where all are. */
  static Survivorship firstNonEmpty() {
    return new Rule("first non-empty", true, List.of(), (field, cs) -> {
      for (Candidate c : cs) {
        if (completeness(c.value()) > 0) {
          return Survived.of(c);
        }
      }
      return Survived.of(cs.get(0));
    });
  }

  /** The smallest value: numbers by value whatever their type, texts and dates by their own order. */
  static Survivorship min() {
    return new Rule("min", false, List.of(), (field, cs) -> Survived.of(best(cs, (a, b) -> compare(field, b.value(), a.value()))));
  }

  /** The largest value, as {@link #min()} compares. */
  static Survivorship max() {
    return new Rule("max", false, List.of(), (field, cs) -> Survived.of(best(cs, (a, b) -> compare(field, a.value(), b.value()))));
  }

  /** Every distinct value, as a list in the tie-break order (a destination must take a list). */
  static Survivorship allValues() {
    return new Rule("all values", false, List.of(), (field, cs) -> {
      List<Object> values = new ArrayList<>();
      List<Candidate> from = new ArrayList<>();
      for (Candidate c : cs) {
        if (values.stream().noneMatch(v -> Fields.sameValue(v, c.value()))) {
          values.add(c.value());
          from.add(c);
        }
      }
      return new Survived(List.copyOf(values), from);
    });
  }

  /**
   * A rule of the host's: {@code choose} gets the candidates in the tie-break order and returns one
   * of them.
   */
  static Survivorship custom(String description, Function<List<Candidate>, Candidate> choose) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(choose, "choose");
    return new Rule(description, true, List.of(), (field, cs) -> {
      Candidate chosen = choose.apply(cs);
      if (chosen == null || !cs.contains(chosen)) {
        throw new IllegalStateException("the survivorship rule '" + description + "' returned " + (chosen == null ? "null"
            : "a candidate it was not given") + "; it must return one of its candidates");
      }
      return Survived.of(chosen);
    });
  }

  /** The first of {@code cs} that no later one is better than, as {@code order} says. */
  private static Candidate best(List<Candidate> cs, java.util.Comparator<Candidate> order) {
    Candidate best = cs.get(0);
    for (Candidate c : cs) {
      if (order.compare(c, best) > 0) {
        best = c;
      }
    }
    return best;
  }

  /** How much of a value there is: a text's trimmed length, a group's non-blank fields (then its characters); 1 for other values. */
  private static long completeness(Object value) {
    if (value instanceof String s) {
      return s.strip().length();
    }
    if (value instanceof Fields f) {
      long filled = 0;
      long chars = 0;
      for (String name : f.names()) {
        long c = completeness(f.get(name));
        if (c > 0) {
          filled++;
          chars += c;
        }
      }
      return filled * 1_000_000L + Math.min(chars, 999_999L);
    }
    return 1;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static int compare(String field, Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString()));
    }
    if (a.getClass() == b.getClass() && a instanceof Comparable c) {
      return c.compareTo(b);
    }
    throw DataException.field(field, "its values cannot be compared (" + a.getClass().getSimpleName() + " and "
        + b.getClass().getSimpleName() + ")");
  }
}
