package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.HoldLostException;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.codec.TypedJson;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
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
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * A {@link StateStore} in the host's database (H2, PostgreSQL, or MariaDB or MySQL): the tables
 * {@code <prefix>_progress} (a row a name) and {@code <prefix>_entries} (a row an entry, read by
 * key, alias or tag through indexes), created if absent and shared by every pattern using the
 * prefix. A save is one transaction. Keys and aliases compare exactly (on MariaDB the columns are
 * binary, as its collations fold case and trailing spaces) and hold up to 768 bytes of UTF-8.
 *
 * <p>One run per name: on PostgreSQL an advisory lock and on MariaDB a named lock ({@code GET_LOCK}),
 * each held by a connection the run keeps open until it closes its state, so a run in another
 * process is refused and a run that dies lets go with its connection. H2 databases are embedded in
 * one process; there the lock is this JVM's.
 *
 * <pre>{@code
 * StateStore state = JdbcStateStore.of(dataSource, "patchbay");
 * }</pre>
 */
public final class JdbcStateStore implements StateStore {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcStateStore.class);

  /** How long a run asks again for a name's lock held by another session before it is refused. */
  static final java.time.Duration LOCK_PATIENCE = java.time.Duration.ofSeconds(2);

  /** The longest key or alias, in bytes of UTF-8. */
  public static final int MAX_KEY_BYTES = 768;
  private static final int IN_LIST = 500;
  private static final Set<String> HELD_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

  private final DataSource dataSource;
  private final String prefix;
  private final String progressTable;
  private final String entriesTable;
  private final String holdsTable;
  private final java.time.Duration leaseGrace;
  /** How long a new holder waits, by default, after a holder that did not let go (died, or lost its connection). */
  public static final java.time.Duration DEFAULT_LEASE_GRACE = java.time.Duration.ofSeconds(5);
  private final Dialect dialect;
  private final String database;

  private JdbcStateStore(DataSource dataSource, String prefix, java.time.Duration leaseGrace) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    if (leaseGrace.isNegative()) {
      throw new SetupException("state store: the lease grace must not be negative, was " + leaseGrace);
    }
    this.leaseGrace = leaseGrace;
    if (!prefix.matches("[A-Za-z][A-Za-z0-9_]{0,40}")) {
      throw new SetupException("state store table prefix '" + prefix + "' must be a plain identifier (letters, digits, _)");
    }
    this.prefix = prefix;
    this.progressTable = prefix + "_progress";
    this.entriesTable = prefix + "_entries";
    this.holdsTable = prefix + "_leases";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      this.dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
      this.database = c.getMetaData().getURL();
      // Processes starting at once all create the tables: a loser's CREATE ... IF NOT EXISTS can still fail (PostgreSQL:
      // 23505 on its catalog, 42P07 where the table appeared meanwhile; H2: a general error). Another pass finds them
      // made; a failure that is not a race (no right to create) fails every pass and is reported after the last.
      for (int attempt = 1; ; attempt++) {
        try {
          String key = dialect.exactText(MAX_KEY_BYTES);
          String small = dialect.exactText(255);
          s.execute("CREATE TABLE IF NOT EXISTS " + progressTable + " (state_name " + small + " NOT NULL PRIMARY KEY,"
              + " progress " + dialect.longText() + " NOT NULL)");
          // key first: an IN list of keys can use the index
          s.execute("CREATE TABLE IF NOT EXISTS " + entriesTable + " (entry_key " + key + " NOT NULL, space " + dialect.exactText(64)
              + " NOT NULL, state_name " + small + " NOT NULL, alias " + key + ", tag " + dialect.exactText(64) + ", entry_value "
              + dialect.longText() + " NOT NULL, PRIMARY KEY (entry_key, space, state_name))");
          if (dialect == Dialect.POSTGRESQL) {   // as the tag's, below: only the entries that have one
            s.execute("DROP INDEX IF EXISTS " + entriesTable + "_alias");
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + entriesTable + "_aliased ON " + entriesTable
                + " (alias, space, state_name) WHERE alias IS NOT NULL");
          } else {
            s.execute("CREATE UNIQUE INDEX IF NOT EXISTS " + entriesTable + "_alias ON " + entriesTable + " (alias, space, state_name)");
          }
          // Only the entries that have a tag, where the database can say so (PostgreSQL): PostgreSQL's planner, given an index
          // holding every entry with state_name and space among its columns, reads a whole space through it for a lookup of
          // many keys rather than probing the keys (a run that saves 100,000 entries then costs O(n) a lookup). Earlier
          // versions made such indexes: they are dropped.
          if (dialect == Dialect.POSTGRESQL) {
            s.execute("DROP INDEX IF EXISTS " + entriesTable + "_tag");
            s.execute("CREATE INDEX IF NOT EXISTS " + entriesTable + "_tagged ON " + entriesTable
                + " (tag, space, state_name) WHERE tag IS NOT NULL");
          } else {
            s.execute("CREATE INDEX IF NOT EXISTS " + entriesTable + "_tag ON " + entriesTable + " (state_name, space, tag)");
          }
          s.execute("CREATE TABLE IF NOT EXISTS " + holdsTable + " (state_name " + small + " NOT NULL PRIMARY KEY,"
              + " token BIGINT NOT NULL, renewed_at BIGINT NOT NULL)");
          break;
        } catch (SQLException race) {
          if (attempt >= 6) {
            throw race;
          }
          try {
            Thread.sleep(20L * attempt + java.util.concurrent.ThreadLocalRandom.current().nextInt(20));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw race;
          }
        }
      }
    } catch (SQLException e) {
      throw new SetupException("state store: cannot create or reach tables " + progressTable + " and " + entriesTable
          + " (SQLState " + e.getSQLState() + ")", e);
    }
  }

  /**
   * State in {@code dataSource}'s database, in tables named after {@code prefix}.
   *
   * @throws SetupException if the tables cannot be created or reached, or the database is another
   */
  public static JdbcStateStore of(DataSource dataSource, String prefix) {
    return new JdbcStateStore(dataSource, prefix, DEFAULT_LEASE_GRACE);
  }

  /**
   * As {@link #of(DataSource, String)}, with the lease's grace: a run that takes a name whose last
   * holder did not let go of it (its process died, or its connection dropped while it may still
   * be working) waits until that holder's lease, renewed at each check and save, is {@code grace}
   * old, so that a batch the other was writing when it lost its hold ends before this run writes.
   * It must be longer than one write attempt of the patterns using the store; 5 s by default;
   * zero where no two processes ever share the store.
   */
  public static JdbcStateStore of(DataSource dataSource, String prefix, java.time.Duration grace) {
    return new JdbcStateStore(dataSource, prefix, Objects.requireNonNull(grace, "grace"));
  }

  @Override
  public NamedState open(String name) {
    Objects.requireNonNull(name, "name");
    if (name.getBytes(StandardCharsets.UTF_8).length > 255) {
      throw new SetupException("state name '" + name + "' is longer than 255 bytes");
    }
    Lock lock = lock(name);
    try {
      return new Held(name, lock, takeToken(name));
    } catch (RuntimeException e) {
      release(name, lock);
      throw e;
    }
  }

  /**
   * The next fencing token of {@code name}, taken under its lock: a run that takes the name after
   * another makes the other's saves fail. Where the last holder renewed its lease less than the
   * grace ago without letting go, waits out the rest first.
   */
  private long takeToken(String name) {
    try {
      long age = Transaction.run(dataSource, c -> {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + dialect.epochMillisNow() + " - renewed_at, renewed_at FROM "
            + holdsTable + " WHERE state_name = ?")) {
          ps.setString(1, name);
          try (ResultSet rs = ps.executeQuery()) {
            return rs.next() && rs.getLong(2) > 0 ? rs.getLong(1) : Long.MAX_VALUE;
          }
        }
      });
      long wait = leaseGrace.toMillis() - age;
      if (wait > 0) {
        LOG.info("state '{}' in {}: its last holder did not let go and renewed its lease {} ms ago; waiting {} ms",
            name, this, age, wait);
        Thread.sleep(wait);
      }
      return Transaction.run(dataSource, c -> {
        try (PreparedStatement up = c.prepareStatement("UPDATE " + holdsTable + " SET token = token + 1, renewed_at = "
            + dialect.epochMillisNow() + " WHERE state_name = ?")) {
          up.setString(1, name);
          if (up.executeUpdate() == 0) {
            try (PreparedStatement in = c.prepareStatement("INSERT INTO " + holdsTable + " (state_name, token, renewed_at)"
                + " VALUES (?, 1, " + dialect.epochMillisNow() + ")")) {
              in.setString(1, name);
              in.executeUpdate();
            }
          }
        }
        return token(c, name);
      });
    } catch (SQLException e) {
      throw failure(name, "take the hold's token", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException("state '" + name + "': interrupted while waiting for the last holder's lease", e);
    }
  }

  private long token(Connection c, String name) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT token FROM " + holdsTable + " WHERE state_name = ?")) {
      ps.setString(1, name);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : 0;
      }
    }
  }

  /** The name's lock: a connection that holds it, and the lock's id there; or (H2) a mark in this JVM. */
  private record Lock(Connection connection, Object id) {
  }

  private Lock lock(String name) {
    String id = prefix + "/" + name;
    if (dialect == Dialect.H2) {
      if (!HELD_IN_THIS_JVM.add(database + " " + id)) {
        throw held(name);
      }
      return new Lock(null, database + " " + id);
    }
    Object lockId = lockId(name);
    Connection c = null;
    try {
      c = dataSource.getConnection();
      // A holder whose process died holds the lock until the server sees its session end: moments after a kill, a
      // restarted run would be refused. Asked again for a moment; a live holder keeps it, and the run is refused.
      long until = System.nanoTime() + LOCK_PATIENCE.toNanos();
      while (!tryLock(c, lockId)) {
        if (System.nanoTime() >= until) {
          c.close();
          throw held(name);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          c.close();
          throw held(name);
        }
      }
      return new Lock(c, lockId);
    } catch (SQLException e) {
      closeQuietly(c, e);
      throw failure(name, "take the lock", e);
    }
  }

  /**
   * The database session holding {@code name}'s lock: PostgreSQL's backend pid, MariaDB's
   * connection id; empty where no run holds it, and on H2 (held in the JVM). For an operator
   * asking which process serves a name, and for tests that cut that one connection.
   */
  public java.util.OptionalLong holderSession(String name) {
    if (dialect == Dialect.H2) {
      return java.util.OptionalLong.empty();
    }
    Object id = lockId(name);
    String sql = dialect == Dialect.POSTGRESQL
        ? "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 1"
            + " AND classid = CAST(? AS oid) AND objid = CAST(? AS oid)"
        : "SELECT IS_USED_LOCK(?)";
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (dialect == Dialect.POSTGRESQL) {
        long key = (Long) id;
        ps.setLong(1, key >>> 32);
        ps.setLong(2, key & 0xffffffffL);
      } else {
        ps.setString(1, (String) id);
      }
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return java.util.OptionalLong.empty();
        }
        long session = rs.getLong(1);
        return rs.wasNull() ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(session);
      }
    } catch (SQLException e) {
      throw failure(name, "find who holds the lock", e);
    }
  }

  /**
   * The id of {@code name}'s lock: on PostgreSQL the advisory lock's 64-bit key, on MariaDB the
   * named lock's name; both from a SHA-256 of prefix and name.
   */
  private Object lockId(String name) {
    byte[] digest = sha256(prefix + "/" + name);
    if (dialect == Dialect.POSTGRESQL) {
      long key = 0;
      for (int i = 0; i < 8; i++) {
        key = key << 8 | (digest[i] & 0xff);
      }
      return key;
    }
    StringBuilder hex = new StringBuilder("patchbay-");
    for (int i = 0; i < 20; i++) {
      hex.append(String.format("%02x", digest[i]));
    }
    return hex.toString();
  }

  private boolean tryLock(Connection c, Object lockId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(dialect == Dialect.POSTGRESQL
        ? "SELECT pg_try_advisory_lock(?)" : "SELECT GET_LOCK(?, 0)")) {
      ps.setObject(1, lockId);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return dialect == Dialect.POSTGRESQL ? rs.getBoolean(1) : rs.getInt(1) == 1;
      }
    }
  }

  private static boolean alive(Connection c) {
    try {
      return c.isValid(2);
    } catch (SQLException e) {
      return false;
    }
  }

  private static void closeQuietly(Connection c, Exception cause) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException suppressed) {
        cause.addSuppressed(suppressed);
      }
    }
  }

  /** Lets go of a lock: released on its connection (a pool keeps the connection, and with it a lock not released), then closed. */
  private void release(String name, Lock lock) {
    if (lock.connection() == null) {
      HELD_IN_THIS_JVM.remove((String) lock.id());
      return;
    }
    try (Connection c = lock.connection();
         PreparedStatement ps = c.prepareStatement(dialect == Dialect.POSTGRESQL
             ? "SELECT pg_advisory_unlock(?)" : "SELECT RELEASE_LOCK(?)")) {
      ps.setObject(1, lock.id());
      ps.executeQuery().close();
    } catch (SQLException e) {
      if (alive(lock.connection())) {
        throw failure(name, "let go of the lock", e);
      }   // the connection dropped: the lock went with it
    }
  }

  /** The dialect's upsert over these tables, whose identifiers were written unquoted. */
  private String upsertSql(String table, List<String> keys, List<String> columns) {
    return dialect.upsert(dialect.folded(table), keys.stream().map(dialect::folded).toList(),
        columns.stream().map(dialect::folded).toList());
  }

  private SetupException held(String name) {
    return new SetupException("State '" + name + "' is held by another run (" + this + "). One run per name at a time;"
        + " wait for it to end (its lock goes with its connection)");
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private final class Held implements NamedState {
    private final String name;
    private final long token;
    private Lock lock;
    private volatile boolean lost;
    private boolean closed;

    Held(String name, Lock lock, long token) {
      this.name = name;
      this.lock = lock;
      this.token = token;
    }

    /**
     * The lock's connection is checked; where it dropped, the lock is taken again on a new one,
     * kept only if the token is still this run's (nobody took the name meanwhile).
     */
    @Override
    public synchronized void check() {
      open();
      if (lost) {
        throw lost("was lost earlier");
      }
      Connection c = lock.connection();
      if (c == null) {
        return;   // H2: held in this JVM, never lost while it lives
      }
      boolean valid;
      try {
        valid = c.isValid(5);
      } catch (SQLException e) {
        valid = false;
      }
      if (valid) {
        renew();
        return;
      }
      closeQuietly(c, new SQLException("closing a dropped connection"));
      Connection again = null;
      try {
        again = dataSource.getConnection();
        if (tryLock(again, lock.id()) && token(again, name) == token) {
          lock = new Lock(again, lock.id());
          LOG.warn("state '{}' in {}: the connection holding its lock dropped; taken again on a new one", name,
              JdbcStateStore.this);
          renew();
          return;
        }
        closeQuietly(again, new SQLException("not held"));
        lost = true;
        LOG.error("state '{}' in {}: the connection holding its lock dropped and another run took it: this run must stop",
            name, JdbcStateStore.this);
        throw lost("was taken by another run after the connection holding it dropped");
      } catch (SQLException e) {
        closeQuietly(again, e);
        throw new TransientException("state '" + name + "' in " + JdbcStateStore.this + ": the connection holding its lock"
            + " dropped and it could not be checked again (SQLState " + e.getSQLState() + ")", e);
      }
    }

    private HoldLostException lost(String how) {
      return new HoldLostException("State '" + name + "' in " + JdbcStateStore.this + ": this run's hold " + how
          + "; nothing was saved, and this run must stop");
    }

    /** Renews the lease (its time on the database's clock), fenced by the token: refused where another run took the name. */
    private void renew() {
      try {
        Transaction.run(dataSource, c -> {
          fence(c);
          return null;
        });
      } catch (SQLException e) {
        throw failure(name, "renew the hold's lease", e);
      }
    }

    /**
     * In a save's transaction, first: the name's token is still this run's, and stays so until the
     * save commits; the lease renewed with it.
     */
    private void fence(Connection c) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + holdsTable + " SET renewed_at = " + dialect.epochMillisNow()
          + " WHERE state_name = ? AND token = ?")) {
        ps.setString(1, name);
        ps.setLong(2, token);
        if (ps.executeUpdate() == 0) {
          lost = true;
          throw lost("was taken by another run (its fencing token is no longer this run's)");
        }
      }
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<Progress> progress(Consumer<String> warnings) {
      open();
      try (Connection c = dataSource.getConnection();
           PreparedStatement ps = c.prepareStatement("SELECT progress FROM " + progressTable + " WHERE state_name = ?")) {
        ps.setString(1, name);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next()) {
            return Optional.empty();
          }
          String json = rs.getString(1);
          try {
            return Optional.of(Progress.fromJson(json));
          } catch (IllegalArgumentException e) {
            throw new SetupException("State '" + name + "' in " + progressTable + " cannot be read: " + e.getMessage(), e);
          }
        }
      } catch (SQLException e) {
        throw failure(name, "read the progress", e);
      }
    }

    @Override
    public Map<String, Entry> entries(String space, Collection<String> keys) {
      return select(space, "entry_key", keys, true);
    }

    @Override
    public Map<String, Entry> entriesByAlias(String space, Collection<String> aliases) {
      return select(space, "alias", aliases, false);
    }

    private Map<String, Entry> select(String space, String column, Collection<String> keys, boolean byKey) {
      open();
      Map<String, Entry> found = new HashMap<>();
      if (keys.isEmpty()) {
        return found;
      }
      String sql = "SELECT entry_key, alias, tag, entry_value FROM " + entriesTable + " WHERE state_name = ? AND space = ? AND "
          + column;
      try (Connection c = dataSource.getConnection()) {
        if (dialect == Dialect.POSTGRESQL) {
          try (PreparedStatement ps = c.prepareStatement(sql + " = ANY(?)")) {
            ps.setString(1, name);
            ps.setString(2, space);
            ps.setArray(3, c.createArrayOf("varchar", keys.toArray()));
            collect(ps, space, found, byKey);
          }
          return found;
        }
        List<String> all = new ArrayList<>(keys);
        for (int from = 0; from < all.size(); from += IN_LIST) {
          List<String> chunk = all.subList(from, Math.min(all.size(), from + IN_LIST));
          try (PreparedStatement ps = c.prepareStatement(sql + " IN ("
              + chunk.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")")) {
            ps.setString(1, name);
            ps.setString(2, space);
            for (int i = 0; i < chunk.size(); i++) {
              ps.setString(i + 3, chunk.get(i));
            }
            collect(ps, space, found, byKey);
          }
        }
        return found;
      } catch (SQLException e) {
        throw failure(name, "read entries", e);
      }
    }

    private void collect(PreparedStatement ps, String space, Map<String, Entry> found, boolean byKey) throws SQLException {
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Entry e = new Entry(space, rs.getString(1), rs.getString(2), rs.getString(3), TypedJson.read(rs.getString(4)));
          found.put(byKey ? e.key() : e.alias(), e);
        }
      }
    }

    @Override
    public long count(String space, String tag) {
      open();
      try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
          "SELECT COUNT(*) FROM " + entriesTable + " WHERE state_name = ? AND space = ? AND tag = ?")) {
        ps.setString(1, name);
        ps.setString(2, space);
        ps.setString(3, tag);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw failure(name, "count entries", e);
      }
    }

    @Override
    public void save(Progress progress, Collection<Entry> entries) {
      Objects.requireNonNull(progress, "progress");
      open();
      Map<List<String>, Entry> last = new LinkedHashMap<>();
      Map<List<String>, String> aliasTo = new HashMap<>();
      for (Entry e : entries) {
        checkLength(e, e.key());
        checkLength(e, e.alias());
        last.put(List.of(e.space(), e.key()), e);
      }
      Map<String, String[]> rows = new LinkedHashMap<>();   // "space key" -> columns
      for (Entry e : last.values()) {
        String twin = e.alias() == null ? null : aliasTo.put(List.of(e.space(), e.alias()), e.key());
        if (twin != null && !twin.equals(e.key())) {
          throw refused(e, twin);
        }
        rows.put(e.space() + " " + e.key(), new String[] {e.key(), e.space(), e.alias(), e.tag(), TypedJson.write(e.value())});
      }
      if (lost) {
        throw lost("was lost earlier");
      }
      try {
        Transaction.run(dataSource, c -> {
          fence(c);
          if (dialect == Dialect.MARIADB && checkAliases(last)) {
            // ON DUPLICATE KEY UPDATE would update the row holding a taken alias: refuse before writing,
            // and free the aliases an entry of this save moves to another of its keys
            freeAliases(c, last.values());
          }
          try {
            upsert(c, rows.values());
          } catch (SQLException e) {
            if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
              throw e;
            }
            c.rollback();
            if (!checkAliases(last)) {   // names the entry holding the alias, where that was it
              throw e;
            }
            fence(c);
            freeAliases(c, last.values());   // an alias moves between keys of this save: free them, then write
            upsert(c, rows.values());
          }
          try (PreparedStatement ps = c.prepareStatement(upsertSql(progressTable, List.of("state_name"),
              List.of("state_name", "progress")))) {
            ps.setString(1, name);
            ps.setString(2, progress.toJson());
            ps.executeUpdate();
          }
          return null;
        });
      } catch (SQLException e) {
        throw failure(name, "save", e);
      }
    }

    private void checkLength(Entry e, String key) {
      if (key != null && key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
        throw new IllegalArgumentException("entry '" + e.key() + "' of space '" + e.space() + "': '" + key + "' is "
            + key.getBytes(StandardCharsets.UTF_8).length + " bytes of UTF-8, more than the " + MAX_KEY_BYTES
            + " a JDBC state store keeps; nothing was saved");
      }
    }

    /**
     * Refuses the save where an entry's alias belongs to a key the save leaves as it is; true where
     * an alias moves from one key of the save to another. PostgreSQL and H2 find a taken alias
     * through the unique index on aliases, and this tells the two cases apart afterwards; MariaDB
     * asks first.
     */
    private boolean checkAliases(Map<List<String>, Entry> last) {
      Map<String, Map<String, Entry>> bySpace = new HashMap<>();
      for (Entry e : last.values()) {
        if (e.alias() != null) {
          bySpace.computeIfAbsent(e.space(), s -> new HashMap<>()).put(e.alias(), e);
        }
      }
      boolean moves = false;
      for (Map.Entry<String, Map<String, Entry>> space : bySpace.entrySet()) {
        Map<String, Entry> holders = entriesByAlias(space.getKey(), space.getValue().keySet());
        for (Map.Entry<String, Entry> held : holders.entrySet()) {
          Entry wants = space.getValue().get(held.getKey());
          String holder = held.getValue().key();
          if (holder.equals(wants.key())) {
            continue;
          }
          if (!last.containsKey(List.of(space.getKey(), holder))) {
            throw refused(wants, holder);
          }
          moves = true;   // held by a key this save replaces: it moves
        }
      }
      return moves;
    }

    /** Clears the aliases the keys of {@code entries} hold now, so that the save can give them out afresh. */
    private void freeAliases(Connection c, Collection<Entry> entries) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement("UPDATE " + entriesTable
          + " SET alias = NULL WHERE state_name = ? AND space = ? AND entry_key = ? AND alias IS NOT NULL")) {
        for (Entry e : entries) {
          ps.setString(1, name);
          ps.setString(2, e.space());
          ps.setString(3, e.key());
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    private static IllegalArgumentException refused(Entry e, String other) {
      return new IllegalArgumentException("entries '" + other + "' and '" + e.key() + "' of space '" + e.space()
          + "' would share the alias '" + e.alias() + "'; nothing was saved");
    }

    private void upsert(Connection c, Collection<String[]> rows) throws SQLException {
      if (rows.isEmpty()) {
        return;
      }
      if (dialect == Dialect.POSTGRESQL) {   // one statement: arrays of each column, unnested
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + entriesTable
            + " (state_name, entry_key, space, alias, tag, entry_value) SELECT ?, u.* FROM unnest(CAST(? AS varchar[]),"
            + " CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS varchar[]), CAST(? AS text[])) AS u"
            + " ON CONFLICT (entry_key, space, state_name) DO UPDATE SET alias = EXCLUDED.alias, tag = EXCLUDED.tag,"
            + " entry_value = EXCLUDED.entry_value")) {
          ps.setString(1, name);
          for (int column = 0; column < 5; column++) {
            int i = column;
            ps.setArray(column + 2, c.createArrayOf(column == 4 ? "text" : "varchar", rows.stream().map(r -> r[i]).toArray()));
          }
          ps.executeUpdate();
        }
        return;
      }
      try (PreparedStatement ps = c.prepareStatement(upsertSql(entriesTable, List.of("entry_key", "space", "state_name"),
          List.of("entry_key", "space", "alias", "tag", "entry_value", "state_name")))) {
        for (String[] r : rows) {
          for (int i = 0; i < 5; i++) {
            ps.setString(i + 1, r[i]);
          }
          ps.setString(6, name);
          ps.addBatch();
        }
        ps.executeBatch();
      }
    }

    @Override
    public void clear() {
      open();
      try {
        Transaction.run(dataSource, c -> {
          fence(c);
          for (String table : List.of(entriesTable, progressTable)) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE state_name = ?")) {
              ps.setString(1, name);
              ps.executeUpdate();
            }
          }
          return null;
        });
      } catch (SQLException e) {
        throw failure(name, "clear", e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      if (lost) {
        closeQuietly(lock.connection(), new SQLException("lost"));
        return;
      }
      try {   // let go cleanly: the next holder has nothing to wait for
        Transaction.run(dataSource, c -> {
          try (PreparedStatement ps = c.prepareStatement("UPDATE " + holdsTable + " SET renewed_at = 0"
              + " WHERE state_name = ? AND token = ?")) {
            ps.setString(1, name);
            ps.setLong(2, token);
            ps.executeUpdate();
          }
          return null;
        });
      } catch (SQLException e) {
        LOG.warn("state '{}' in {}: could not mark its lease let go (SQLState {}); the next holder waits out its grace",
            name, JdbcStateStore.this, e.getSQLState());
      }
      release(name, lock);
    }

    private void open() {
      if (closed) {
        throw new IllegalStateException("state '" + name + "' was closed");
      }
    }
  }

  /** A failure of the database, with its class and SQLState only: a message may quote values. */
  private RuntimeException failure(String name, String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String message = "state '" + name + "' in " + this + ": could not " + what + " (SQLState " + state + ")";
    return JdbcTable.isTransient(e) ? new TransientException(message, e) : new IllegalStateException(message, e);
  }

  @Override
  public String toString() {
    return "JdbcStateStore[" + progressTable + ", " + entriesTable + "]";
  }
}
