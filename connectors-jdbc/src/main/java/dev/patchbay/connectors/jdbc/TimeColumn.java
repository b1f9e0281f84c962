package dev.patchbay.connectors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/**
 * How a modification column holds a time, read and bound at the column's own precision through
 * {@code java.time} (never {@code java.sql.Timestamp}, whose JVM time zone and milliseconds would
 * shift and cut it): a zone-less TIMESTAMP or DATETIME holds the UTC wall-clock time; a TIMESTAMP
 * WITH TIME ZONE holds the instant.
 */
enum TimeColumn {
  UTC_WALL_CLOCK, INSTANT;

  Instant read(ResultSet rs, int index) throws SQLException {
    if (this == INSTANT) {
      OffsetDateTime t = rs.getObject(index, OffsetDateTime.class);
      return t == null ? null : t.toInstant();
    }
    LocalDateTime t = rs.getObject(index, LocalDateTime.class);
    return t == null ? null : t.toInstant(ZoneOffset.UTC);
  }

  void bind(PreparedStatement ps, int index, Instant t) throws SQLException {
    if (this == INSTANT) {
      ps.setObject(index, OffsetDateTime.ofInstant(t, ZoneOffset.UTC));
    } else {
      ps.setObject(index, LocalDateTime.ofInstant(t, ZoneOffset.UTC));
    }
  }

  /**
   * A field's time as the column it goes to holds it, whatever the JVM's zone: a zone-less column
   * ({@code readAs} {@code LocalDateTime}) holds an {@code Instant} or {@code OffsetDateTime} as its
   * UTC wall-clock time; a zone-aware one ({@code Instant}) holds a {@code LocalDateTime} as that
   * time in UTC. Drivers would otherwise convert through the JVM's (or the session's) zone: an
   * instant into a MariaDB TIMESTAMP, a local time into a PostgreSQL TIMESTAMPTZ. Other values as
   * they are.
   */
  static Object asHeldBy(Object v, Class<?> readAs) {
    if (readAs == LocalDateTime.class) {
      if (v instanceof Instant t) {
        return LocalDateTime.ofInstant(t, ZoneOffset.UTC);
      }
      if (v instanceof OffsetDateTime t) {
        return t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
      }
    } else if (readAs == Instant.class && v instanceof LocalDateTime t) {
      return OffsetDateTime.of(t, ZoneOffset.UTC);
    }
    return v;
  }

  /** The time as text PostgreSQL casts to the column's type. */
  String text(Instant t) {
    return this == INSTANT ? t.toString() : LocalDateTime.ofInstant(t, ZoneOffset.UTC).toString();
  }

  /**
   * The database's own clock, now: writes are stamped with it, so that a feed's position never
   * runs ahead of the times the database's other users get.
   */
  static Instant databaseNow(Connection c, Dialect dialect) throws SQLException {
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(dialect.nowQuery())) {
      rs.next();
      return dialect == Dialect.MARIADB
          ? rs.getObject(1, LocalDateTime.class).toInstant(ZoneOffset.UTC)
          : rs.getObject(1, OffsetDateTime.class).toInstant();
    }
  }
}
