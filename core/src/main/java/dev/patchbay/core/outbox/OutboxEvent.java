package dev.patchbay.core.outbox;

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
