package dev.patchbay.connectors;

import dev.patchbay.core.SetupException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.StringJoiner;

/**
 * Settings given as text, checked against the {@link Setting}s a {@link ConnectorType} declares,
 * each absent one at its default. Immutable; {@link #toString()} shows secrets as {@code [hidden]}.
 */
public final class Settings {

  private final String type;
  private final Map<String, Object> values;

  private Settings(String type, Map<String, Object> values) {
    this.type = type;
    this.values = Collections.unmodifiableMap(values);
  }

  /**
   * Checks {@code raw} against {@code declared}.
   *
   * @throws SetupException listing every problem at once: missing required settings, values of the
   *     wrong kind or outside the values accepted, names that are not settings of the type
   */
  public static Settings check(String type, List<Setting> declared, Map<String, String> raw) {
    Map<String, Setting> byName = new LinkedHashMap<>();
    declared.forEach(s -> byName.put(s.name(), s));
    List<String> problems = new ArrayList<>();
    Map<String, Object> values = new LinkedHashMap<>();
    for (Setting s : declared) {
      String text = raw.get(s.name());
      if (text == null || text.isBlank()) {
        if (s.required()) {
          problems.add(s.name() + " is required (" + s.help() + ")");
          continue;
        }
        text = s.defaultValue();
        if (text == null) {
          continue;
        }
      }
      String problem = s.problem(text);
      if (problem != null) {
        problems.add(s.name() + " " + problem);
        continue;
      }
      String t = text.trim();
      values.put(s.name(), switch (s.kind()) {
        case TEXT -> text;
        case SECRET -> Secret.of(text);
        case WHOLE_NUMBER -> Long.parseLong(t);
        case BOOLEAN -> Boolean.valueOf(t.toLowerCase(java.util.Locale.ROOT));
      });
    }
    for (String name : raw.keySet()) {
      if (!byName.containsKey(name)) {
        problems.add(name + " is not a setting of this type (its settings: " + String.join(", ", byName.keySet()) + ")");
      }
    }
    if (!problems.isEmpty()) {
      throw new SetupException("Connector type '" + type + "' has " + problems.size() + " invalid setting"
          + (problems.size() == 1 ? "" : "s") + ": " + String.join("; ", problems));
    }
    return new Settings(type, values);
  }

  public Optional<String> text(String name) {
    return Optional.ofNullable((String) values.get(name));
  }

  public Optional<Secret> secret(String name) {
    return Optional.ofNullable((Secret) values.get(name));
  }

  public Optional<Long> number(String name) {
    return Optional.ofNullable((Long) values.get(name));
  }

  public Optional<Boolean> flag(String name) {
    return Optional.ofNullable((Boolean) values.get(name));
  }

  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(", ", "Settings[" + type + ": ", "]");
    values.forEach((k, v) -> j.add(k + "=" + v));
    return j.toString();
  }
}
