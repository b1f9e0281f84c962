package dev.patchbay.connectors;

import dev.patchbay.core.catalog.IntegrationMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a connector says about itself: the facts an integration catalog records, and the
 * capabilities the test kit checks. Never holds a secret.
 *
 * @param system                    the system's name ("crm", "permits-db")
 * @param dataElement               the kind of record it holds ("contacts", "service requests")
 * @param owner                     who is accountable for the system; {@code null} where unknown
 * @param method                    how the connector reaches the system
 * @param encryptedTransport        whether data travels encrypted
 * @param sensitiveFields           fields that hold personal or confidential data
 * @param capabilities              what the connector can do
 * @param modificationTimePrecision how fine the system's modification times are; {@code null} where it has none
 */
public record ConnectorDescription(String system, String dataElement, String owner, IntegrationMethod method,
                                   boolean encryptedTransport, Set<String> sensitiveFields,
                                   Set<Capability> capabilities, Duration modificationTimePrecision) {

  public ConnectorDescription {
    List<String> missing = new ArrayList<>();
    if (system == null || system.isBlank()) {
      missing.add("a system");
    }
    if (dataElement == null || dataElement.isBlank()) {
      missing.add("a data element");
    }
    if (method == null) {
      missing.add("an integration method");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("connector description needs " + String.join(", ", missing));
    }
    sensitiveFields = Collections.unmodifiableSet(new TreeSet<>(sensitiveFields));
    capabilities = Collections.unmodifiableSet(capabilities.isEmpty()
        ? EnumSet.noneOf(Capability.class) : EnumSet.copyOf(capabilities));
  }

  /** A description of {@code system}'s {@code dataElement}; the rest is set on the builder. */
  public static Builder builder(String system, String dataElement) {
    return new Builder(system, dataElement);
  }

  public boolean can(Capability capability) {
    return capabilities.contains(capability);
  }

  /** "system/dataElement", the name a registry knows the connector by. */
  public String id() {
    return system + "/" + dataElement;
  }

  /** Builds a {@link ConnectorDescription}; method is required, the rest has defaults (no owner, unencrypted, nothing sensitive, no capabilities). */
  public static final class Builder {
    private final String system;
    private final String dataElement;
    private String owner;
    private IntegrationMethod method;
    private boolean encrypted;
    private final Set<String> sensitive = new TreeSet<>();
    private final Set<Capability> capabilities = EnumSet.noneOf(Capability.class);
    private Duration precision;

    private Builder(String system, String dataElement) {
      this.system = system;
      this.dataElement = dataElement;
    }

    /** Who is accountable for the system; {@code null} where nobody is known to be. */
    public Builder owner(String owner) {
      this.owner = owner;
      return this;
    }

    public Builder method(IntegrationMethod method) {
      this.method = Objects.requireNonNull(method, "method");
      return this;
    }

    public Builder encryptedTransport(boolean encrypted) {
      this.encrypted = encrypted;
      return this;
    }

    public Builder sensitive(String... fields) {
      sensitive.addAll(List.of(fields));
      return this;
    }

    public Builder sensitive(Set<String> fields) {
      sensitive.addAll(fields);
      return this;
    }

    public Builder capabilities(Capability... declared) {
      capabilities.addAll(List.of(declared));
      return this;
    }

    public Builder capabilities(Set<Capability> declared) {
      capabilities.addAll(declared);
      return this;
    }

    public Builder modificationTimePrecision(Duration precision) {
      this.precision = Objects.requireNonNull(precision, "precision");
      return this;
    }

    public ConnectorDescription build() {
      return new ConnectorDescription(system, dataElement, owner, method, encrypted, sensitive, capabilities, precision);
    }
  }
}
