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

  JdbcLinkStore(DataSource dataSource, String sync, String prefix) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.sync = Objects.requireNonNull(sync, "sync");
    if (!prefix.matches("[A-Za-z][A-Za-z0-9_]{0,40}")) {
      throw new SetupException("link store table prefix '" + prefix + "' must be a plain identifier (letters, digits, _)");
    }
    this.links = prefix + "_links";
    this.positions = prefix + "_positions";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
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
    List<String> all = new ArrayList<>(keys);
    try (Connection c = dataSource.getConnection()) {
      for (int from = 0; from < all.size(); from += IN_LIST) {
        List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
        String sql = "SELECT a_key, b_key, state, origin, base FROM " + links + " WHERE sync_name = ? AND " + column
            + " IN (" + chunk.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          ps.setString(1, sync);
          for (int i = 0; i < chunk.size(); i++) {
            ps.setString(i + 2, chunk.get(i));
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              String origin = rs.getString(4);
              Link link = new Link(rs.getString(1), rs.getString(2), LinkCodec.base(rs.getString(5)),
                  Link.State.valueOf(rs.getString(3)), origin == null ? null : Side.valueOf(origin.trim()));
              found.put(byA ? link.aKey() : link.bKey(), link);
            }
          }
        }
      }
      return found;
    } catch (SQLException e) {
      throw failure("read links", e);
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
        List<Link> all = new ArrayList<>(changed);
        List<Link> absent = new ArrayList<>();
        try (PreparedStatement update = c.prepareStatement("UPDATE " + links
            + " SET b_key = ?, state = ?, origin = ?, base = ? WHERE sync_name = ? AND a_key = ?")) {
          for (Link l : all) {
            update.setString(1, l.bKey());
            update.setString(2, l.state().name());
            update.setString(3, l.origin() == null ? null : l.origin().name());
            update.setString(4, LinkCodec.base(l.base()));
            update.setString(5, sync);
            update.setString(6, l.aKey());
            update.addBatch();
          }
          int[] counts = all.isEmpty() ? new int[0] : update.executeBatch();
          for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
              absent.add(all.get(i));
            }
          }
        }
        if (!absent.isEmpty()) {
          try (PreparedStatement insert = c.prepareStatement("INSERT INTO " + links
              + " (sync_name, a_key, b_key, state, origin, base) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (Link l : absent) {
              insert.setString(1, sync);
              insert.setString(2, l.aKey());
              insert.setString(3, l.bKey());
              insert.setString(4, l.state().name());
              insert.setString(5, l.origin() == null ? null : l.origin().name());
              insert.setString(6, LinkCodec.base(l.base()));
              insert.addBatch();
            }
            insert.executeBatch();
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
