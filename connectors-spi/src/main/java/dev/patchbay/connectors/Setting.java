package dev.patchbay.connectors;

import java.util.Objects;

/**
 * One setting a {@link ConnectorType} accepts as text, with its kind, whether it is required, and
 * a line of help.
 */
public record Setting(String name, Kind kind, boolean required, String help) {

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
  }

  public static Setting required(String name, Kind kind, String help) {
    return new Setting(name, kind, true, help);
  }

  public static Setting optional(String name, Kind kind, String help) {
    return new Setting(name, kind, false, help);
  }
}
