package dev.patchbay.patterns.sync;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.TransientException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * {@link LinkStore#jdbc}: links in a table of the host's database, one row per pair, read by key;
 * the position in a second table. A save is one transaction.
 */
final class JdbcLinkStore implements LinkStore {
  private static final int IN_LIST = 500;

  private final DataSource dataSource;
  private final String sync;
  private final String links;
  private final String positions;
  private final Database database;

  /** How reads by many keys and saves of many links are put to each database. */
  private enum Database {
    /** Keys bound as one array; a save is one upsert over arrays. */
    POSTGRESQL,
    /** Keys in lists (an array parameter is not matched against an index); a save is a batch of MERGE. */
    H2,
    /** Keys in lists; a save is a batch of INSERT ... ON DUPLICATE KEY UPDATE. */
    MARIADB;

    static Database of(String product) {
      String p = product.toLowerCase(java.util.Locale.ROOT);
      if (p.contains("postgres")) {
        return POSTGRESQL;
      }
      if (p.contains("h2")) {
        return H2;
      }
      if (p.contains("mariadb") || p.contains("mysql")) {
        return MARIADB;
      }
      throw new SetupException("link store: H2, PostgreSQL and MariaDB (or MySQL) are supported, not " + product);
    }
  }

  JdbcLinkStore(DataSource dataSource, String sync, String prefix) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.sync = Objects.requireNonNull(sync, "sync");
    if (!prefix.matches("[A-Za-z][A-Za-z0-9_]{0,40}")) {
      throw new SetupException("link store table prefix '" + prefix + "' must be a plain identifier (letters, digits, _)");
    }
    this.links = prefix + "_links";
    this.positions = prefix + "_positions";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      this.database = Database.of(c.getMetaData().getDatabaseProductName());
      s.execute("CREATE TABLE IF NOT EXISTS " + links + " (sync_name VARCHAR(100) NOT NULL, a_key VARCHAR(200) NOT NULL,"
          + " b_key VARCHAR(200) NOT NULL, state VARCHAR(8) NOT NULL, origin CHAR(1), base TEXT,"
          + " PRIMARY KEY (a_key, sync_name), UNIQUE (b_key, sync_name))");   // key first: an IN list of keys can use the index
      s.execute("CREATE TABLE IF NOT EXISTS " + positions + " (sync_name VARCHAR(100) PRIMARY KEY, position TEXT NOT NULL)");
    } catch (SQLException e) {
      throw new SetupException("link store: cannot create or reach tables " + links + " and " + positions
          + " (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
    }
  }

  @Override
  public SyncPosition position() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT position FROM " + positions + " WHERE sync_name = ?")) {
      ps.setString(1, sync);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? LinkCodec.position(rs.getString(1)) : SyncPosition.start();
      }
    } catch (SQLException e) {
      throw failure("read the position", e);
    }
  }

  @Override
  public Map<String, Link> byA(Collection<String> aKeys) {
    return select("a_key", aKeys, true);
  }

  @Override
  public Map<String, Link> byB(Collection<String> bKeys) {
    return select("b_key", bKeys, false);
  }

  private Map<String, Link> select(String column, Collection<String> keys, boolean byA) {
    Map<String, Link> found = new HashMap<>();
    if (keys.isEmpty()) {
      return found;
    }
    String columns = "SELECT a_key, b_key, state, origin, base FROM " + links + " WHERE sync_name = ? AND " + column;
    try (Connection c = dataSource.getConnection()) {
      if (database == Database.POSTGRESQL) {
        try (PreparedStatement ps = c.prepareStatement(columns + " = ANY(?)")) {
          ps.setString(1, sync);
          ps.setArray(2, c.createArrayOf("VARCHAR", keys.toArray()));
          collect(ps, found, byA);
        }
        return found;
      }
      List<String> all = new ArrayList<>(keys);
      for (int from = 0; from < all.size(); from += IN_LIST) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
        try (PreparedStatement ps = c.prepareStatement(columns + " IN ("
            + chunk.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")")) {
          ps.setString(1, sync);
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 2, chunk.get(i));
          }
          collect(ps, found, byA);
        }
      }
      return found;
    } catch (SQLException e) {
      throw failure("read links", e);
    }
  }

  private static void collect(PreparedStatement ps, Map<String, Link> found, boolean byA) throws SQLException {
    try (ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        String origin = rs.getString(4);
        Link link = new Link(rs.getString(1), rs.getString(2), LinkCodec.base(rs.getString(5)),
            Link.State.valueOf(rs.getString(3)), origin == null ? null : Side.valueOf(origin.trim()));
        found.put(byA ? link.aKey() : link.bKey(), link);
      }
    }
  }

  @Override
  public long linkedCount() {
    try (Connection c = dataSource.getConnection();
         PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + links + " WHERE sync_name = ? AND state = 'LINKED'")) {
      ps.setString(1, sync);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw failure("count links", e);
    }
  }

  @Override
  public void save(Collection<Link> changed, SyncPosition position) {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Map<String, Link> byKey = new LinkedHashMap<>();
        changed.forEach(l -> byKey.put(l.aKey(), l));   // the last of one A key's links stands
        if (!byKey.isEmpty()) {
          switch (database) {
            case POSTGRESQL -> upsertArrays(c, byKey.values());
            case H2 -> batch(c, "MERGE INTO " + links + " (b_key, state, origin, base, sync_name, a_key)"
                + " KEY (a_key, sync_name) VALUES (?, ?, ?, ?, ?, ?)", byKey.values());
            case MARIADB -> batch(c, "INSERT INTO " + links + " (b_key, state, origin, base, sync_name, a_key)"
                + " VALUES (?, ?, ?, ?, ?, ?) ON DUPLICATE KEY UPDATE b_key = VALUES(b_key), state = VALUES(state),"
                + " origin = VALUES(origin), base = VALUES(base)", byKey.values());
          }
        }
        String text = LinkCodec.position(position);
        try (PreparedStatement update = c.prepareStatement("UPDATE " + positions + " SET position = ? WHERE sync_name = ?")) {
          update.setString(1, text);
          update.setString(2, sync);
          if (update.executeUpdate() == 0) {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + positions + " (sync_name, position) VALUES (?, ?)")) {
              insert.setString(1, sync);
              insert.setString(2, text);
              insert.executeUpdate();
            }
          }
        }
        c.commit();
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    } catch (SQLException e) {
      throw failure("save links", e);
    }
  }

  /** One statement for every link: arrays of each column, unnested and upserted. */
  private void upsertArrays(Connection c, Collection<Link> all) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + links
        + " (sync_name, a_key, b_key, state, origin, base) SELECT ?, u.* FROM unnest(CAST(? AS varchar[]),"
        + " CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS text[])) AS u"
        + " ON CONFLICT (a_key, sync_name) DO UPDATE SET b_key = EXCLUDED.b_key, state = EXCLUDED.state,"
        + " origin = EXCLUDED.origin, base = EXCLUDED.base")) {
      ps.setString(1, sync);
      ps.setArray(2, c.createArrayOf("varchar", all.stream().map(Link::aKey).toArray()));
      ps.setArray(3, c.createArrayOf("varchar", all.stream().map(Link::bKey).toArray()));
      ps.setArray(4, c.createArrayOf("varchar", all.stream().map(l -> l.state().name()).toArray()));
      ps.setArray(5, c.createArrayOf("varchar", all.stream().map(l -> l.origin() == null ? null : l.origin().name()).toArray()));
      ps.setArray(6, c.createArrayOf("text", all.stream().map(l -> LinkCodec.base(l.base())).toArray()));
      ps.executeUpdate();
    }
  }

  /** {@code sql} once per link, its parameters b_key, state, origin, base, sync_name, a_key. */
  private void batch(Connection c, String sql, Collection<Link> all) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      for (Link l : all) {
        bind(ps, l);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private void bind(PreparedStatement ps, Link l) throws SQLException {
    ps.setString(1, l.bKey());
    ps.setString(2, l.state().name());
    ps.setString(3, l.origin() == null ? null : l.origin().name());
    ps.setString(4, LinkCodec.base(l.base()));
    ps.setString(5, sync);
    ps.setString(6, l.aKey());
  }

  private RuntimeException failure(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = "link store " + links + ": could not " + what + " (SQLState " + state + "): " + e.getMessage();
    return state.startsWith("08") || state.equals("40001") || state.equals("40P01")
        ? new TransientException(message, e) : new IllegalStateException(message, e);
  }

  @Override
  public String toString() {
    return "LinkStore.jdbc(" + links + ", sync '" + sync + "')";
  }
}
