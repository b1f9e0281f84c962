package dev.patchbay.core;

import java.util.Collection;
import java.util.Map;

/**
 * A system that can be read by key: the capability a {@link Destination} adds so that patterns can
 * plan dry runs and reconcile the desired state against what the system actually holds.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface Lookup<T> {

  /**
   * The records held for {@code keys}; keys with no record are absent from the map.
   *
   * @throws TransientException if the system cannot be read now
   */
  Map<String, Envelope<T>> lookup(Collection<String> keys);
}
