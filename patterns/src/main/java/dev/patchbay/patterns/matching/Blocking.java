package dev.patchbay.patterns.matching;

import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which pairs a match rule scores at all: each record is filed under blocking keys, and only
 * records of the two sides that share a key are compared. One rule files a record under one key
 * (a normalised field, a prefix, a code); {@link #or} combines rules, so that a pair found by any
 * of them is a candidate (a typo in the surname is still found by the date of birth). A record
 * whose key is missing is not filed under that rule.
 */
public interface Blocking {

  /** The keys {@code record} is filed under, each prefixed by its rule so that two rules' keys never meet. */
  Set<String> keys(Fields record);

  /** What the blocking files records by: "surname, or date_of_birth". */
  String describe();

  /** The fields its keys are made of, where known (empty for a custom key). */
  Set<String> fields();

  /** The single rules it is made of: itself, or those {@link #or} combined, in order. */
  List<Blocking> rules();

  /** Files records by {@code key} (null: not filed); {@code description} names it in reports. */
  static Blocking on(String description, Function<Fields, String> key) {
    return on(description, Set.of(), key);
  }

  /**
   * Files records by {@code key} (null: not filed), made of {@code fields}: an {@link Estimation}
   * takes no field's {@code m} from the pairs of a rule that uses it.
   */
  static Blocking on(String description, Set<String> fields, Function<Fields, String> key) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(key, "key");
    return new KeyedBlocking(description, fields, null, record -> {
      String k = key.apply(record);
      return k == null ? Set.of() : Set.of(description + "\u0000" + k);
    });
  }

  /** Files records by the {@link Normalized normalised} value of {@code field}. */
  static Blocking field(String field) {
    return on(field, Set.of(field), r -> Normalized.text(r.get(field)));
  }

  /**
   * Files records by the {@link Normalized normalised} values of all of {@code fields} together (a
   * composite key); a record missing one is not filed.
   */
  static Blocking fields(String... fields) {
    List<String> names = List.of(fields);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("a composite blocking key needs at least one field");
    }
    return on(String.join(" + ", names), new LinkedHashSet<>(names), r -> {
      StringBuilder key = new StringBuilder();
      for (String f : names) {
        String v = Normalized.text(r.get(f));
        if (v == null) {
          return null;
        }
        key.append(v).append('\u0001');
      }
      return key.toString();
    });
  }

  /** Files records by the first {@code length} characters of {@code field}'s normalised value. */
  static Blocking prefix(String field, int length) {
    if (length < 1) {
      throw new IllegalArgumentException("a blocking prefix must be at least 1 character, was " + length);
    }
    return on(field + " (first " + length + ")", Set.of(field), r -> {
      String v = Normalized.text(r.get(field));
      return v == null ? null : v.substring(0, Math.min(length, v.length()));
    });
  }

  /** A pair is a candidate where it shares a key of this blocking or of {@code other}. */
  default Blocking or(Blocking other) {
    Objects.requireNonNull(other, "other");
    Blocking self = this;
    Set<String> fields = new LinkedHashSet<>(self.fields());
    fields.addAll(other.fields());
    List<Blocking> rules = new ArrayList<>(self.rules());
    rules.addAll(other.rules());
    return new KeyedBlocking(self.describe() + ", or " + other.describe(), fields, rules, record -> {
      Set<String> all = new LinkedHashSet<>(self.keys(record));
      all.addAll(other.keys(record));
      return all;
    });
  }
}
