package dev.patchbay.core;

import java.util.Objects;

/**
 * One record as Patchbay passes it between elements: a key unique in its system, a version that
 * orders changes to the same key, and a payload ({@link Fields} or any immutable type of the
 * host's).
 *
 * @param key     unique in its system; never null or empty
 * @param version orders changes to the same key (a modification time in epoch microseconds, a
 *                counter); {@code 0} where the system offers none
 * @param payload the record's content; never null, and never mutated once wrapped
 * @param <T>     the payload type
 */
public record Envelope<T>(String key, long version, T payload) {

  public Envelope {
    Objects.requireNonNull(key, "key");
    if (key.isEmpty()) {
      throw new IllegalArgumentException("key must not be empty");
    }
    Objects.requireNonNull(payload, () -> "payload of record '" + key + "'");
  }

  /** A record with no version ({@code 0}). */
  public static <T> Envelope<T> of(String key, T payload) {
    return new Envelope<>(key, 0, payload);
  }

  /** The same key and version with another payload. */
  public <U> Envelope<U> withPayload(U newPayload) {
    return new Envelope<>(key, version, newPayload);
  }

  /** Prints the key and version only: payloads stay out of logs and exception messages. */
  @Override
  public String toString() {
    return "Envelope[key=" + key + ", version=" + version + "]";
  }
}
