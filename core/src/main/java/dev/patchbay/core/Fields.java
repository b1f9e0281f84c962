package dev.patchbay.core;

import java.math.BigDecimal;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * An immutable, ordered set of named values: the payload of records whose shape is not a Java
 * type of the host's. Values are non-null (an absent field is simply not there); equality is by
 * names and values, ignoring order.
 */
public final class Fields {

  private static final Fields EMPTY = new Fields(new LinkedHashMap<>());

  private final Map<String, Object> values;

  private Fields(LinkedHashMap<String, Object> values) {
    this.values = Collections.unmodifiableMap(values);
  }

  /** No fields. */
  public static Fields empty() {
    return EMPTY;
  }

  /**
   * Fields from alternating names and values: {@code Fields.of("id", 7, "name", "Ada")}.
   *
   * @throws IllegalArgumentException if the count is odd, a name is not a String, or a name repeats
   * @throws NullPointerException     if a name or value is null
   */
  public static Fields of(Object... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Fields.of needs names and values in pairs, got "
          + namesAndValues.length + " arguments");
    }
    LinkedHashMap<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!(namesAndValues[i] instanceof String name)) {
        throw new IllegalArgumentException("field name at position " + i + " is not a String");
      }
      Object value = Objects.requireNonNull(namesAndValues[i + 1], () -> "value of field '" + name + "'");
      if (map.put(name, value) != null) {
        throw new IllegalArgumentException("field '" + name + "' is given twice");
      }
    }
    return new Fields(map);
  }

  /** Fields holding a copy of {@code map}, in its iteration order. */
  public static Fields from(Map<String, ?> map) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>();
    map.forEach((name, value) -> copy.put(Objects.requireNonNull(name, "field name"),
        Objects.requireNonNull(value, () -> "value of field '" + name + "'")));
    return new Fields(copy);
  }

  /** The value of {@code name}, or {@code null} where absent. */
  public Object get(String name) {
    return values.get(name);
  }

  /** Whether {@code name} is present. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /**
   * The value of {@code name}.
   *
   * @throws DataException naming the field, where it is absent
   */
  public Object require(String name) {
    Object value = values.get(name);
    if (value == null) {
      throw DataException.missingField(name);
    }
    return value;
  }

  /**
   * The value of {@code name} as text: a String as it is, any other value by {@code toString()}.
   *
   * @throws DataException naming the field, where it is absent or blank
   */
  public String requireText(String name) {
    String text = require(name).toString();
    if (text.isBlank()) {
      throw DataException.field(name, "required field is blank");
    }
    return text;
  }

  /** A copy with {@code name} set to {@code value} (added at the end, or replaced in place). */
  public Fields with(String name, Object value) {
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
    copy.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(value, () -> "value of field '" + name + "'"));
    return new Fields(copy);
  }

  /** A copy without {@code name}. */
  public Fields without(String name) {
    if (!values.containsKey(name)) {
      return this;
    }
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(values);
    copy.remove(name);
    return new Fields(copy);
  }

  /** The names, in order. */
  public Set<String> names() {
    return values.keySet();
  }

  /** An unmodifiable view, in order. */
  public Map<String, Object> asMap() {
    return values;
  }

  /**
   * The names whose values differ between this and {@code other} (present in one only, or not the
   * {@link #sameValue same value}), sorted.
   */
  public Set<String> differingFrom(Fields other) {
    Set<String> differing = new TreeSet<>();
    for (Map.Entry<String, Object> e : values.entrySet()) {
      if (!sameValue(e.getValue(), other.values.get(e.getKey()))) {
        differing.add(e.getKey());
      }
    }
    for (String name : other.values.keySet()) {
      if (!values.containsKey(name)) {
        differing.add(name);
      }
    }
    return Collections.unmodifiableSet(differing);
  }

  /**
   * Whether two field values are the same value: numbers by numeric value whatever their class
   * ({@code 5}, {@code 5L} and {@code 5.00} are the same), everything else by {@code equals}. Systems
   * hand back values in their own representation; this is the comparison reconciliation uses.
   */
  public static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      try {
        return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
      } catch (NumberFormatException e) {
        return x.equals(y);
      }
    }
    return java.util.Objects.equals(a, b);
  }

  public int size() {
    return values.size();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Fields f && values.equals(f.values);
  }

  @Override
  public int hashCode() {
    return values.hashCode();
  }

  /** Prints the field names only: values stay out of logs and exception messages. */
  @Override
  public String toString() {
    return "Fields" + values.keySet();
  }
}
