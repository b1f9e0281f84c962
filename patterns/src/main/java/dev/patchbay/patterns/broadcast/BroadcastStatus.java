package dev.patchbay.patterns.broadcast;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A broadcast as {@link Broadcast#status()} finds it: the outbox and every destination's ledger.
 *
 * @param name         the broadcast's name
 * @param outboxEnd    the position of the last event published
 * @param outboxSize   the events the outbox holds (those no destination has purged yet)
 * @param purgeHeldBy  the destination furthest behind, which holds purging back; empty where every
 *                     destination has every event
 * @param destinations each destination's ledger, in the order they were given
 */
public record BroadcastStatus(String name, long outboxEnd, long outboxSize, Optional<String> purgeHeldBy,
                              List<DestinationStatus> destinations) {

  public BroadcastStatus {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(purgeHeldBy, "purgeHeldBy");
    destinations = List.copyOf(destinations);
  }

  /** The destination called {@code name}. */
  public DestinationStatus destination(String name) {
    return destinations.stream().filter(d -> d.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("broadcast '" + this.name + "' has no destination '" + name + "'"));
  }

  /** A few lines for a person: keys and counts, never values. */
  public String summary() {
    StringBuilder s = new StringBuilder("Broadcast '" + name + "': outbox at " + outboxEnd + ", holding " + outboxSize
        + purgeHeldBy.map(d -> " (purge held back by " + d + ")").orElse(""));
    destinations.forEach(d -> s.append("\n  ").append(d.summary()));
    return s.toString();
  }
}
