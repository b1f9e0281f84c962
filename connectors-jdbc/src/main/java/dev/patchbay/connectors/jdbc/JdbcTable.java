package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Capability;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * One database table as a connector of {@link Fields} records, through a {@link DataSource} the
 * host owns (and closes). The key column gives the record key (as text); mapped columns give the
 * fields (a NULL column is an absent field; DATE and TIMESTAMP values come as {@code LocalDate} and
 * {@code LocalDateTime}).
 *
 * <ul>
 *   <li><b>Reads</b> go in key order, one page per query with keyset pagination ({@code key > ?},
 *       never OFFSET); the checkpoint is the last key read.</li>
 *   <li><b>Changes</b> (when a modification column is given: {@link WithChanges}) go in
 *       (modification time, key) order; the checkpoint is that pair at the column's own precision
 *       (PostgreSQL and H2 microseconds, MariaDB {@code DATETIME(0..6)}), so records sharing one
 *       time are never skipped nor read forever. The column is a TIMESTAMP holding UTC wall-clock
 *       time, or a TIMESTAMP WITH TIME ZONE; any other type is refused at build. The record's
 *       version is its modification time in epoch microseconds. Every write stamps its rows with
 *       the <b>database's</b> clock, read once per batch, never the JVM's nor a record's own
 *       version (another system's clock): the feed's position never runs ahead of what the
 *       table's other users are stamped with. A row committed after rows with later times (a
 *       long transaction) lies before a checkpoint that passed them; {@link Builder#lookBack}
 *       reads such a window again on every pass.</li>
 *   <li><b>Writes</b> run one transaction per batch. The rows held for the batch's keys are read
 *       first, so outcomes are exact on every database and an unchanged record is not written
 *       again; while batches turn out all new (a first load), a batch is inserted without that
 *       read, and one key already there rolls it back to be written the careful way. On
 *       PostgreSQL, such a batch is copied in ({@code COPY FROM STDIN}), and any other is one bulk
 *       upsert statement that reports its own outcomes, with no read first. Upserts use the database's own statement (H2 {@code MERGE}, PostgreSQL
 *       {@code ON CONFLICT}, MariaDB {@code ON DUPLICATE KEY UPDATE}). A row the database refuses
 *       (a constraint, a value it cannot store) is found by splitting the batch, and only it is
 *       rejected; connection and serialization failures are transient.</li>
 *   <li><b>Deletes</b> set a soft-delete column where one is given (the row stays, hidden from reads
 *       and lookups, and shows as a delete in the change feed), or remove the row. Where rows are
 *       removed (by Patchbay or anyone else), the change feed finds deletes by <b>key-set
 *       comparison</b> when given a key snapshot table ({@link Builder#keySnapshot}): after the
 *       modified rows, each pass of the feed yields a delete for every key it yielded before that
 *       the table no longer holds. That comparison costs a scan of the snapshot per pass.</li>
 * </ul>
 *
 * <p>Identifiers are quoted for the database; no SQL is built from record values. Thread-safe.
 */
public sealed class JdbcTable implements Connector, Source<Fields>, Lookup<Fields>, Destination<Fields>
    permits JdbcTable.WithChanges {

  private static final int IN_LIST = 500;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JdbcTable.class);

  final DataSource dataSource;
  /** What the table opened for itself and closes (a pool the connector type made), or null. */
  private final AutoCloseable owned;
  Dialect dialect;
  String table;
  String key;
  Map<String, String> columnsByField;
  String[] fieldNames;
  /** Per field, the java.time class its column is read as, or null for the driver's own choice. */
  Class<?>[] readAs;
  String modifiedAt;
  /** How the modification column holds a time; null without one. */
  TimeColumn modifiedKind;
  final Duration lookBack;
  String softDelete;
  TableSchema.Snapshot keySnapshot;
  final int pageSize;
  final boolean databaseMessages;
  boolean numericKey;
  /** How the key column's collation folds distinct keys together; null where it compares them exactly. */
  KeyFolding folding;
  /** The most characters the key column holds; 0 where it sets no limit the connector knows. */
  int keyLength;
  ConnectorDescription description;

  String selectList;
  String upsertSql;
  String insertSql;
  PgBulk bulk;
  final TableWrites writes = new TableWrites(this);
  String deleteSql;

  /** What was asked for, kept until the table is bound to the database's schema. */
  private final Builder spec;
  /** Whether {@link #bind} has read the schema: every entry point makes sure of it first. */
  private volatile boolean bound;

  private JdbcTable(Builder b) {
    this.dataSource = b.dataSource;
    this.owned = b.owned;
    this.pageSize = b.pageSize;
    this.databaseMessages = b.databaseMessages;
    this.lookBack = b.lookBack;
    this.spec = b;
    try {
      ready();   // a setup error is refused here, at build
    } catch (TransientException e) {
      LOG.info("JdbcTable '{}': the database cannot be reached now ({}); it connects at its first use", b.table,
          e.getCause() == null ? "" : e.getCause().getClass().getSimpleName());
    }
  }

  /**
   * Reads the table's schema, once: at build where the database answers, else at the first use
   * (a database down when the host starts is a connector down, not a host that cannot start).
   *
   * @throws TransientException where the database cannot be reached yet
   * @throws SetupException where the table, a column or a type is not as the builder says
   */
  final void ready() {
    if (!bound) {
      synchronized (this) {
        if (!bound) {
          bind(spec);
          bound = true;
        }
      }
    }
  }

  private void bind(Builder b) {
    TableSchema.Resolved r = TableSchema.resolve(b);
    this.dialect = r.dialect();
    this.table = r.table();
    this.key = r.column(b.key);
    this.numericKey = r.numericKey();
    this.folding = r.folding();
    this.keyLength = r.keyLength();
    Map<String, String> columns = new LinkedHashMap<>();
    b.columns.forEach((field, column) -> columns.put(field, r.column(column)));
    this.columnsByField = Collections.unmodifiableMap(columns);
    this.fieldNames = columns.keySet().toArray(String[]::new);
    this.readAs = columns.values().stream().map(column -> readAs(r.sqlTypes().get(column), r.types().get(column)))
        .toArray(Class<?>[]::new);
    this.modifiedAt = b.modifiedAt == null ? null : r.column(b.modifiedAt);
    this.modifiedKind = r.modifiedKind();
    this.softDelete = b.softDelete == null ? null : r.column(b.softDelete);
    this.keySnapshot = r.snapshot();

    List<String> select = new ArrayList<>();
    select.add(key);
    if (modifiedAt != null) {
      select.add(modifiedAt);
    }
    if (softDelete != null) {
      select.add(softDelete);
    }
    select.addAll(columnsByField.values());
    this.selectList = select.stream().map(dialect::quote).collect(Collectors.joining(", "));

    List<String> written = new ArrayList<>();
    written.add(key);
    written.addAll(columnsByField.values());
    if (modifiedAt != null) {
      written.add(modifiedAt);
    }
    if (softDelete != null) {
      written.add(softDelete);
    }
    this.upsertSql = dialect.upsert(table, key, written);
    this.insertSql = "INSERT INTO " + dialect.quote(table) + " (" + written.stream().map(dialect::quote).collect(Collectors.joining(", "))
        + ") VALUES (" + written.stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    this.bulk = dialect == Dialect.POSTGRESQL
        ? new PgBulk(table, key, written, r.types(), modifiedAt, softDelete, numericKey) : null;
    this.deleteSql = softDelete == null
        ? "DELETE FROM " + dialect.quote(table) + " WHERE " + dialect.quote(key) + " = ?"
        : "UPDATE " + dialect.quote(table) + " SET " + dialect.quote(softDelete) + " = ?"
            + (modifiedAt == null ? "" : ", " + dialect.quote(modifiedAt) + " = ?")
            + " WHERE " + dialect.quote(key) + " = ?";

    ConnectorDescription.Builder d = ConnectorDescription.builder(b.system, b.dataElement)
        .owner(b.owner)
        .method(IntegrationMethod.DATABASE)
        .encryptedTransport(b.encrypted)
        .sensitive(b.sensitive)
        .capabilities(Capability.READ_PAGES, Capability.READ_BY_KEYS, Capability.UPSERT, Capability.DELETE,
            Capability.TRANSACTIONAL_BATCH, Capability.IDEMPOTENT_WRITES, Capability.CONCURRENT_WRITES);
    if (modifiedAt != null) {
      d.capabilities(Capability.READ_CHANGES).modificationTimePrecision(r.modifiedPrecision());
      if (softDelete != null || keySnapshot != null) {
        d.capabilities(Capability.DELETES_VISIBLE);
      }
    }
    this.description = d.build();
  }

  /** A table reached through {@code dataSource}; system, data element, table, key and columns are required. */
  public static Builder builder(DataSource dataSource) {
    return new Builder(dataSource);
  }

  /**
   * What the table is; read from the schema (the modification column's precision), so the first
   * call connects where the build could not.
   */
  @Override
  public ConnectorDescription description() {
    ready();
    return description;
  }

  /** Closes what the table was {@linkplain Builder#owning given to own}; a DataSource handed by the host is the host's to close. */
  @Override
  public void close() {
    if (owned != null) {
      try {
        owned.close();
      } catch (Exception e) {
        LOG.warn("Table '{}': closing its connections failed ({})", table, e.getClass().getSimpleName());
      }
    }
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  public Cursor<Fields> read(Checkpoint after) {
    Objects.requireNonNull(after, "after");
    ready();
    return Cursor.paged(after, pageSize, this::page, r -> Checkpoint.at(r.key()));
  }

  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    ready();
    try (Connection c = dataSource.getConnection()) {
      return held(c, new ArrayList<>(keys));
    } catch (SQLException e) {
      throw failure("read by key", e);
    }
  }

  Map<String, Envelope<Fields>> held(Connection c, List<String> keys) throws SQLException {
    Map<String, Envelope<Fields>> found = new HashMap<>();
    for (int from = 0; from < keys.size(); from += IN_LIST) {
      List<String> chunk = keys.subList(from, Math.min(keys.size(), from + IN_LIST));
      String sql = "SELECT " + selectList + " FROM " + dialect.quote(table) + " WHERE " + dialect.quote(key)
          + " IN (" + chunk.stream().map(k -> "?").collect(Collectors.joining(", ")) + ")" + notDeleted(" AND ");
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          bindKey(ps, i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Envelope<Fields> r = row(rs);
            found.put(r.key(), r);
          }
        }
      }
    }
    return found;
  }

  String notDeleted(String joiner) {
    return softDelete == null ? "" : joiner + dialect.quote(softDelete) + " = FALSE";
  }

  Envelope<Fields> row(ResultSet rs) throws SQLException {
    int i = 1;
    String k = rs.getString(i++);
    long version = 0;
    if (modifiedAt != null) {
      java.time.Instant t = modifiedKind.read(rs, i++);
      version = t == null ? 0 : java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t);
    }
    if (softDelete != null) {
      i++;
    }
    Object[] namesAndValues = new Object[2 * fieldNames.length];
    int n = 0;
    for (int f = 0; f < fieldNames.length; f++) {
      String field = fieldNames[f];
      Object v = readAs[f] == null ? rs.getObject(i++)
          : readAs[f] == java.time.Instant.class ? TimeColumn.INSTANT.read(rs, i++)
          : rs.getObject(i++, readAs[f]);
      if (v instanceof java.sql.Date d) {
        v = d.toLocalDate();
      } else if (v instanceof Timestamp t) {
        v = t.toLocalDateTime();
      }
      if (v != null) {
        namesAndValues[n++] = field;
        namesAndValues[n++] = v;
      }
    }
    return new Envelope<>(k, version, Fields.of(n == namesAndValues.length ? namesAndValues : Arrays.copyOf(namesAndValues, n)));
  }

  /** The page of at most {@code limit} rows after {@code after}, in key order, with a query of its own. */
  private List<Envelope<Fields>> page(Checkpoint after, int limit) {
    String where = after.isStart() ? notDeleted(" WHERE ")
        : " WHERE " + dialect.quote(key) + " > ?" + notDeleted(" AND ");
    String sql = "SELECT " + selectList + " FROM " + dialect.quote(table) + where
        + " ORDER BY " + dialect.quote(key) + " LIMIT " + limit;
    List<Envelope<Fields>> page = new ArrayList<>(limit);
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      if (!after.isStart()) {
        bindKey(ps, 1, after.position());
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          page.add(row(rs));
        }
      }
    } catch (SQLException e) {
      throw failure("read a page", e);
    }
    return page;
  }

  // ---- writes -----------------------------------------------------------------------------------

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    ready();
    return writes.write(batch);
  }

  /**
   * Dates and timestamps without a zone are read as {@code LocalDate} and {@code LocalDateTime}
   * directly: through {@code java.sql.Timestamp} they would pass the JVM's time zone, which shifts
   * times that fall in its daylight-saving gap. Zone-aware timestamps are read as {@code Instant}.
   */
  static Class<?> readAs(Integer sqlType, String typeName) {
    if (sqlType == null) {
      return null;
    }
    if (TableSchema.timeColumn(sqlType, typeName) == TimeColumn.INSTANT) {
      return java.time.Instant.class;
    }
    return switch (sqlType) {
      case Types.TIMESTAMP -> java.time.LocalDateTime.class;
      case Types.DATE -> java.time.LocalDate.class;
      default -> null;
    };
  }

  /**
   * Binds a key by the key column's type: a whole number for an integer column, else text.
   *
   * @throws SetupException where an integer key column is given a key that is not a whole number
   *     (a checkpoint or lookup key from elsewhere; writes reject such keys before binding)
   */
  void bindKey(PreparedStatement ps, int index, String k) throws SQLException {
    if (!numericKey) {
      ps.setString(index, k);
    } else if (isWholeNumber(k)) {
      ps.setLong(index, Long.parseLong(k));
    } else {
      throw new SetupException("table " + table + ": key '" + k + "' is not a whole number, as column " + key + " needs");
    }
  }

  static boolean isWholeNumber(String k) {
    try {
      Long.parseLong(k);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  // ---- errors -----------------------------------------------------------------------------------

  /**
   * One row's fault: SQLState class 22 (data exception), 23 (integrity constraint), P0 (raised by
   * PL/pgSQL, a trigger's {@code RAISE}) or 45 (a MariaDB trigger's {@code SIGNAL}).
   */
  static boolean isDataError(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("P0")
          || state.startsWith("45"))) {
        return true;
      }
      if (s.getNextException() == s) {
        break;
      }
    }
    return e.getCause() instanceof SQLException cause && cause != e && isDataError(cause);
  }

  /** A duplicate key: SQLState 23505 (PostgreSQL, H2), or MariaDB's error 1062. */
  static boolean isUniqueViolation(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && ("23505".equals(s.getSQLState()) || s.getErrorCode() == 1062)) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return e.getNextException() != null && e.getNextException() != e && isUniqueViolation(e.getNextException());
  }

  static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientException || e instanceof SQLRecoverableException
        || (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
            || state.startsWith("57P") || state.equals("HYT00")));
  }

  RuntimeException failure(String what, SQLException e) {
    String message = "table " + table + ": could not " + what + " (SQLState " + e.getSQLState() + "): " + firstLine(e.getMessage());
    return isTransient(e) ? new TransientException(message, e) : new SetupException(message, e);
  }

  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public String toString() {
    return bound ? "JdbcTable[" + description.id() + ", " + dialect + " table " + table + "]"
        : "JdbcTable[" + spec.system + "/" + spec.dataElement + ", table " + spec.table + ", not connected yet]";
  }

  // ---- change feed ------------------------------------------------------------------------------

  /** A {@link JdbcTable} with a modification column: also a {@link ChangeFeed}. */
  public static final class WithChanges extends JdbcTable implements ChangeFeed<Fields> {

    private WithChanges(Builder b) {
      super(b);
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      Objects.requireNonNull(after, "after");
      ready();
      return new FeedCursor(this, after);
    }

    /** The database's clock, the one that stamps the table's writes. */
    @Override
    public java.util.Optional<java.time.Instant> now() {
      JdbcTable t = WithChanges.this;
      t.ready();
      try (Connection c = t.dataSource.getConnection()) {
        return java.util.Optional.of(TimeColumn.databaseNow(c, t.dialect));
      } catch (SQLException e) {
        throw t.failure("read the database's clock", e);
      }
    }

  }

  // ---- builder ----------------------------------------------------------------------------------

  /** Builds a {@link JdbcTable}; {@link #build()} names every missing setting at once. */
  public static final class Builder {
    final DataSource dataSource;
    AutoCloseable owned;
    String system;
    String dataElement;
    String owner;
    String table;
    String key;
    final Map<String, String> columns = new LinkedHashMap<>();
    String modifiedAt;
    String softDelete;
    String keySnapshot;
    Duration lookBack = Duration.ZERO;
    int pageSize = 1_000;
    boolean encrypted;
    boolean databaseMessages = true;
    final Set<String> sensitive = new TreeSet<>();

    private Builder(DataSource dataSource) {
      this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    }

    /** The system and data element the table holds, for the connector's description. */
    public Builder describedAs(String system, String dataElement) {
      this.system = Objects.requireNonNull(system, "system");
      this.dataElement = Objects.requireNonNull(dataElement, "dataElement");
      return this;
    }

    public Builder owner(String owner) {
      this.owner = Objects.requireNonNull(owner, "owner");
      return this;
    }

    /** The table, optionally schema-qualified ("crm.contacts"). */
    public Builder table(String table) {
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** The key column; its values are the record keys, as text. */
    public Builder key(String column) {
      this.key = Objects.requireNonNull(column, "column");
      return this;
    }

    /** A field stored in the column of the same name. */
    public Builder column(String name) {
      return column(name, name);
    }

    /** A field stored in {@code column}. */
    public Builder column(String field, String column) {
      if (columns.put(Objects.requireNonNull(field, "field"), Objects.requireNonNull(column, "column")) != null) {
        throw new SetupException("field '" + field + "' is already mapped");
      }
      return this;
    }

    /** A TIMESTAMP column holding each row's last modification time: enables the change feed. */
    public Builder modifiedAt(String column) {
      this.modifiedAt = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * How far back before its checkpoint each pass of the change feed looks again, for rows
     * committed after rows with later times (a long transaction stamps its rows when it writes
     * them, not when it commits). The checkpoint at the feed's end carries a digest of the window's
     * rows; a pass from it delivers the window again only where that no longer matches (a row came
     * late, or changed), and then at least once, as the feed promises: a consumer holding them
     * finds them unchanged. By default none: set it to the longest write transaction of the
     * table's other writers. A row committed later than this after its time can still be missed.
     */
    public Builder lookBack(Duration window) {
      Objects.requireNonNull(window, "window");
      if (window.isNegative()) {
        throw new SetupException("look-back window must not be negative, was " + window);
      }
      this.lookBack = window;
      return this;
    }

    /** A BOOLEAN column that marks deleted rows, instead of removing them. */
    public Builder softDelete(String column) {
      this.softDelete = Objects.requireNonNull(column, "column");
      return this;
    }

    /**
     * A table of the keys the change feed has yielded, {@code (record_key <key type> PRIMARY KEY,
     * gone BOOLEAN NOT NULL DEFAULT FALSE)}, which the host creates and the connector keeps: with
     * it the feed finds removed rows by key-set comparison and yields them as deletes. For tables
     * without a soft-delete column.
     */
    public Builder keySnapshot(String table) {
      this.keySnapshot = Objects.requireNonNull(table, "table");
      return this;
    }

    /** Rows per read query; 1 to 100,000, by default 1,000. */
    public Builder pageSize(int pageSize) {
      if (pageSize < 1 || pageSize > 100_000) {
        throw new SetupException("page size must be between 1 and 100000, was " + pageSize);
      }
      this.pageSize = pageSize;
      return this;
    }

    /**
     * Whether a row the database refuses is reported with the first line of the database's message
     * ({@code rejected by the database (SQLState 23514): new row ... violates check constraint ...}),
     * as by default, or with its SQLState only: a trigger's message may quote the row's values, and
     * some hosts must not store values in reports.
     */
    public Builder databaseMessages(boolean inReasons) {
      this.databaseMessages = inReasons;
      return this;
    }

    /** Whether the connection is encrypted (TLS); the connector cannot tell from a DataSource. */
    public Builder encryptedTransport(boolean encrypted) {
      this.encrypted = encrypted;
      return this;
    }

    public Builder sensitive(String... fields) {
      sensitive.addAll(List.of(fields));
      return this;
    }

    /**
     * Something the table owns and closes on {@link JdbcTable#close()}: the pool behind the
     * DataSource where the table's maker opened one for it (as the connector type {@code jdbc} does).
     */
    public Builder owning(AutoCloseable resource) {
      this.owned = Objects.requireNonNull(resource, "resource");
      return this;
    }

    /** The table; a {@link WithChanges} where a modification column is given. */
    public JdbcTable build() {
      check(false);
      return modifiedAt == null ? new JdbcTable(this) : new WithChanges(this);
    }

    /**
     * The table with its change feed.
     *
     * @throws SetupException naming the modification column as missing, with anything else missing
     */
    public WithChanges buildWithChanges() {
      check(true);
      return new WithChanges(this);
    }

    private void check(boolean changes) {
      List<String> missing = new ArrayList<>();
      if (system == null) {
        missing.add("a system and data element (describedAs)");
      }
      if (table == null) {
        missing.add("a table");
      }
      if (key == null) {
        missing.add("a key column");
      }
      if (columns.isEmpty()) {
        missing.add("at least one column");
      }
      if ((changes || keySnapshot != null) && modifiedAt == null) {
        missing.add("a modification column (modifiedAt) for its change feed");
      }
      if (!missing.isEmpty()) {
        throw new SetupException("JdbcTable" + (table == null ? "" : " '" + table + "'") + " needs "
            + String.join(", ", missing));
      }
      if (keySnapshot != null && softDelete != null) {
        throw new SetupException("JdbcTable '" + table + "': a soft-delete column and a key snapshot are alternatives;"
            + " give one");
      }
    }
  }
}
