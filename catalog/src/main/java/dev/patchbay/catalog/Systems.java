package dev.patchbay.catalog;

import dev.patchbay.core.catalog.IntegrationMethod;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The systems registry: each system's owner, the data elements it is the system of record for,
 * and the integration methods it offers. Immutable; systems are added with {@link #with}.
 */
public final class Systems {

  private final Map<String, SystemInfo> byName;

  private Systems(Map<String, SystemInfo> byName) {
    this.byName = byName;
  }

  /** No systems known. */
  public static Systems none() {
    return new Systems(Map.of());
  }

  /** These systems; a name given twice is refused. */
  public static Systems of(Collection<SystemInfo> systems) {
    Systems s = none();
    for (SystemInfo info : systems) {
      s = s.with(info);
    }
    return s;
  }

  /** This registry with one more system. */
  public Systems with(SystemInfo system) {
    if (byName.containsKey(system.name())) {
      throw new IllegalArgumentException("system '" + system.name() + "' is in the registry already");
    }
    Map<String, SystemInfo> more = new LinkedHashMap<>(byName);
    more.put(system.name(), system);
    return new Systems(Map.copyOf(more));
  }

  /** Shorthand for {@link #with(SystemInfo)}: a system, its owner, what it is the system of record for, what it offers. */
  public Systems with(String name, String owner, Set<String> recordsFor, IntegrationMethod... offers) {
    return with(new SystemInfo(name, owner, recordsFor, Set.copyOf(Arrays.asList(offers))));
  }

  public Optional<SystemInfo> get(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The system of record for {@code dataElement}, where one system says it is. */
  public Optional<SystemInfo> systemOfRecord(String dataElement) {
    List<SystemInfo> holders = byName.values().stream().filter(s -> s.recordsFor().contains(dataElement)).toList();
    return holders.size() == 1 ? Optional.of(holders.get(0)) : Optional.empty();
  }

  public Collection<SystemInfo> all() {
    return byName.values();
  }
}
