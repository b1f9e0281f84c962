package dev.patchbay.patterns.matching;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleBiFunction;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.apache.commons.text.similarity.LevenshteinDistance;

/**
 * Compares one field's two values and says which comparison level they fall in: level 0 is the
 * closest (equal), the last is "anything else". Values are compared in their {@link Normalized}
 * form; where either is missing the comparison is {@link #NEUTRAL}: it neither supports nor
 * opposes a match. Symmetric: {@code level(a, b) == level(b, a)}.
 */
public interface FieldComparator {

  /** The level of a comparison where either value is missing. */
  int NEUTRAL = -1;

  /** The level {@code a} and {@code b} fall in, from 0 to {@code levels().size() - 1}, or {@link #NEUTRAL}. */
  int level(Object a, Object b);

  /** What each level means, closest first: "equal", "Jaro-Winkler at least 0.92", ..., "else". */
  List<String> levels();

  /** Two levels: equal (after normalising), else. */
  static FieldComparator exact() {
    return Levels.ofText("exact", List.of(), (a, b) -> a.equals(b) ? 0 : 1);
  }

  /**
   * Equal, then one level per threshold of Jaro-Winkler similarity (at least each, from the
   * highest), then else: {@code jaroWinkler(0.92, 0.85)} has four levels. Suits names.
   *
   * @throws IllegalArgumentException unless the thresholds fall from 1 towards 0
   */
  static FieldComparator jaroWinkler(double... atLeast) {
    JaroWinklerSimilarity similarity = new JaroWinklerSimilarity();
    double[] t = descending("Jaro-Winkler", atLeast);
    List<String> names = new ArrayList<>();
    for (double v : t) {
      names.add("Jaro-Winkler at least " + v);
    }
    return Levels.ofText("Jaro-Winkler", names, (a, b) -> {
      if (a.equals(b)) {
        return 0;
      }
      double s = similarity.apply(a, b);
      for (int i = 0; i < t.length; i++) {
        if (s >= t[i]) {
          return i + 1;
        }
      }
      return t.length + 1;
    });
  }

  /**
   * Equal, then one level per largest number of edits (Levenshtein distance, from the smallest),
   * then else: {@code levenshtein(1, 2)} has four levels. Suits addresses and codes.
   *
   * @throws IllegalArgumentException unless the distances rise from above 0
   */
  static FieldComparator levenshtein(int... atMost) {
    rising("Levenshtein distances", Arrays.stream(atMost).asDoubleStream().toArray());
    int[] d = atMost.clone();
    LevenshteinDistance distance = new LevenshteinDistance(d.length == 0 ? 0 : d[d.length - 1]);
    List<String> names = new ArrayList<>();
    for (int v : d) {
      names.add("at most " + v + (v == 1 ? " edit" : " edits"));
    }
    return Levels.ofText("Levenshtein", names, (a, b) -> {
      if (a.equals(b)) {
        return 0;
      }
      int edits = distance.apply(a, b);   // -1 beyond the largest distance
      for (int i = 0; edits >= 0 && i < d.length; i++) {
        if (edits <= d[i]) {
          return i + 1;
        }
      }
      return d.length + 1;
    });
  }

  /**
   * Dates: equal, then one level per largest number of days apart, then else. A value is a
   * {@link LocalDate} or text as {@code 2026-12-01} or {@code 20261201}; other text is compared
   * as text (equal or else), so that a malformed date does not make a near miss.
   */
  static FieldComparator daysApart(int... atMost) {
    return numeric("days apart", Arrays.stream(atMost).asDoubleStream().toArray(), (a, b) -> {
      LocalDate x = date(a);
      LocalDate y = date(b);
      return x == null || y == null ? Double.NaN : Math.abs(ChronoUnit.DAYS.between(x, y));
    });
  }

  /** Numbers: equal, then one level per largest difference, then else; text that is no number compares as text. */
  static FieldComparator numbersWithin(double... atMost) {
    return numeric("numbers within", atMost, (a, b) -> {
      try {
        return new BigDecimal(a.toString().trim()).subtract(new BigDecimal(b.toString().trim())).abs().doubleValue();
      } catch (NumberFormatException e) {
        return Double.NaN;
      }
    });
  }

  /** Equal, one level per amount apart at most {@code atMost[i]}, else; values that are no amount compare as text. */
  private static FieldComparator numeric(String what, double[] atMost, ToDoubleBiFunction<Object, Object> apart) {
    double[] d = rising(what + " differences", atMost);
    List<String> names = new ArrayList<>();
    for (double v : d) {
      names.add(what + " at most " + (v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v)));
    }
    return Levels.of(what, names, (a, x, b, y) -> {
      double gap = apart.applyAsDouble(a, b);
      if (Double.isNaN(gap)) {
        return x.equals(y) ? 0 : d.length + 1;
      }
      if (gap == 0) {
        return 0;
      }
      for (int i = 0; i < d.length; i++) {
        if (gap <= d[i]) {
          return i + 1;
        }
      }
      return d.length + 1;
    });
  }

  /** A copy of {@code values}, which must rise from above 0. */
  private static double[] rising(String what, double[] values) {
    for (int i = 0; i < values.length; i++) {
      if (!(values[i] > 0) || i > 0 && values[i] <= values[i - 1]) {
        throw new IllegalArgumentException(what + " must rise from above 0, were " + Arrays.toString(values));
      }
    }
    return values.clone();
  }

  private static LocalDate date(Object value) {
    if (value instanceof LocalDate d) {
      return d;
    }
    String text = value.toString().trim();
    try {
      return text.length() == 8 ? LocalDate.parse(text, DateTimeFormatter.BASIC_ISO_DATE) : LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static double[] descending(String what, double[] thresholds) {
    for (int i = 0; i < thresholds.length; i++) {
      if (!(thresholds[i] > 0 && thresholds[i] < 1) || i > 0 && thresholds[i] >= thresholds[i - 1]) {
        throw new IllegalArgumentException(what + " thresholds must fall from below 1 to above 0, were "
            + Arrays.toString(thresholds));
      }
    }
    return thresholds.clone();
  }
}
