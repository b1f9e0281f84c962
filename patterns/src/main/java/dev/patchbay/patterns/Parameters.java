package dev.patchbay.patterns;

import dev.patchbay.core.SetupException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The values of one run of a pattern composed once and run for many requests: a migration run as
 * a service, on command, each request naming its region or its date. Scope and transform read them
 * ({@link dev.patchbay.patterns.migration.Migration.Builder#scopeFor}, run by
 * {@link dev.patchbay.patterns.migration.Migration#runWith}); each set of values is a run
 * of its own in the state store, so that two requests never share a checkpoint. Names and values
 * are text; immutable.
 *
 * @param values each parameter's value, by name, in name order
 */
public record Parameters(SortedMap<String, String> values) {

  private static final Parameters NONE = new Parameters(new TreeMap<>());

  public Parameters {
    TreeMap<String, String> copy = new TreeMap<>();
    values.forEach((k, v) -> copy.put(Objects.requireNonNull(k, "name"), Objects.requireNonNull(v, () -> "value of " + k)));
    values = Collections.unmodifiableSortedMap(copy);
  }

  /** No parameters: a run as {@code run()} makes it. */
  public static Parameters none() {
    return NONE;
  }

  /**
   * Parameters from name, value, name, value, ...
   *
   * @throws IllegalArgumentException where a name or value is missing, or a name is given twice
   */
  public static Parameters of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("parameters come as name, value pairs; " + namesAndValues.length + " given");
    }
    TreeMap<String, String> values = new TreeMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      String name = Objects.requireNonNull(namesAndValues[i], "name");
      if (values.put(name, Objects.requireNonNull(namesAndValues[i + 1], () -> "value of " + name)) != null) {
        throw new IllegalArgumentException("parameter '" + name + "' is given twice");
      }
    }
    return new Parameters(values);
  }

  /** Parameters of these values. */
  public static Parameters of(Map<String, String> values) {
    return new Parameters(new TreeMap<>(values));
  }

  /**
   * The value of {@code name}.
   *
   * @throws SetupException naming the parameter and those given, where it was not given
   */
  public String get(String name) {
    String value = values.get(name);
    if (value == null) {
      throw new SetupException("the run needs parameter '" + name + "'; it was given " + (values.isEmpty() ? "none"
          : String.join(", ", values.keySet())));
    }
    return value;
  }

  /** The value of {@code name}, where given. */
  public Optional<String> find(String name) {
    return Optional.ofNullable(values.get(name));
  }

  public boolean isEmpty() {
    return values.isEmpty();
  }

  /**
   * The name of this run's state: the pattern's name where there are no parameters, else the name
   * and a digest of the parameters ({@code legacy-cases#3f2a...}), the same for the same values
   * in any order, another for any other values.
   */
  public String stateName(String pattern) {
    if (values.isEmpty()) {
      return pattern;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(toString().getBytes(StandardCharsets.UTF_8));
      return pattern + "#" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** {@code name=value, name=value}, in name order; a value's '=' and ',' escaped with '\'. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    values.forEach((k, v) -> s.append(s.length() == 0 ? "" : ", ").append(escape(k)).append('=').append(escape(v)));
    return s.toString();
  }

  private static String escape(String s) {
    return s.replace("\\", "\\\\").replace("=", "\\=").replace(",", "\\,");
  }
}
