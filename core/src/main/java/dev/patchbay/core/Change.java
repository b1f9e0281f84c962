package dev.patchbay.core;

import java.util.Objects;

/**
 * One keyed write to a {@link Destination}: put a record, or remove one. Writing the same change
 * twice leaves the same state as writing it once.
 *
 * @param <T> the payload type
 */
public sealed interface Change<T> {

  /** The key the change is for. */
  String key();

  /** Insert the record, or replace the one with its key. */
  record Upsert<T>(Envelope<T> record) implements Change<T> {
    public Upsert {
      Objects.requireNonNull(record, "record");
    }

    @Override
    public String key() {
      return record.key();
    }
  }

  /** Remove the record with {@code key}; a no-op where there is none. */
  record Delete<T>(String key, long version) implements Change<T> {
    public Delete {
      Objects.requireNonNull(key, "key");
    }
  }

  static <T> Change<T> upsert(Envelope<T> record) {
    return new Upsert<>(record);
  }

  static <T> Change<T> delete(String key) {
    return new Delete<>(key, 0);
  }
}
