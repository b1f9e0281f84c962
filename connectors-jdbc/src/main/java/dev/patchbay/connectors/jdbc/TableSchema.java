package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.SetupException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;

/** How a {@link JdbcTable}'s builder settings are resolved against the table the database has: names, types, keys. */
final class TableSchema {

  private TableSchema() {
  }

  /** The database, and the table and column names as the database stores them. */
  record Resolved(Dialect dialect, String table, Map<String, String> columns, boolean numericKey,
                          Map<String, String> types, Map<String, Integer> sqlTypes, Snapshot snapshot,
                          TimeColumn modifiedKind, Duration modifiedPrecision, KeyFolding folding, int keyLength) {
    String column(String given) {
      return columns.get(given);
    }
  }

  /**
   * Finds the table and every column in the database's metadata: the name as given, else as the
   * database folds unquoted names (H2 upper case, PostgreSQL lower case).
   *
   * @throws SetupException naming the table, or every missing column at once with the ones there are
   */
  static Resolved resolve(JdbcTable.Builder b) {
    try (Connection c = b.dataSource.getConnection()) {
      DatabaseMetaData md = c.getMetaData();
      Dialect dialect = Dialect.of(md.getDatabaseProductName());
      Found table = find(md, b.table);
      if (table == null) {
        throw new SetupException("JdbcTable: no table '" + b.table + "' in the " + dialect + " database");
      }
      List<String> wanted = new ArrayList<>();
      wanted.add(b.key);
      wanted.addAll(b.columns.values());
      if (b.modifiedAt != null) {
        wanted.add(b.modifiedAt);
      }
      if (b.softDelete != null) {
        wanted.add(b.softDelete);
      }
      Map<String, String> columns = table.columns(wanted, "JdbcTable '" + b.table + "'");
      int keyType = table.types.get(columns.get(b.key));
      boolean numericKey = keyType == Types.BIGINT || keyType == Types.INTEGER || keyType == Types.SMALLINT
          || keyType == Types.TINYINT;
      Snapshot snapshot = null;
      if (b.keySnapshot != null) {
        Found s = find(md, b.keySnapshot);
        if (s == null) {
          throw new SetupException("JdbcTable '" + b.table + "': no key snapshot table '" + b.keySnapshot
              + "'; create it as: CREATE TABLE " + b.keySnapshot + " (record_key " + table.typeNames.get(columns.get(b.key))
              + " PRIMARY KEY, gone BOOLEAN NOT NULL DEFAULT FALSE)");
        }
        Map<String, String> sc = s.columns(List.of("record_key", "gone"), "JdbcTable '" + b.table + "': key snapshot");
        snapshot = new Snapshot(s.qualified(), sc.get("record_key"), sc.get("gone"));
      }
      TimeColumn kind = null;
      Duration precision = null;
      if (b.modifiedAt != null) {
        String column = columns.get(b.modifiedAt);
        kind = timeColumn(table.types.get(column), table.typeNames.get(column));
        if (kind == null) {
          throw new SetupException("JdbcTable '" + b.table + "': modification column " + column + " is "
              + table.typeNames.get(column) + "; a change feed needs a TIMESTAMP or TIMESTAMP WITH TIME ZONE column,"
              + " which it can order exactly");
        }
        Integer digits = table.fractionDigits.get(column);
        precision = Duration.ofNanos((long) Math.pow(10, 9 - Math.max(0, Math.min(9, digits == null ? 6 : digits))));
      }
      KeyFolding folding = numericKey ? null : KeyFolding.of(c, dialect, b.table.contains(".")
          ? b.table.substring(0, b.table.lastIndexOf('.')) : null, table.name, columns.get(b.key));
      int keyLength = numericKey || keyType != Types.VARCHAR && keyType != Types.CHAR && keyType != Types.NVARCHAR
          && keyType != Types.NCHAR ? 0 : table.sizes.getOrDefault(columns.get(b.key), 0);
      return new Resolved(dialect, table.qualified(), columns, numericKey, table.typeNames, table.types, snapshot,
          kind, precision, folding, keyLength);
    } catch (SQLException e) {
      if (JdbcTable.isTransient(e)) {   // down, or unreachable: the table connects at its first use instead
        throw new dev.patchbay.core.TransientException("JdbcTable '" + b.table + "': the database cannot be reached"
            + " (SQLState " + e.getSQLState() + ")", e);
      }
      throw new SetupException("JdbcTable '" + b.table + "': cannot read the database's metadata (SQLState "
          + e.getSQLState() + "): " + JdbcTable.firstLine(e.getMessage()), e);
    }
  }

  /** How a column of this JDBC type and type name holds a time; null where it holds none the feed can order exactly. */
  static TimeColumn timeColumn(int sqlType, String typeName) {
    String name = typeName.toLowerCase(Locale.ROOT);
    if (sqlType == Types.TIMESTAMP_WITH_TIMEZONE || name.equals("timestamptz") || name.contains("with time zone")) {
      return TimeColumn.INSTANT;
    }
    return sqlType == Types.TIMESTAMP ? TimeColumn.UTC_WALL_CLOCK : null;
  }

  /** A table found in the metadata, with its columns as the database stores them. */
  private record Found(String schema, String name, List<String> present, Map<String, Integer> types,
                       Map<String, String> typeNames, Map<String, Integer> fractionDigits, Map<String, Integer> sizes) {
    String qualified() {
      return schema == null ? name : schema + "." + name;
    }

    /**
     * The stored name of each column in {@code wanted}: as given, else ignoring case.
     *
     * @throws SetupException naming every missing column at once, with the ones there are
     */
    Map<String, String> columns(List<String> wanted, String who) {
      Map<String, String> columns = new HashMap<>();
      List<String> missing = new ArrayList<>();
      for (String given : wanted) {
        String found = present.contains(given) ? given
            : present.stream().filter(p -> p.equalsIgnoreCase(given)).findFirst().orElse(null);
        if (found == null) {
          missing.add(given);
        } else {
          columns.put(given, found);
        }
      }
      if (!missing.isEmpty()) {
        throw new SetupException(who + ": no column " + String.join(", ", missing)
            + " in table " + name + " (its columns: " + String.join(", ", present) + ")");
      }
      return columns;
    }
  }

  /** The table named {@code given} ("name" or "schema.name"), as given or as the database folds names; null if none. */
  private static Found find(DatabaseMetaData md, String given) throws SQLException {
    int dot = given.lastIndexOf('.');
    String schema = dot < 0 ? null : given.substring(0, dot);
    String name = given.substring(dot + 1);
    for (String candidate : new LinkedHashSet<>(List.of(name, name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))) {
      String foundSchema;
      String foundTable;
      try (ResultSet rs = md.getTables(null, schema, candidate, new String[] {"TABLE", "BASE TABLE"})) {
        if (!rs.next()) {
          continue;
        }
        foundTable = rs.getString("TABLE_NAME");
        foundSchema = schema == null ? null : rs.getString("TABLE_SCHEM");
      }
      List<String> present = new ArrayList<>();
      Map<String, Integer> types = new HashMap<>();
      Map<String, String> typeNames = new HashMap<>();
      Map<String, Integer> fractionDigits = new HashMap<>();
      Map<String, Integer> sizes = new HashMap<>();
      try (ResultSet rs = md.getColumns(null, foundSchema, foundTable, null)) {
        while (rs.next()) {
          String column = rs.getString("COLUMN_NAME");
          present.add(column);
          types.put(column, rs.getInt("DATA_TYPE"));
          typeNames.put(column, rs.getString("TYPE_NAME"));
          int digits = rs.getInt("DECIMAL_DIGITS");
          if (!rs.wasNull()) {
            fractionDigits.put(column, digits);
          }
          int size = rs.getInt("COLUMN_SIZE");
          if (!rs.wasNull()) {
            sizes.put(column, size);
          }
        }
      }
      return new Found(foundSchema, foundTable, present, types, typeNames, fractionDigits, sizes);
    }
    return null;
  }

  /** The key snapshot table and its two columns, as the database stores them. */
  record Snapshot(String table, String key, String gone) {
  }

}
