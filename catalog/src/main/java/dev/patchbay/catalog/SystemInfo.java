package dev.patchbay.catalog;

import dev.patchbay.core.catalog.IntegrationMethod;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * One system as the registry knows it.
 *
 * @param name       the system's name, as catalog entries spell it
 * @param owner      who is accountable for it; {@code null} where nobody is
 * @param recordsFor the data elements it is the system of record for
 * @param offers     the integration methods it offers (an API besides file export, say)
 */
public record SystemInfo(String name, String owner, Set<String> recordsFor, Set<IntegrationMethod> offers) {

  public SystemInfo {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("a system needs a name");
    }
    owner = owner == null || owner.isBlank() ? null : owner.strip();
    recordsFor = Set.copyOf(recordsFor);
    offers = offers.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(offers));
  }
}
