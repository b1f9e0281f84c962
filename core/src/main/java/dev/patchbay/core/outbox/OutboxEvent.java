package dev.patchbay.core.outbox;

import dev.patchbay.core.codec.TypedJson;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.time.Instant;
import java.util.Objects;

/**
 * One change as an outbox keeps it, in the columns of the outbox layout Debezium's outbox event
 * router reads ({@code id}, {@code aggregatetype}, {@code aggregateid}, {@code type},
 * {@code payload}, a time), so that a team adding Debezium later reads the same table; plus the
 * outbox's own order and the record's version.
 *
 * @param position      the outbox's order: increasing with every event appended, never reused
 * @param id            a unique id (a UUID), as Debezium expects
 * @param aggregateType what kind of record ("opportunity"): Debezium routes by it
 * @param aggregateId   the record's key
 * @param type          {@value #UPSERT} or {@value #DELETE}
 * @param version       the record's version (its modification time where it has one; 0 where unknown)
 * @param payload       the record's fields; empty for a delete
 * @param at            when the event was appended
 */
public record OutboxEvent(long position, String id, String aggregateType, String aggregateId, String type, long version,
                          Fields payload, Instant at) {

  /** The type of an event that puts a record. */
  public static final String UPSERT = "upsert";
  /** The type of an event that removes one. */
  public static final String DELETE = "delete";

  public OutboxEvent {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(aggregateType, "aggregateType");
    Objects.requireNonNull(aggregateId, "aggregateId");
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(at, "at");
    if (!UPSERT.equals(type) && !DELETE.equals(type)) {
      throw new IllegalArgumentException("an outbox event's type is upsert or delete, not '" + type + "'");
    }
  }

  /** The event of {@code change} at {@code position}, with a new UUID: how every outbox makes one. */
  public static OutboxEvent of(long position, String aggregateType, Change<Fields> change, Instant at) {
    String id = java.util.UUID.randomUUID().toString();
    return change instanceof Change.Upsert<Fields> u
        ? new OutboxEvent(position, id, aggregateType, change.key(), UPSERT, u.record().version(), u.record().payload(), at)
        : new OutboxEvent(position, id, aggregateType, change.key(), DELETE, ((Change.Delete<Fields>) change).version(),
            Fields.empty(), at);
  }

  /**
   * Refuses a change no outbox of this library keeps, before anything is appended: a key that is
   * empty, longer than {@link Outbox#MAX_KEY_BYTES} bytes of UTF-8, holds a NUL character or half a
   * surrogate pair; an aggregate type empty or longer than {@link Outbox#MAX_TYPE_BYTES} bytes; a
   * payload value of a type {@link dev.patchbay.core.codec.TypedJson} does not keep. The same check for every outbox, so
   * that what an in-memory outbox takes in a test a database takes in production.
   *
   * @throws IllegalArgumentException naming the key, the field where it is one, the reason and the limit
   */
  public static void check(String aggregateType, Change<Fields> change) {
    Objects.requireNonNull(change, "change");
    int typeBytes = utf8Length(aggregateType);
    if (typeBytes == 0 || typeBytes > Outbox.MAX_TYPE_BYTES) {
      throw new IllegalArgumentException("aggregate type '" + aggregateType + "' is " + typeBytes
          + " bytes of UTF-8; an outbox keeps 1 to " + Outbox.MAX_TYPE_BYTES);
    }
    String key = change.key();
    int bytes = utf8Length(key);
    if (bytes == 0) {
      throw new IllegalArgumentException("a " + kind(change) + " with an empty key: an outbox keeps keys of 1 to "
          + Outbox.MAX_KEY_BYTES + " bytes of UTF-8");
    }
    if (bytes > Outbox.MAX_KEY_BYTES) {
      throw new IllegalArgumentException("key '" + key.substring(0, 40) + "...' (" + key.length() + " characters) is "
          + bytes + " bytes of UTF-8, more than the " + Outbox.MAX_KEY_BYTES + " an outbox keeps");
    }
    if (key.indexOf('\0') >= 0) {
      throw new IllegalArgumentException("key '" + key.replace('\0', '?') + "' holds a NUL character, which databases refuse");
    }
    if (change instanceof Change.Upsert<Fields> u) {
      try {
        dev.patchbay.core.codec.TypedJson.check(u.record().payload());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("key '" + key + "': " + e.getMessage(), e);
      }
    }
  }

  private static String kind(Change<Fields> change) {
    return change instanceof Change.Upsert<Fields> ? "upsert" : "delete";
  }

  /** Bytes of UTF-8; refuses half a surrogate pair (it would be written as '?'). */
  private static int utf8Length(String s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("'" + s.substring(0, i) + "' is followed by half a surrogate pair (U+"
            + Integer.toHexString(c).toUpperCase(java.util.Locale.ROOT) + "): not text an outbox can keep");
      } else {
        n += 3;
      }
    }
    return n;
  }

  /** The change the event carries. */
  public Change<Fields> change() {
    return DELETE.equals(type) ? new Change.Delete<>(aggregateId, version)
        : Change.upsert(new Envelope<>(aggregateId, version, payload));
  }

  /** Prints position, type, key and version; never the payload. */
  @Override
  public String toString() {
    return "OutboxEvent[" + position + " " + type + " " + aggregateType + ":" + aggregateId + " v" + version + "]";
  }
}
