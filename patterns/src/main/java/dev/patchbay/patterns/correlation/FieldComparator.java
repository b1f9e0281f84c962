package dev.patchbay.patterns.correlation;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
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
    return new TextLevels("exact", List.of("equal", "else"), (a, b) -> a.equals(b) ? 0 : 1);
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
    List<String> names = new ArrayList<>(List.of("equal"));
    for (double v : t) {
      names.add("Jaro-Winkler at least " + v);
    }
    names.add("else");
    return new TextLevels("Jaro-Winkler", names, (a, b) -> {
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
   * @throws IllegalArgumentException unless the distances rise from 1
   */
  static FieldComparator levenshtein(int... atMost) {
    for (int i = 0; i < atMost.length; i++) {
      if (atMost[i] < 1 || i > 0 && atMost[i] <= atMost[i - 1]) {
        throw new IllegalArgumentException("Levenshtein distances must rise from 1, were " + java.util.Arrays.toString(atMost));
      }
    }
    int[] d = atMost.clone();
    LevenshteinDistance distance = new LevenshteinDistance(d.length == 0 ? 0 : d[d.length - 1]);
    List<String> names = new ArrayList<>(List.of("equal"));
    for (int v : d) {
      names.add("at most " + v + (v == 1 ? " edit" : " edits"));
    }
    names.add("else");
    return new TextLevels("Levenshtein", names, (a, b) -> {
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
    return numeric("days apart", java.util.Arrays.stream(atMost).asDoubleStream().toArray(), (a, b) -> {
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

  private static FieldComparator numeric(String what, double[] atMost, ToDoubleBiFunction<Object, Object> apart) {
    for (int i = 0; i < atMost.length; i++) {
      if (!(atMost[i] > 0) || i > 0 && atMost[i] <= atMost[i - 1]) {
        throw new IllegalArgumentException(what + ": the differences must rise from above 0, were " + java.util.Arrays.toString(atMost));
      }
    }
    return new NumericLevels(what, atMost.clone(), apart);
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
            + java.util.Arrays.toString(thresholds));
      }
    }
    return thresholds.clone();
  }
}
