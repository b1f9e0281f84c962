package dev.patchbay.connectors.jdbc;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keys that a MariaDB key column's collation takes as one key ({@code a} and {@code A},
 * {@code e} and {@code é}, {@code b} and {@code b } under a PAD SPACE collation), found by the
 * database's own collation weights, so that two distinct source keys are never merged into one
 * row. Only for key columns whose collation is not binary; PostgreSQL and H2 compare keys exactly
 * by default.
 */
final class KeyFolding {

  private static final int CHUNK = 500;

  private final String collation;
  private final String charset;
  private final boolean padSpace;

  private KeyFolding(String collation) {
    this.collation = collation;
    this.charset = collation.substring(0, collation.indexOf('_'));
    this.padSpace = !collation.contains("nopad");
  }

  /** The folding of {@code column}'s collation; null where the column compares keys exactly. */
  static KeyFolding of(Connection c, Dialect dialect, String schema, String table, String column) throws SQLException {
    if (dialect != Dialect.MARIADB) {
      return null;
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT COLLATION_NAME FROM information_schema.COLUMNS"
        + " WHERE TABLE_SCHEMA = COALESCE(?, DATABASE()) AND TABLE_NAME = ? AND COLUMN_NAME = ?")) {
      ps.setString(1, schema);
      ps.setString(2, table);
      ps.setString(3, column);
      try (ResultSet rs = ps.executeQuery()) {
        String name = rs.next() ? rs.getString(1) : null;
        return name == null || name.endsWith("_bin") || !name.contains("_") ? null : new KeyFolding(name);
      }
    }
  }

  String collation() {
    return collation;
  }

  /** For each key of {@code keys} after the first of its fold, the first key it folds with, in order. */
  Map<String, String> foldedWithin(Connection c, List<String> keys) throws SQLException {
    Map<String, String> weights = weights(c, keys);
    Map<String, String> firstByWeight = new HashMap<>();
    Map<String, String> folded = new LinkedHashMap<>();
    for (String key : keys) {
      String first = firstByWeight.putIfAbsent(weights.get(key), key);
      if (first != null && !first.equals(key)) {
        folded.put(key, first);
      }
    }
    return folded;
  }

  /**
   * For each asked key the stored keys fold it into: {@code stored} are the keys a read of
   * {@code asked} returned; one that is not itself among them is another key's fold.
   */
  Map<String, String> foldedIntoStored(Connection c, Collection<String> asked, Set<String> stored) throws SQLException {
    List<String> strangers = stored.stream().filter(k -> !asked.contains(k)).toList();
    if (strangers.isEmpty()) {
      return Map.of();   // the usual case: every row found is a key asked, exactly
    }
    List<String> unmatched = asked.stream().filter(k -> !stored.contains(k)).toList();
    List<String> all = new ArrayList<>(strangers);
    all.addAll(unmatched);
    Map<String, String> weights = weights(c, all);
    Map<String, String> storedByWeight = new HashMap<>();
    strangers.forEach(k -> storedByWeight.putIfAbsent(weights.get(k), k));
    Map<String, String> folded = new HashMap<>();
    for (String key : unmatched) {
      String into = storedByWeight.get(weights.get(key));
      if (into != null) {
        folded.put(key, into);
      }
    }
    return folded;
  }

  /** Each key's collation weight, as the database computes it, in hex. */
  private Map<String, String> weights(Connection c, List<String> keys) throws SQLException {
    Map<String, String> weights = new HashMap<>();
    String one = "WEIGHT_STRING(CONVERT(" + (padSpace ? "RTRIM(?)" : "?") + " USING " + charset + ") COLLATE " + collation + ")";
    for (int from = 0; from < keys.size(); from += CHUNK) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + CHUNK));
      StringBuilder sql = new StringBuilder();
      for (int i = 0; i < chunk.size(); i++) {
        sql.append(i == 0 ? "" : " UNION ALL ").append("SELECT ").append(i).append(", HEX(").append(one).append(")");
      }
      try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            weights.put(chunk.get(rs.getInt(1)), rs.getString(2));
          }
        }
      }
    }
    return weights;
  }
}
