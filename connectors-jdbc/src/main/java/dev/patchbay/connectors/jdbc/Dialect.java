package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.SetupException;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** What differs between the databases the JDBC connector and state store support: quoting, types, clocks and upsert. */
enum Dialect {
  H2('"'), POSTGRESQL('"'), MARIADB('`');

  private final char quote;

  Dialect(char quote) {
    this.quote = quote;
  }

  static Dialect of(String productName) {
    String p = productName.toLowerCase(Locale.ROOT);
    if (p.contains("h2")) {
      return H2;
    }
    if (p.contains("postgres")) {
      return POSTGRESQL;
    }
    if (p.contains("mariadb") || p.contains("mysql")) {
      return MARIADB;
    }
    throw new SetupException("The JDBC connector supports H2, PostgreSQL and MariaDB (or MySQL), not " + productName);
  }

  /** An identifier, quoted, with embedded quote characters doubled; "schema.table" quotes each part. */
  String quote(String identifier) {
    return java.util.Arrays.stream(identifier.split("\\.", -1))
        .map(part -> quote + part.replace(String.valueOf(quote), String.valueOf(quote) + quote) + quote)
        .collect(Collectors.joining("."));
  }

  /**
   * A query for the database's clock: PostgreSQL's {@code clock_timestamp()} (the time of the call,
   * not of the transaction's start), MariaDB's {@code UTC_TIMESTAMP(6)}, H2's {@code CURRENT_TIMESTAMP(9)}.
   */
  String nowQuery() {
    return switch (this) {
      case H2 -> "SELECT CURRENT_TIMESTAMP(9)";
      case POSTGRESQL -> "SELECT clock_timestamp()";
      case MARIADB -> "SELECT UTC_TIMESTAMP(6)";
    };
  }

  /**
   * The database's clock now, in milliseconds since the epoch, as an SQL expression: for leases
   * whose ages every process measures on the same clock. H2 (embedded in one process) answers 0.
   */
  String epochMillisNow() {
    return switch (this) {
      case H2 -> "0";
      case POSTGRESQL -> "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)";
      case MARIADB -> "CAST(UNIX_TIMESTAMP(NOW(3)) * 1000 AS SIGNED)";
    };
  }

  /** Insert or replace one row by its key; parameters are {@code columns} in order. */
  String upsert(String table, String key, List<String> columns) {
    return upsert(table, List.of(key), columns);
  }

  /** Insert or replace one row by its key columns; parameters are {@code columns} in order. */
  String upsert(String table, List<String> keys, List<String> columns) {
    String cols = columns.stream().map(this::quote).collect(Collectors.joining(", "));
    String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
    String key = keys.stream().map(this::quote).collect(Collectors.joining(", "));
    List<String> updated = columns.stream().filter(c -> !keys.contains(c)).toList();
    return switch (this) {
      case H2 -> "MERGE INTO " + quote(table) + " (" + cols + ") KEY (" + key + ") VALUES (" + params + ")";
      case POSTGRESQL -> "INSERT INTO " + quote(table) + " (" + cols + ") VALUES (" + params + ") ON CONFLICT ("
          + key + ") DO UPDATE SET "
          + updated.stream().map(c -> quote(c) + " = EXCLUDED." + quote(c)).collect(Collectors.joining(", "));
      case MARIADB -> "INSERT INTO " + quote(table) + " (" + cols + ") VALUES (" + params + ") ON DUPLICATE KEY UPDATE "
          + updated.stream().map(c -> quote(c) + " = VALUES(" + quote(c) + ")").collect(Collectors.joining(", "));
    };
  }

  /**
   * A column for text compared exactly, byte for byte, up to {@code bytes} of UTF-8: MariaDB's
   * collations fold case and ignore trailing spaces, so there it is VARBINARY.
   */
  String exactText(int bytes) {
    return this == MARIADB ? "VARBINARY(" + bytes + ")" : "VARCHAR(" + bytes + ")";
  }

  /** How the database keeps an identifier written unquoted: H2 in upper case, PostgreSQL in lower, MariaDB as written. */
  String folded(String identifier) {
    return switch (this) {
      case H2 -> identifier.toUpperCase(Locale.ROOT);
      case POSTGRESQL -> identifier.toLowerCase(Locale.ROOT);
      case MARIADB -> identifier;
    };
  }

  /** A column for text of any length. */
  String longText() {
    return switch (this) {
      case H2 -> "CLOB";
      case POSTGRESQL -> "TEXT";
      case MARIADB -> "LONGTEXT CHARACTER SET utf8mb4";
    };
  }
}
