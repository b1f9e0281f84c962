package dev.patchbay.connectors;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * One setting a {@link ConnectorType} accepts as text: its kind, whether it is required, a line of
 * help, the value it takes when absent, and the values it accepts. Immutable; the {@code with}
 * methods return copies.
 *
 * <pre>{@code
 * Setting.optional("pageSize", Kind.WHOLE_NUMBER, "rows per read query").withDefault("1000").atLeast(1)
 * Setting.optional("mode", Kind.TEXT, "how records are read").withDefault("changes").oneOf("changes", "all")
 * }</pre>
 *
 * @param defaultValue the text taken where the setting is absent; {@code null} for none
 * @param allowed      the only texts accepted (compared ignoring case); empty for any
 * @param atLeast      the smallest whole number accepted; {@code null} for any
 */
public record Setting(String name, Kind kind, boolean required, String help, String defaultValue, List<String> allowed,
                      Long atLeast) {

  /** How the text of a setting is read. */
  public enum Kind {
    /** Any text. */
    TEXT,
    /** Any text, kept as a {@link Secret}. */
    SECRET,
    /** A whole number. */
    WHOLE_NUMBER,
    /** {@code true} or {@code false}. */
    BOOLEAN
  }

  public Setting {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(help, "help");
    allowed = List.copyOf(allowed);
    if (atLeast != null && kind != Kind.WHOLE_NUMBER) {
      throw new IllegalArgumentException("Setting '" + name + "': a lower bound is for whole numbers, not " + kind);
    }
    if (defaultValue != null && required) {
      throw new IllegalArgumentException("Setting '" + name + "': a required setting has no default");
    }
    if (defaultValue != null && kind == Kind.SECRET) {
      throw new IllegalArgumentException("Setting '" + name + "': a secret has no default");
    }
  }

  public static Setting required(String name, Kind kind, String help) {
    return new Setting(name, kind, true, help, null, List.of(), null);
  }

  public static Setting optional(String name, Kind kind, String help) {
    return new Setting(name, kind, false, help, null, List.of(), null);
  }

  /** This setting, taking {@code value} where it is absent; the default must pass the setting's own checks. */
  public Setting withDefault(String value) {
    Setting s = new Setting(name, kind, required, help, Objects.requireNonNull(value, "value"), allowed, atLeast);
    String problem = s.problem(value);
    if (problem != null) {
      throw new IllegalArgumentException("Setting '" + name + "': its default " + problem);
    }
    return s;
  }

  /** This setting, accepting only {@code values} (ignoring case). */
  public Setting oneOf(String... values) {
    return new Setting(name, kind, required, help, defaultValue, List.of(values), atLeast);
  }

  /** This whole-number setting, accepting nothing below {@code min}. */
  public Setting atLeast(long min) {
    return new Setting(name, kind, required, help, defaultValue, allowed, min);
  }

  /**
   * What is wrong with {@code text} as this setting's value ("must be a whole number, was 'x'"), or
   * {@code null} where it is fine. Never quotes a secret.
   */
  public String problem(String text) {
    String t = text.trim();
    switch (kind) {
      case WHOLE_NUMBER -> {
        long n;
        try {
          n = Long.parseLong(t);
        } catch (NumberFormatException e) {
          return "must be a whole number, was '" + text + "'";
        }
        if (atLeast != null && n < atLeast) {
          return "must be at least " + atLeast + ", was " + n;
        }
      }
      case BOOLEAN -> {
        String b = t.toLowerCase(Locale.ROOT);
        if (!b.equals("true") && !b.equals("false")) {
          return "must be true or false, was '" + text + "'";
        }
      }
      default -> {
      }
    }
    if (!allowed.isEmpty() && allowed.stream().noneMatch(a -> a.equalsIgnoreCase(t))) {
      return "must be one of " + String.join(", ", allowed) + (kind == Kind.SECRET ? "" : ", was '" + text + "'");
    }
    return null;
  }
}
