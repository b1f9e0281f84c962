package dev.patchbay.connectors;

import dev.patchbay.core.SetupException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;

/**
 * The connectors and connector types a host has registered, in code, in order. Immutable; build
 * one with {@link #builder()}. A lookup that finds nothing names what was asked and lists what is
 * registered.
 */
public final class ConnectorRegistry {

  private final Map<String, ConnectorType> types;
  private final Map<String, Connector> connectors;
  private final java.util.List<String> unloadable;

  private ConnectorRegistry(Builder b) {
    this.types = Collections.unmodifiableMap(new LinkedHashMap<>(b.types));
    this.connectors = Collections.unmodifiableMap(new LinkedHashMap<>(b.connectors));
    this.unloadable = java.util.List.copyOf(b.unloadable);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The connector registered for {@code system}'s {@code dataElement}.
   *
   * @throws SetupException naming what was asked and listing what is registered
   */
  public Connector connector(String system, String dataElement) {
    Connector c = connectors.get(system + "/" + dataElement);
    if (c == null) {
      throw new SetupException("No connector for system '" + system + "', data element '" + dataElement
          + "'; registered: " + listed(connectors.keySet()));
    }
    return c;
  }

  /**
   * The connector type named {@code name}.
   *
   * @throws SetupException naming what was asked and listing the registered types
   */
  public ConnectorType type(String name) {
    ConnectorType t = types.get(name);
    if (t == null) {
      throw new SetupException("No connector type '" + name + "'; registered types: " + listed(types.keySet())
          + (unloadable.isEmpty() ? "" : "; found but not loadable: " + String.join("; ", unloadable)));
    }
    return t;
  }

  /** The registered connector types, in the order they were registered. */
  public java.util.Collection<ConnectorType> types() {
    return types.values();
  }

  /**
   * A new connector of type {@code type} made from {@code settings}, checked first.
   *
   * @throws SetupException for an unknown type, or listing every invalid setting at once
   */
  public Connector open(String type, Map<String, String> settings) {
    ConnectorType t = type(type);
    return t.open(Settings.check(type, t.settings(), settings));
  }

  private static String listed(java.util.Set<String> names) {
    return names.isEmpty() ? "none" : String.join(", ", names);
  }

  /** Registers connectors and types explicitly; {@link #discover} adds the types {@link ServiceLoader} finds. */
  public static final class Builder {
    private final Map<String, ConnectorType> types = new LinkedHashMap<>();
    private final Map<String, Connector> connectors = new LinkedHashMap<>();
    private final java.util.List<String> unloadable = new java.util.ArrayList<>();

    private Builder() {
    }

    /** Registers {@code connector} under its description's system and data element. */
    public Builder connector(Connector connector) {
      Objects.requireNonNull(connector, "connector");
      String id = connector.description().id();
      if (connectors.putIfAbsent(id, connector) != null) {
        throw new SetupException("A connector for " + id + " is already registered");
      }
      return this;
    }

    public Builder type(ConnectorType type) {
      Objects.requireNonNull(type, "type");
      if (types.putIfAbsent(type.name(), type) != null) {
        throw new SetupException("A connector type named '" + type.name() + "' is already registered");
      }
      return this;
    }

    /**
     * Registers every {@link ConnectorType} that {@link ServiceLoader} finds through {@code loader}.
     * A provider that cannot be loaded (a class missing from its jar, a constructor that throws) is
     * passed over, so that one broken jar does not hide the other types; a lookup of a type that is
     * not registered then names it.
     */
    public Builder discover(ClassLoader loader) {
      java.util.Iterator<ConnectorType> found = ServiceLoader.load(ConnectorType.class, loader).iterator();
      while (true) {
        try {
          if (!found.hasNext()) {
            return this;
          }
          type(found.next());
        } catch (java.util.ServiceConfigurationError e) {
          unloadable.add(e.getMessage());
        }
      }
    }

    public ConnectorRegistry build() {
      return new ConnectorRegistry(this);
    }
  }
}
