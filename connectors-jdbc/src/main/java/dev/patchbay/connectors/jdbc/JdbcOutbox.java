package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.outbox.OutboxReader;
import dev.patchbay.core.codec.TypedJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An {@link Outbox} in the host's database (H2, PostgreSQL, or MariaDB or MySQL): a table in the
 * layout Debezium's outbox event router reads ({@code id} a UUID, {@code aggregatetype},
 * {@code aggregateid}, {@code type}, {@code payload} as plain JSON text, {@code created_at}), with
 * the outbox's order in {@code seq}, the record's {@code version} and {@code payload_types} (each
 * field's Java type, so the outbox reads back what was appended); and {@code <table>_seq}, one row
 * holding the next position. An append is one transaction that takes that row first: appends are
 * ordered as they commit, so a reader polling by position never passes over an event a slower
 * transaction is still writing. Both tables are created if absent.
 *
 * <pre>{@code
 * Outbox outbox = JdbcOutbox.of(dataSource, "patchbay_outbox");
 * }</pre>
 */
public final class JdbcOutbox implements Outbox {

  private static final Logger LOG = LoggerFactory.getLogger(JdbcOutbox.class);
  private static final int BATCH = 1_000;
  /** PostgreSQL appends up to this many events in one statement (9 parameters each, of at most 32,767). */
  private static final int ONE_STATEMENT = 1_000;
  /** The registry row that holds, in its position, how far a type was purged: no reader is called that. */
  private static final String PURGED = "";

  private final DataSource dataSource;
  private final String table;
  private final String sequence;
  private final String readers;
  private final Dialect dialect;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  private JdbcOutbox(DataSource dataSource, String table) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    if (!table.matches("[A-Za-z][A-Za-z0-9_]{0,50}")) {
      throw new SetupException("outbox table '" + table + "' must be a plain identifier (letters, digits, _)");
    }
    this.table = table;
    this.sequence = table + "_seq";
    this.readers = table + "_readers";
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      this.dialect = Dialect.of(c.getMetaData().getDatabaseProductName());
      s.execute("CREATE TABLE IF NOT EXISTS " + table + " (seq BIGINT NOT NULL PRIMARY KEY, id VARCHAR(36) NOT NULL,"
          + " aggregatetype VARCHAR(255) NOT NULL, aggregateid " + dialect.exactText(768) + " NOT NULL,"
          + " type VARCHAR(16) NOT NULL, version BIGINT NOT NULL, payload " + dialect.longText() + " NOT NULL,"
          + " payload_types " + dialect.longText() + " NOT NULL, created_at TIMESTAMP(6) NOT NULL)");
      s.execute("CREATE INDEX IF NOT EXISTS " + table + "_type ON " + table + " (aggregatetype, seq)");
      s.execute("CREATE TABLE IF NOT EXISTS " + sequence + " (name VARCHAR(16) NOT NULL PRIMARY KEY, next_seq BIGINT NOT NULL)");
      s.execute("CREATE TABLE IF NOT EXISTS " + readers + " (aggregatetype " + dialect.exactText(255) + " NOT NULL,"
          + " reader " + dialect.exactText(255) + " NOT NULL, position BIGINT NOT NULL, joined INTEGER NOT NULL,"
          + " missed BIGINT NOT NULL, PRIMARY KEY (aggregatetype, reader))");
      for (String row : List.of("outbox", "readers")) {
        try {
          s.execute("INSERT INTO " + sequence + " (name, next_seq) VALUES ('" + row + "', 1)");
        } catch (SQLException e) {
          if (e.getSQLState() == null || !e.getSQLState().startsWith("23")) {
            throw e;   // not the row being there already
          }
        }
      }
    } catch (SQLException e) {
      throw new SetupException("outbox: cannot create or reach tables " + table + " and " + sequence
          + " (SQLState " + e.getSQLState() + ")", e);
    }
  }

  /**
   * The outbox in {@code dataSource}'s database, in table {@code table} (and {@code table_seq}).
   *
   * @throws SetupException if the tables cannot be created or reached, or the database is another
   */
  public static JdbcOutbox of(DataSource dataSource, String table) {
    return new JdbcOutbox(dataSource, table);
  }

  @Override
  public List<OutboxEvent> append(String aggregateType, List<Change<Fields>> changes) {
    Objects.requireNonNull(aggregateType, "aggregateType");
    changes.forEach(c -> OutboxEvent.check(aggregateType, c));
    if (changes.isEmpty()) {
      return List.of();
    }
    List<OutboxEvent> appended;
    try {
      appended = dialect == Dialect.POSTGRESQL && changes.size() <= ONE_STATEMENT
          ? appendInOneStatement(aggregateType, changes) : appendInTransaction(aggregateType, changes);
    } catch (SQLException e) {
      throw failure("append to", e);
    }
    long upTo = appended.get(appended.size() - 1).position();
    listeners.forEach(l -> l.accept(upTo));
    return appended;
  }

  private List<OutboxEvent> appendInTransaction(String aggregateType, List<Change<Fields>> changes) throws SQLException {
    return Transaction.run(dataSource, c -> {
      long first;
      try (PreparedStatement take = c.prepareStatement("UPDATE " + sequence + " SET next_seq = next_seq + ? WHERE name = 'outbox'")) {
        take.setLong(1, changes.size());
        take.executeUpdate();   // the row stays locked until this transaction ends: appends are ordered as they commit
      }
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT next_seq FROM " + sequence + " WHERE name = 'outbox'")) {
        rs.next();
        first = rs.getLong(1) - changes.size();
      }
      Instant now = Instant.now();
      List<OutboxEvent> events = new ArrayList<>(changes.size());
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
          + " (seq, id, aggregatetype, aggregateid, type, version, payload, payload_types, created_at)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
        int pending = 0;
        for (Change<Fields> change : changes) {
          OutboxEvent e = OutboxEvent.of(first + events.size(), aggregateType, change, now);
          events.add(e);
          ps.setLong(1, e.position());
          ps.setString(2, e.id());
          ps.setString(3, e.aggregateType());
          ps.setString(4, e.aggregateId());
          ps.setString(5, e.type());
          ps.setLong(6, e.version());
          ps.setString(7, TypedJson.writePlain(e.payload()));
          ps.setString(8, TypedJson.writeTypes(e.payload()));
          ps.setTimestamp(9, Timestamp.from(e.at()));
          ps.addBatch();
          if (++pending == BATCH) {
            ps.executeBatch();
            pending = 0;
          }
        }
        if (pending > 0) {
          ps.executeBatch();
        }
      }
      if (dialect == Dialect.POSTGRESQL) {   // told to listeners when this transaction commits, never before
        try (PreparedStatement s = c.prepareStatement("SELECT pg_notify(?, ?)")) {
          s.setString(1, table.toLowerCase(java.util.Locale.ROOT));
          s.setString(2, Long.toString(events.get(events.size() - 1).position()));
          s.execute();
        }
      }
      return events;
    });
  }

  /**
   * PostgreSQL's append, in one statement and so one round trip and one transaction: the sequence
   * row taken (and locked to the commit, as in the general append), the notification sent, the rows
   * inserted; their positions read back.
   */
  private List<OutboxEvent> appendInOneStatement(String aggregateType, List<Change<Fields>> changes) throws SQLException {
    StringBuilder sql = new StringBuilder("WITH s AS (UPDATE ").append(sequence)
        .append(" SET next_seq = next_seq + ? WHERE name = 'outbox' RETURNING next_seq - ? AS first),"
            + " n AS (SELECT pg_notify(?, CAST(s.first + ? - 1 AS TEXT)) AS told FROM s) INSERT INTO ").append(table)
        .append(" (seq, id, aggregatetype, aggregateid, type, version, payload, payload_types, created_at)"
            + " SELECT s.first + v.i, v.id, v.agg, v.aid, v.type, v.version, v.payload, v.types, v.at FROM s CROSS JOIN n"
            + " CROSS JOIN"
            + " (VALUES ");
    for (int i = 0; i < changes.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append("(CAST(? AS INTEGER), CAST(? AS VARCHAR(36)), CAST(? AS VARCHAR(255)),"
          + " CAST(? AS TEXT), CAST(? AS VARCHAR(16)), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS TEXT),"
          + " CAST(? AS TIMESTAMP(6)))");
    }
    sql.append(") AS v(i, id, agg, aid, type, version, payload, types, at) RETURNING seq");
    Instant now = Instant.now();
    List<OutboxEvent> drafts = new ArrayList<>(changes.size());
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql.toString())) {
      if (!c.getAutoCommit()) {
        c.setAutoCommit(true);   // the statement is its own transaction
      }
      int p = 1;
      ps.setLong(p++, changes.size());
      ps.setLong(p++, changes.size());
      ps.setString(p++, table.toLowerCase(java.util.Locale.ROOT));
      ps.setLong(p++, changes.size());
      for (Change<Fields> change : changes) {
        OutboxEvent e = OutboxEvent.of(0, aggregateType, change, now);
        ps.setInt(p++, drafts.size());
        drafts.add(e);
        ps.setString(p++, e.id());
        ps.setString(p++, e.aggregateType());
        ps.setString(p++, e.aggregateId());
        ps.setString(p++, e.type());
        ps.setLong(p++, e.version());
        ps.setString(p++, TypedJson.writePlain(e.payload()));
        ps.setString(p++, TypedJson.writeTypes(e.payload()));
        ps.setTimestamp(p++, Timestamp.from(e.at()));
      }
      long first = Long.MAX_VALUE;
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          first = Math.min(first, rs.getLong(1));
        }
      }
      List<OutboxEvent> events = new ArrayList<>(drafts.size());
      for (int i = 0; i < drafts.size(); i++) {
        OutboxEvent d = drafts.get(i);
        events.add(new OutboxEvent(first + i, d.id(), d.aggregateType(), d.aggregateId(), d.type(), d.version(), d.payload(),
            d.at()));
      }
      return events;
    }
  }

  /**
   * Tells {@code listener} of appends made through this object; on PostgreSQL also of appends
   * by any process, through {@code LISTEN/NOTIFY} on the channel named as the table (each append
   * notifies as it commits): a thread of the subscription's own holds one connection, listening.
   * Elsewhere, appends by other processes are found by polling only.
   */
  @Override
  public AutoCloseable subscribe(LongConsumer listener) {
    Objects.requireNonNull(listener, "listener");
    listeners.add(listener);
    Listening listening = dialect == Dialect.POSTGRESQL ? new Listening(listener) : null;
    return () -> {
      listeners.remove(listener);
      if (listening != null) {
        listening.close();
      }
    };
  }

  /**
   * A PostgreSQL {@code LISTEN} on the outbox's channel, on a connection and thread of its own; the
   * driver's {@code PGConnection.getNotifications(timeout)} is called by reflection, so the driver
   * stays the host's. A lost connection is opened again after a second.
   */
  private final class Listening implements AutoCloseable {

    private final LongConsumer listener;
    private final Thread thread;
    private volatile boolean closed;

    Listening(LongConsumer listener) {
      this.listener = listener;
      this.thread = new Thread(this::listen, "outbox-" + table + "-listen");
      thread.setDaemon(true);
      thread.start();
    }

    private void listen() {
      while (!closed) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
          s.execute("LISTEN " + table);
          Class<?> pg = Class.forName("org.postgresql.PGConnection", true, c.getClass().getClassLoader());
          Object connection = c.unwrap(pg);
          java.lang.reflect.Method poll = pg.getMethod("getNotifications", int.class);
          Class<?> notification = Class.forName("org.postgresql.PGNotification", true, c.getClass().getClassLoader());
          java.lang.reflect.Method parameter = notification.getMethod("getParameter");
          listener.accept(0);   // what was appended before LISTEN took hold: the reader looks
          while (!closed) {
            Object[] got = (Object[]) poll.invoke(connection, 500);
            long upTo = -1;
            for (int i = 0; got != null && i < got.length; i++) {
              upTo = Math.max(upTo, position((String) parameter.invoke(got[i])));
            }
            if (upTo >= 0) {
              listener.accept(upTo);
            }
          }
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
          if (!closed) {
            LOG.warn("outbox {}: listening failed ({}); again in 1 s", table, e.getClass().getSimpleName());
            try {
              Thread.sleep(1_000);
            } catch (InterruptedException x) {
              return;
            }
          }
        }
      }
    }

    /** The position a notification carries; 0 (look) where it carries none. */
    private static long position(String payload) {
      try {
        return payload == null || payload.isEmpty() ? 0 : Long.parseLong(payload);
      } catch (NumberFormatException e) {
        return 0;
      }
    }

    @Override
    public void close() {
      closed = true;
      thread.interrupt();
      try {
        thread.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<OutboxEvent> after(String aggregateType, long position, int limit) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT seq, id, aggregatetype, aggregateid, type, version, payload, payload_types, created_at FROM " + table
            + " WHERE aggregatetype = ? AND seq > ? ORDER BY seq LIMIT ?")) {
      ps.setString(1, aggregateType);
      ps.setLong(2, position);
      ps.setInt(3, limit);
      List<OutboxEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(new OutboxEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getLong(6), TypedJson.read(rs.getString(7), rs.getString(8)), rs.getTimestamp(9).toInstant()));
        }
      }
      return out;
    } catch (SQLException e) {
      throw failure("read", e);
    }
  }

  @Override
  public long end() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT next_seq FROM " + sequence + " WHERE name = 'outbox'")) {
      rs.next();
      return rs.getLong(1) - 1;
    } catch (SQLException e) {
      throw failure("read the end of", e);
    }
  }

  @Override
  public long end(String aggregateType) {
    try (Connection c = dataSource.getConnection()) {
      long last = longOf(c, "SELECT MAX(seq) FROM " + table + " WHERE aggregatetype = ?", aggregateType);
      return last > 0 ? last : purgedThrough(c, aggregateType);   // all purged: the last one purged was the last
    } catch (SQLException e) {
      throw failure("read the end of", e);
    }
  }

  @Override
  public long size(String aggregateType) {
    try (Connection c = dataSource.getConnection()) {
      return longOf(c, "SELECT COUNT(*) FROM " + table + " WHERE aggregatetype = ?", aggregateType);
    } catch (SQLException e) {
      throw failure("count", e);
    }
  }

  @Override
  public Optional<OutboxReader> reader(String aggregateType, String name) {
    return readers(aggregateType).stream().filter(r -> r.name().equals(name)).findFirst();
  }

  @Override
  public List<OutboxReader> readers(String aggregateType) {
    try (Connection c = dataSource.getConnection()) {
      return readers(c, aggregateType, false);
    } catch (SQLException e) {
      throw failure("read the readers of", e);
    }
  }

  @Override
  public OutboxReader join(String aggregateType, String name, long position) {
    checkReader(name);
    return registry("join a reader to", c -> {
      OutboxReader next = OutboxReader.joining(readerOf(c, aggregateType, name), aggregateType, name, position,
          purgedThrough(c, aggregateType));
      put(c, next);
      return next;
    });
  }

  @Override
  public OutboxReader joinAtEnd(String aggregateType, String name) {
    checkReader(name);
    return registry("join a reader to", c -> {
      long end;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT next_seq FROM " + sequence
          + " WHERE name = 'outbox'")) {
        rs.next();
        end = rs.getLong(1) - 1;
      }
      OutboxReader next = new OutboxReader(aggregateType, name, end, true, 0);
      put(c, next);
      return next;
    });
  }

  @Override
  public void advance(String aggregateType, String name, long position) {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("UPDATE " + readers
        + " SET position = ? WHERE aggregatetype = ? AND reader = ? AND joined = 1 AND position < ?")) {
      ps.setLong(1, position);
      ps.setString(2, aggregateType);
      ps.setString(3, name);
      ps.setLong(4, position);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw failure("advance a reader of", e);
    }
  }

  @Override
  public OutboxReader forget(String aggregateType, String name, long position) {
    checkReader(name);
    return registry("forget a reader of", c -> {
      OutboxReader next = OutboxReader.forgetting(readerOf(c, aggregateType, name), aggregateType, name, position);
      put(c, next);
      return next;
    });
  }

  @Override
  public int purge(String aggregateType, int limit) {
    return registry("purge", c -> {
      List<OutboxReader> all = readers(c, aggregateType, false);
      long below = all.stream().filter(OutboxReader::joined).mapToLong(OutboxReader::position).min().orElse(-1);
      if (below <= 0) {
        return 0;
      }
      long through;
      try (PreparedStatement ps = c.prepareStatement("SELECT MAX(seq) FROM (SELECT seq FROM " + table
          + " WHERE aggregatetype = ? AND seq <= ? ORDER BY seq LIMIT ?) oldest")) {
        ps.setString(1, aggregateType);
        ps.setLong(2, below);
        ps.setInt(3, limit);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          through = rs.getLong(1);
          if (rs.wasNull()) {
            return 0;
          }
        }
      }
      for (OutboxReader r : all) {   // what goes past a reader that is away, counted as missed by it
        if (!r.joined() && r.missed() >= 0 && r.position() < through) {
          try (PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM " + table
              + " WHERE aggregatetype = ? AND seq > ? AND seq <= ?")) {
            ps.setString(1, aggregateType);
            ps.setLong(2, r.position());
            ps.setLong(3, through);
            try (ResultSet rs = ps.executeQuery()) {
              rs.next();
              put(c, new OutboxReader(aggregateType, r.name(), r.position(), false, r.missed() + rs.getLong(1)));
            }
          }
        }
      }
      int removed;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table + " WHERE aggregatetype = ? AND seq <= ?")) {
        ps.setString(1, aggregateType);
        ps.setLong(2, through);   // at most limit rows: those the bounded query found
        removed = ps.executeUpdate();
      }
      if (through > purgedThrough(c, aggregateType)) {
        put(c, new OutboxReader(aggregateType, PURGED, through, false, 0));
      }
      return removed;
    });
  }

  @Override
  public long purgedThrough(String aggregateType) {
    try (Connection c = dataSource.getConnection()) {
      return purgedThrough(c, aggregateType);
    } catch (SQLException e) {
      throw failure("read what was purged of", e);
    }
  }

  /** The registry's row (reader {@value #PURGED}) holding how far a type was purged. */
  private long purgedThrough(Connection c, String aggregateType) throws SQLException {
    OutboxReader row = readerOf(c, aggregateType, PURGED);
    return row == null ? 0 : row.position();
  }

  /**
   * Work on the registry in one transaction that first takes the {@code readers} row of the
   * sequence table: joins, forgets and purges one after another, across processes.
   */
  private <T> T registry(String what, Transaction.Work<T> work) {
    try {
      return Transaction.run(dataSource, c -> {
        try (Statement s = c.createStatement()) {
          s.executeUpdate("UPDATE " + sequence + " SET next_seq = next_seq WHERE name = 'readers'");
        }
        return work.run(c);
      });
    } catch (SQLException e) {
      throw failure(what, e);
    }
  }

  private static void checkReader(String name) {
    if (name == null || name.isEmpty() || name.length() > 255) {
      throw new IllegalArgumentException("a reader's name is 1 to 255 characters, not '" + name + "'");
    }
  }

  private OutboxReader readerOf(Connection c, String aggregateType, String name) throws SQLException {
    return readers(c, aggregateType, true).stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
  }

  private List<OutboxReader> readers(Connection c, String aggregateType, boolean withPurged) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT reader, position, joined, missed FROM " + readers
        + " WHERE aggregatetype = ? ORDER BY reader")) {
      ps.setString(1, aggregateType);
      List<OutboxReader> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          if (withPurged || !rs.getString(1).equals(PURGED)) {
            out.add(new OutboxReader(aggregateType, rs.getString(1), rs.getLong(2), rs.getInt(3) == 1, rs.getLong(4)));
          }
        }
      }
      return out;
    }
  }

  private void put(Connection c, OutboxReader r) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(dialect.upsert(dialect.folded(readers),
        List.of(dialect.folded("aggregatetype"), dialect.folded("reader")),
        List.of("aggregatetype", "reader", "position", "joined", "missed").stream().map(dialect::folded).toList()))) {
      ps.setString(1, r.aggregateType());
      ps.setString(2, r.name());
      ps.setLong(3, r.position());
      ps.setInt(4, r.joined() ? 1 : 0);
      ps.setLong(5, r.missed());
      ps.executeUpdate();
    }
  }

  private static long longOf(Connection c, String sql, String parameter) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, parameter);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  /** A failure of the database, with its class and SQLState only: a message may quote values. */
  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("outbox " + table + ": could not " + what + " it (SQLState " + e.getSQLState() + ")", e);
  }

  @Override
  public String toString() {
    return "JdbcOutbox[" + dialect + " table " + table + "]";
  }
}
