package dev.patchbay.core;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An immutable, ordered set of named values: the payload of records whose shape is not a Java
 * type of the host's. Values are non-null (an absent field is simply not there); equality is by
 * names and values, ignoring order.
 */
public final class Fields {

  private static final Fields EMPTY = new Fields(Shape.ROOT, new Object[0]);

  private final Shape shape;
  private final Object[] values;
  private Map<String, Object> view;

  private Fields(Shape shape, Object[] values) {
    this.shape = shape;
    this.values = values;
  }

  /**
   * The field names of a {@code Fields}, in order, shared by every instance with the same names in the
   * same order (records read from one table or file): reading a field is an index lookup, and
   * setting one copies only the values.
   */
  private static final class Shape {
    static final Shape ROOT = new Shape(new String[0]);
    private static final int MAX_TRANSITIONS = 64;

    final String[] names;
    final Map<String, Integer> index;
    private final Map<String, Shape> next = new ConcurrentHashMap<>();
    private volatile Set<String> nameSet;

    private Shape(String[] names) {
      this.names = names;
      Map<String, Integer> idx = new HashMap<>();
      for (int i = 0; i < names.length; i++) {
        idx.put(names[i], i);
      }
      this.index = idx;
    }

    /** This shape with {@code name} added at the end; shared, up to a bound on how many shapes one shape leads to. */
    Shape plus(String name) {
      Shape known = next.get(name);
      if (known != null) {
        return known;
      }
      String[] more = Arrays.copyOf(names, names.length + 1);
      more[names.length] = name;
      Shape created = new Shape(more);
      if (next.size() < MAX_TRANSITIONS) {
        Shape raced = next.putIfAbsent(name, created);
        return raced != null ? raced : created;
      }
      return created;
    }

    Set<String> nameSet() {
      Set<String> set = nameSet;
      if (set == null) {
        set = Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
        nameSet = set;
      }
      return set;
    }
  }

  /** No fields. */
  public static Fields empty() {
    return EMPTY;
  }

  /**
   * Fields from alternating names and values: {@code Fields.of("id", 7, "name", "Ada")}.
   *
   * @throws IllegalArgumentException if the count is odd, a name is not a String, or a name repeats
   * @throws NullPointerException     if a name is null
   * @throws DataException            naming the field, if a value is null (a record's field that is
   *     absent: {@link #ofNullable} leaves such a field out)
   */
  public static Fields of(Object... namesAndValues) {
    return pairs(namesAndValues, false);
  }

  /**
   * As {@link #of}, but a null value leaves its field out: an absent field maps to an absent
   * field. The idiom for mappings: {@code Fields.ofNullable("town", crm.get("city"))}.
   */
  public static Fields ofNullable(Object... namesAndValues) {
    return pairs(namesAndValues, true);
  }

  private static Fields pairs(Object[] namesAndValues, boolean skipNulls) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("Fields.of needs names and values in pairs, got "
          + namesAndValues.length + " arguments");
    }
    Shape shape = Shape.ROOT;
    Object[] values = new Object[namesAndValues.length / 2];
    int n = 0;
    for (int i = 0; i < namesAndValues.length; i += 2) {
      if (!(namesAndValues[i] instanceof String name)) {
        throw new IllegalArgumentException("field name at position " + i + " is not a String");
      }
      if (shape.index.containsKey(name)) {
        throw new IllegalArgumentException("field '" + name + "' is given twice");
      }
      Object value = namesAndValues[i + 1];
      if (value == null) {
        if (skipNulls) {
          continue;
        }
        throw DataException.field(name, "is null; Fields hold no nulls (Fields.ofNullable leaves a null value out)");
      }
      values[n++] = value;
      shape = shape.plus(name);
    }
    return new Fields(shape, n == values.length ? values : Arrays.copyOf(values, n));
  }

  /** Fields holding a copy of {@code map}, in its iteration order. */
  public static Fields from(Map<String, ?> map) {
    Shape shape = Shape.ROOT;
    Object[] values = new Object[map.size()];
    int i = 0;
    for (Map.Entry<String, ?> e : map.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "field name");
      values[i++] = Objects.requireNonNull(e.getValue(), () -> "value of field '" + name + "'");
      shape = shape.plus(name);
    }
    return new Fields(shape, values);
  }

  /** The value of {@code name}, or {@code null} where absent. */
  public Object get(String name) {
    Integer i = shape.index.get(name);
    return i == null ? null : values[i];
  }

  /** Whether {@code name} is present. */
  public boolean has(String name) {
    return shape.index.containsKey(name);
  }

  /**
   * The value of {@code name}.
   *
   * @throws DataException naming the field, where it is absent
   */
  public Object require(String name) {
    Object value = get(name);
    if (value == null) {
      throw DataException.missingField(name);
    }
    return value;
  }

  /**
   * The text of {@code name}, which must be a {@code String}: a number or a date is not taken for
   * text silently ({@link #text} converts, where that is meant).
   *
   * @throws DataException naming the field, where it is absent, blank or not text (naming its type)
   */
  public String requireText(String name) {
    Object value = require(name);
    if (!(value instanceof String text)) {
      throw DataException.field(name, "is a " + value.getClass().getSimpleName() + ", not text (Fields.text converts any value)");
    }
    if (text.isBlank()) {
      throw DataException.field(name, "required field is blank");
    }
    return text;
  }

  /**
   * The value of {@code name} converted to text: a String as it is, any other value by its
   * {@code toString()} (a {@code BigDecimal} {@code 1.50} as {@code "1.50"}, a date in ISO form).
   *
   * @throws DataException naming the field, where it is absent
   */
  public String text(String name) {
    return require(name).toString();
  }

  /** A copy with {@code name} set to {@code value} (added at the end, or replaced in place). */
  public Fields with(String name, Object value) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, () -> "value of field '" + name + "'");
    Integer i = shape.index.get(name);
    if (i != null) {
      Object[] copy = values.clone();
      copy[i] = value;
      return new Fields(shape, copy);
    }
    Object[] copy = Arrays.copyOf(values, values.length + 1);
    copy[values.length] = value;
    return new Fields(shape.plus(name), copy);
  }

  /** A copy without {@code name}. */
  public Fields without(String name) {
    if (!has(name)) {
      return this;
    }
    LinkedHashMap<String, Object> copy = new LinkedHashMap<>(asMap());
    copy.remove(name);
    return from(copy);
  }

  /** The names, in order. */
  public Set<String> names() {
    return shape.nameSet();
  }

  /** An unmodifiable view, in order. */
  public Map<String, Object> asMap() {
    Map<String, Object> v = view;
    if (v == null) {
      LinkedHashMap<String, Object> map = new LinkedHashMap<>();
      for (int i = 0; i < values.length; i++) {
        map.put(shape.names[i], values[i]);
      }
      v = Collections.unmodifiableMap(map);
      view = v;
    }
    return v;
  }

  /**
   * The names whose values differ between this and {@code other} (present in one only, or not the
   * {@link #sameValue same value}), sorted.
   */
  public Set<String> differingFrom(Fields other) {
    Set<String> differing = new TreeSet<>();
    for (int i = 0; i < values.length; i++) {
      if (!sameValue(values[i], other.get(shape.names[i]))) {
        differing.add(shape.names[i]);
      }
    }
    for (String name : other.shape.names) {
      if (!has(name)) {
        differing.add(name);
      }
    }
    return Collections.unmodifiableSet(differing);
  }

  /**
   * Whether two field values are the same value: numbers by numeric value whatever their class
   * ({@code 5}, {@code 5L} and {@code 5.00} are the same); times by the instant they name, where
   * one of them names an instant ({@code Instant}, {@code OffsetDateTime}), a zone-less
   * {@code LocalDateTime} taken as UTC (as connectors write an instant into a zone-less column);
   * everything else by {@code equals}. Systems hand back values in their own representation; this
   * is the comparison reconciliation uses.
   */
  public static boolean sameValue(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y) {
      try {
        return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
      } catch (NumberFormatException e) {
        return x.equals(y);
      }
    }
    java.time.Instant x = instant(a);
    java.time.Instant y = instant(b);
    if (x != null && y != null && (!(a instanceof java.time.LocalDateTime) || !(b instanceof java.time.LocalDateTime))) {
      return x.equals(y);
    }
    return java.util.Objects.equals(a, b);
  }

  private static java.time.Instant instant(Object v) {
    if (v instanceof java.time.Instant t) {
      return t;
    }
    if (v instanceof java.time.OffsetDateTime t) {
      return t.toInstant();
    }
    if (v instanceof java.time.ZonedDateTime t) {
      return t.toInstant();
    }
    return v instanceof java.time.LocalDateTime t ? t.toInstant(java.time.ZoneOffset.UTC) : null;
  }

  public int size() {
    return values.length;
  }

  /** Equal where both have the same names with equal values, in any order. */
  @Override
  public boolean equals(Object o) {
    if (this == o) {
      return true;
    }
    if (!(o instanceof Fields f) || f.values.length != values.length) {
      return false;
    }
    if (f.shape == shape) {
      return Arrays.equals(values, f.values);
    }
    for (int i = 0; i < values.length; i++) {
      if (!values[i].equals(f.get(shape.names[i]))) {
        return false;
      }
    }
    return true;
  }

  /** As {@link Map#hashCode()} of {@link #asMap()}. */
  @Override
  public int hashCode() {
    int h = 0;
    for (int i = 0; i < values.length; i++) {
      h += shape.names[i].hashCode() ^ values[i].hashCode();
    }
    return h;
  }

  /** Prints the field names only: values stay out of logs and exception messages. */
  @Override
  public String toString() {
    return "Fields" + Arrays.toString(shape.names);
  }
}
