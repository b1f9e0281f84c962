package dev.patchbay.kafka.connect;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorRegistry;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.connectors.Setting;
import dev.patchbay.connectors.Settings;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;

/**
 * The settings both connectors take, as Connect's {@link ConfigDef}: {@code patchbay.type} names a
 * connector type, whose own settings follow under {@code patchbay.<type>.} (a {@code SECRET} as
 * {@code PASSWORD}); then the scope and transform (built in, or a {@link PatternFactory}); then the
 * connector's own. Every type the service loader finds on the plugin's class loader is listed, so
 * that Connect's REST API shows and checks them all.
 */
final class ConnectConfig {

  static final String TYPE = "patchbay.type";
  static final String FACTORY = "patchbay.factory.class";
  static final String FACTORY_PREFIX = "patchbay.factory.";
  static final String FILTER = "patchbay.scope.filter";
  static final String RENAME = "patchbay.transform.rename";
  static final String DROP = "patchbay.transform.drop";
  private static final String GROUP = "Patchbay";

  private final ConnectorRegistry registry;

  ConnectConfig() {
    this.registry = ConnectorRegistry.builder().discover(ConnectConfig.class.getClassLoader()).build();
  }

  /** The common settings, every type's settings, then {@code own}'s. */
  ConfigDef definition(ConfigDef own) {
    ConfigDef def = new ConfigDef();
    List<String> names = registry.types().stream().map(ConnectorType::name).toList();
    def.define(TYPE, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, ConfigDef.ValidString.in(names.toArray(String[]::new)),
        ConfigDef.Importance.HIGH, "The connector type of the system: " + String.join(", ", names)
            + "; its settings follow under patchbay.<type>.", GROUP, 0, ConfigDef.Width.SHORT, "Connector type");
    def.define(FILTER, ConfigDef.Type.STRING, "", new FilterCheck(), ConfigDef.Importance.MEDIUM,
        "Only records whose field has one of the values: field=value|value (built-in scope).");
    def.define(RENAME, ConfigDef.Type.LIST, "", new PairsCheck(), ConfigDef.Importance.MEDIUM,
        "Fields renamed: from:to, comma-separated (built-in transform).");
    def.define(DROP, ConfigDef.Type.LIST, "", ConfigDef.Importance.MEDIUM, "Fields left out, comma-separated (built-in transform).");
    def.define(FACTORY, ConfigDef.Type.STRING, "", new FactoryCheck(), ConfigDef.Importance.MEDIUM,
        "A PatternFactory's class, for a scope and transform of your own; its settings under patchbay.factory.");
    for (ConnectorType t : registry.types()) {
      int order = 0;
      for (Setting s : t.settings()) {
        def.define(key(t, s), type(s.kind()), s.defaultValue(), new SettingCheck(s),
            s.required() ? ConfigDef.Importance.HIGH : ConfigDef.Importance.MEDIUM,
            s.help() + (s.required() ? " (required where patchbay.type=" + t.name() + ")" : ""),
            t.name(), ++order, ConfigDef.Width.MEDIUM, s.name());
      }
    }
    own.configKeys().values().forEach(def::define);
    return def;
  }

  private static String key(ConnectorType t, Setting s) {
    return "patchbay." + t.name() + "." + s.name();
  }

  private static ConfigDef.Type type(Setting.Kind kind) {
    return switch (kind) {
      case TEXT -> ConfigDef.Type.STRING;
      case SECRET -> ConfigDef.Type.PASSWORD;
      case WHOLE_NUMBER -> ConfigDef.Type.LONG;
      case BOOLEAN -> ConfigDef.Type.BOOLEAN;
    };
  }

  /**
   * Connect's validation of {@code props} against {@code def}, then what only the whole
   * configuration tells: a required setting of the chosen type that is absent, a setting under
   * {@code patchbay.} that no type or connector has.
   */
  Config validate(ConfigDef def, Map<String, String> props) {
    List<ConfigValue> values = def.validate(props);
    Map<String, ConfigValue> byName = new LinkedHashMap<>();
    values.forEach(v -> byName.put(v.name(), v));
    String typeName = props.get(TYPE);
    ConnectorType type = registry.types().stream().filter(t -> t.name().equals(typeName)).findFirst().orElse(null);
    if (type != null) {
      for (Setting s : type.settings()) {
        String text = props.get(key(type, s));
        if (s.required() && (text == null || text.isBlank())) {
          byName.get(key(type, s)).addErrorMessage(key(type, s) + " is required where " + TYPE + "=" + type.name()
              + " (" + s.help() + ")");
        }
      }
    }
    for (String name : props.keySet()) {
      if (name.startsWith("patchbay.") && !name.startsWith(FACTORY_PREFIX) && !def.configKeys().containsKey(name)) {
        ConfigValue unknown = new ConfigValue(name);
        unknown.addErrorMessage(name + " is not a setting of Patchbay's connectors" + (type == null ? ""
            : " (the settings of " + type.name() + ": " + String.join(", ", type.settings().stream().map(s -> key(type, s)).toList()) + ")"));
        values.add(unknown);
      }
    }
    return new Config(values);
  }

  /** The connector {@code props} name, opened; a task's first step. */
  Connector open(Map<String, String> props) {
    String typeName = props.get(TYPE);
    ConnectorType type = registry.type(typeName);
    String prefix = "patchbay." + type.name() + ".";
    Map<String, String> raw = new TreeMap<>();
    props.forEach((k, v) -> {
      if (k.startsWith(prefix)) {
        raw.put(k.substring(prefix.length()), v);
      }
    });
    return type.open(Settings.check(type.name(), type.settings(), raw));
  }

  /** The scope {@code props} give: the factory's, and the built-in filter. */
  static ScopeCriteria<Fields> scope(Map<String, String> props) {
    ScopeCriteria<Fields> scope = factory(props).map(f -> f.scope(factorySettings(props))).orElse(ScopeCriteria.all());
    String filter = props.getOrDefault(FILTER, "");
    if (!filter.isBlank()) {
      int eq = filter.indexOf('=');
      String field = filter.substring(0, eq).trim();
      Set<String> accepted = new LinkedHashSet<>(Arrays.stream(filter.substring(eq + 1).split("\\|")).map(String::trim).toList());
      scope = scope.and(ScopeCriteria.where(field + " in " + accepted, r -> {
        Object v = r.payload().get(field);
        return v != null && accepted.contains(v instanceof java.math.BigDecimal d ? d.toPlainString() : v.toString());
      }));
    }
    return scope;
  }

  /** The transform {@code props} give: the factory's, then the renames, then the fields dropped. */
  static Transform<Fields, Fields> transform(Map<String, String> props) {
    Transform<Fields, Fields> t = factory(props).map(f -> f.transform(factorySettings(props))).orElse(Transform.identity());
    Map<String, String> renames = new LinkedHashMap<>();
    for (String pair : list(props.get(RENAME))) {
      String[] p = pair.split(":", 2);
      renames.put(p[0].trim(), p[1].trim());
    }
    List<String> dropped = list(props.get(DROP));
    if (renames.isEmpty() && dropped.isEmpty()) {
      return t;
    }
    return t.andThen(r -> {
      Fields out = r.payload();
      for (Map.Entry<String, String> e : renames.entrySet()) {
        Object v = out.get(e.getKey());
        out = v == null ? out : out.without(e.getKey()).with(e.getValue(), v);
      }
      for (String d : dropped) {
        out = out.without(d);
      }
      return new Envelope<>(r.key(), r.version(), out);
    });
  }

  private static List<String> list(String text) {
    return text == null || text.isBlank() ? List.of()
        : Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  private static Map<String, String> factorySettings(Map<String, String> props) {
    Map<String, String> out = new TreeMap<>();
    props.forEach((k, v) -> {
      if (k.startsWith(FACTORY_PREFIX) && !k.equals(FACTORY)) {
        out.put(k.substring(FACTORY_PREFIX.length()), v);
      }
    });
    return out;
  }

  private static java.util.Optional<PatternFactory> factory(Map<String, String> props) {
    String name = props.getOrDefault(FACTORY, "");
    if (name.isBlank()) {
      return java.util.Optional.empty();
    }
    try {
      Class<?> c = Class.forName(name.trim(), true, ConnectConfig.class.getClassLoader());
      return java.util.Optional.of((PatternFactory) c.getConstructor().newInstance());
    } catch (ReflectiveOperationException | ClassCastException | LinkageError e) {
      throw new SetupException(FACTORY + ": " + name + " is not a PatternFactory with a public no-argument constructor ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** A Patchbay setting's checks, as Connect's. */
  private record SettingCheck(Setting setting) implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) {
        return;
      }
      String text = value instanceof org.apache.kafka.common.config.types.Password p ? p.value() : value.toString();
      String problem = setting.problem(text);
      if (problem != null) {
        throw new ConfigException(name + " " + problem);
      }
    }

    @Override
    public String toString() {
      return setting.allowed().isEmpty() ? (setting.atLeast() == null ? "" : "[" + setting.atLeast() + ",...]")
          : String.join(", ", setting.allowed());
    }
  }

  private static final class FilterCheck implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String text = (String) value;
      if (text != null && !text.isBlank() && (text.indexOf('=') <= 0)) {
        throw new ConfigException(name + " must be field=value|value, was '" + text + "'");
      }
    }
  }

  private static final class PairsCheck implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      for (Object o : (List<?>) value) {
        String[] p = o.toString().split(":", 2);
        if (p.length != 2 || p[0].isBlank() || p[1].isBlank()) {
          throw new ConfigException(name + " must be from:to pairs, comma-separated; '" + o + "' is not one");
        }
      }
    }
  }

  private static final class FactoryCheck implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      String text = (String) value;
      if (text != null && !text.isBlank()) {
        try {
          factory(Map.of(FACTORY, text));
        } catch (SetupException e) {
          throw new ConfigException(e.getMessage());
        }
      }
    }
  }
}
