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
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
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
import java.util.LinkedHashSet;
import java.util.Locale;
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

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;
  private final String key;
  private final Map<String, String> columnsByField;
  private final String[] fieldNames;
  /** Per field, the java.time class its column is read as, or null for the driver's own choice. */
  private final Class<?>[] readAs;
  private final String modifiedAt;
  /** How the modification column holds a time; null without one. */
  private final TimeColumn modifiedKind;
  private final Duration lookBack;
  private final String softDelete;
  private final Snapshot keySnapshot;
  private final int pageSize;
  private final boolean databaseMessages;
  private final boolean numericKey;
  /** How the key column's collation folds distinct keys together; null where it compares them exactly. */
  private final KeyFolding folding;
  /** The most characters the key column holds; 0 where it sets no limit the connector knows. */
  private final int keyLength;
  private final ConnectorDescription description;

  private final String selectList;
  private final String upsertSql;
  private final String insertSql;
  private final PgBulk bulk;
  /** Whether the last batch was all new: the next is then inserted without reading first. */
  private volatile boolean optimistic = true;
  private final String deleteSql;

  private JdbcTable(Builder b) {
    this.dataSource = b.dataSource;
    this.pageSize = b.pageSize;
    this.databaseMessages = b.databaseMessages;
    Resolved r = resolve(b);
    this.dialect = r.dialect;
    this.table = r.table;
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
    this.lookBack = b.lookBack;
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
            Capability.TRANSACTIONAL_BATCH, Capability.IDEMPOTENT_WRITES);
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

  @Override
  public ConnectorDescription description() {
    return description;
  }

  /** Holds nothing of its own: the DataSource is the host's to close. */
  @Override
  public void close() {
  }

  // ---- reads ------------------------------------------------------------------------------------

  @Override
  public Cursor<Fields> read(Checkpoint after) {
    Objects.requireNonNull(after, "after");
    return new PagedCursor(after);
  }

  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    try (Connection c = dataSource.getConnection()) {
      return held(c, new ArrayList<>(keys));
    } catch (SQLException e) {
      throw failure("read by key", e);
    }
  }

  private Map<String, Envelope<Fields>> held(Connection c, List<String> keys) throws SQLException {
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

  private String notDeleted(String joiner) {
    return softDelete == null ? "" : joiner + dialect.quote(softDelete) + " = FALSE";
  }

  private Envelope<Fields> row(ResultSet rs) throws SQLException {
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

  /** Reads pages of {@code pageSize} rows in key order, each with its own query. */
  private final class PagedCursor implements Cursor<Fields> {
    private final Pages<Envelope<Fields>> pages;

    PagedCursor(Checkpoint after) {
      this.pages = new Pages<>(after, pageSize, this::fetch);
    }

    @Override
    public boolean hasNext() {
      return pages.hasNext();
    }

    @Override
    public Envelope<Fields> next() {
      return pages.next();
    }

    @Override
    public Checkpoint checkpoint() {
      return pages.checkpoint();
    }

    private void fetch(Checkpoint after, List<Envelope<Fields>> page, List<Checkpoint> positions) {
      String where = after.isStart() ? notDeleted(" WHERE ")
          : " WHERE " + dialect.quote(key) + " > ?" + notDeleted(" AND ");
      String sql = "SELECT " + selectList + " FROM " + dialect.quote(table) + where
          + " ORDER BY " + dialect.quote(key) + " LIMIT " + pageSize;
      try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
        if (!after.isStart()) {
          bindKey(ps, 1, after.position());
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Envelope<Fields> r = row(rs);
            page.add(r);
            positions.add(Checkpoint.at(r.key()));
          }
        }
      } catch (SQLException e) {
        throw failure("read a page", e);
      }
    }
  }

  // ---- writes -----------------------------------------------------------------------------------

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    Map<String, Outcome> outcomes = new HashMap<>();
    List<Change<Fields>> writable = new ArrayList<>(batch.size());
    Map<String, String> folded = foldedWithin(batch);
    for (Change<Fields> change : batch) {
      Outcome refused = folded.containsKey(change.key()) ? foldRefusal(change.key(), folded.get(change.key()))
          : refusal(change);
      if (refused == null) {
        writable.add(change);
      } else {
        outcomes.put(change.key(), refused);
      }
    }
    if (!writable.isEmpty()) {
      writeSplitting(writable, outcomes);
    }
    List<Outcome> ordered = new ArrayList<>(batch.size());
    batch.forEach(change -> ordered.add(outcomes.get(change.key())));
    return ordered;
  }

  /** Keys of {@code batch} the key column's collation takes as an earlier key of it, with that key. */
  private Map<String, String> foldedWithin(List<Change<Fields>> batch) {
    if (folding == null) {
      return Map.of();
    }
    try (Connection c = dataSource.getConnection()) {
      return folding.foldedWithin(c, batch.stream().map(Change::key).toList());
    } catch (SQLException e) {
      throw failure("compare keys by the key column's collation", e);
    }
  }

  private Outcome foldRefusal(String key, String sameAs) {
    return Outcome.rejected(key, null, "key '" + key + "' is the same key as '" + sameAs + "' to the database (its"
        + " collation " + folding.collation() + " folds them); not written, so that neither record overwrites the other");
  }

  /** Why the table cannot hold {@code change} as it is, before anything is written; null where it can. */
  private Outcome refusal(Change<Fields> change) {
    if (numericKey && !isWholeNumber(change.key())) {
      return Outcome.rejected(change.key(), key, "key '" + change.key() + "' is not a whole number, as column " + key + " needs");
    }
    // H2 counts UTF-16 units; PostgreSQL and MariaDB count characters (code points).
    boolean units = dialect == Dialect.H2;
    int characters = units ? change.key().length() : change.key().codePointCount(0, change.key().length());
    if (keyLength > 0 && characters > keyLength) {
      String cut = change.key().substring(0, units ? keyLength : change.key().offsetByCodePoints(0, keyLength));
      return Outcome.rejected(change.key(), key, "key '" + change.key() + "' is " + characters + " characters long, more than"
          + " the " + keyLength + " column " + key + " holds; not written, so that it is never cut to '" + cut
          + "', another record's key");
    }
    if (change instanceof Change.Upsert<Fields> u) {
      List<String> unmapped = null;
      for (String name : u.record().payload().names()) {
        if (!columnsByField.containsKey(name)) {
          (unmapped == null ? unmapped = new ArrayList<>() : unmapped).add(name);
        }
      }
      if (unmapped != null) {
        return Outcome.rejected(change.key(), unmapped.get(0), "field" + (unmapped.size() == 1 ? " " : "s ")
            + String.join(", ", unmapped) + (unmapped.size() == 1 ? " is" : " are")
            + " not mapped to a column of the table; nothing of the record was written");
      }
    }
    return null;
  }

  /** Writes {@code batch} in one transaction; where the database refuses a row, halves the batch to find it. */
  private void writeSplitting(List<Change<Fields>> batch, Map<String, Outcome> outcomes) {
    try {
      try {
        Map<String, Outcome> inserted = optimistic ? insertAll(batch) : null;
        outcomes.putAll(inserted != null ? inserted : writeTransaction(batch, true));
      } catch (SQLException e) {
        if (!isUniqueViolation(e)) {
          throw e;
        }
        // Another writer inserted one of the keys after they were read: write the batch as upserts only.
        outcomes.putAll(writeTransaction(batch, false));
      }
    } catch (SQLException e) {
      if (!isDataError(e)) {
        throw failure("write a batch of " + batch.size(), e);
      }
      if (batch.size() == 1) {
        String k = batch.get(0).key();
        outcomes.put(k, Outcome.rejected(k, null, "rejected by the database (SQLState " + e.getSQLState() + ")"
            + (databaseMessages ? ": " + firstLine(e.getMessage()) : "")));
        return;
      }
      int half = batch.size() / 2;
      writeSplitting(batch.subList(0, half), outcomes);
      writeSplitting(batch.subList(half, batch.size()), outcomes);
    }
  }

  /**
   * Inserts every record of {@code batch} in one transaction without reading first (on PostgreSQL
   * by COPY): all CREATED.
   * Null, with nothing written, where one of the keys is already there (or the batch holds
   * deletes); inserting first is then set aside until a batch is found to be all new again.
   */
  private Map<String, Outcome> insertAll(List<Change<Fields>> batch) throws SQLException {
    if (!batch.stream().allMatch(change -> change instanceof Change.Upsert<Fields>)) {
      return null;
    }
    try {
      return transaction(c -> {
        java.time.Instant now = stamp(c);
        if (bulk != null) {
          if (bulk.copyNew(c, batch.stream().map(change -> asText(((Change.Upsert<Fields>) change).record(), now)).toList())) {
            Map<String, Outcome> outcomes = new HashMap<>();
            batch.forEach(change -> outcomes.put(change.key(), Outcome.created(change.key())));
            return outcomes;
          }
        }
        try (PreparedStatement insert = c.prepareStatement(insertSql)) {
          Map<String, Outcome> outcomes = new HashMap<>();
          for (Change<Fields> change : batch) {
            bindUpsert(insert, ((Change.Upsert<Fields>) change).record(), now);
            insert.addBatch();
            outcomes.put(change.key(), Outcome.created(change.key()));
          }
          insert.executeBatch();
          return outcomes;
        }
      });
    } catch (SQLException e) {
      if (!isUniqueViolation(e)) {
        throw e;
      }
      optimistic = false;
      return null;
    }
  }

  /**
   * Writes {@code batch} in one transaction. Rows read as absent are inserted where
   * {@code insertNew}, else upserted like changed rows.
   */
  private Map<String, Outcome> writeTransaction(List<Change<Fields>> batch, boolean insertNew) throws SQLException {
    Map<String, Outcome> written = transaction(c -> {
      Map<String, Outcome> outcomes = new HashMap<>();
      List<Change<Fields>> rest = batch;
      java.time.Instant now = stamp(c);
      if (bulk != null) {
        List<String[]> upserts = new ArrayList<>();
        batch.forEach(change -> {
          if (change instanceof Change.Upsert<Fields> u) {
            upserts.add(asText(u.record(), now));
          }
        });
        if (!upserts.isEmpty()) {
          outcomes.putAll(bulk.upsert(c, upserts));
        }
        rest = batch.stream().filter(change -> change instanceof Change.Delete<Fields>).toList();
      }
      Map<String, Envelope<Fields>> held = rest.isEmpty() ? Map.of() : held(c, rest.stream().map(Change::key).toList());
      Map<String, String> folded = folding == null || held.isEmpty() ? Map.of()
          : folding.foldedIntoStored(c, rest.stream().map(Change::key).toList(), held.keySet());
      try (PreparedStatement upsert = c.prepareStatement(upsertSql);
           PreparedStatement insert = c.prepareStatement(insertSql);
           PreparedStatement delete = c.prepareStatement(deleteSql)) {
        int upserts = 0;
        int inserts = 0;
        int deletes = 0;
        for (Change<Fields> change : rest) {
          if (folded.containsKey(change.key())) {
            outcomes.put(change.key(), foldRefusal(change.key(), folded.get(change.key())));
            continue;
          }
          Envelope<Fields> current = held.get(change.key());
          if (change instanceof Change.Upsert<Fields> u) {
            if (current != null && sameValues(current.payload(), u.record().payload())) {
              outcomes.put(change.key(), Outcome.unchanged(change.key()));
              continue;
            }
            if (current == null && insertNew) {
              bindUpsert(insert, u.record(), now);
              insert.addBatch();
              inserts++;
            } else {
              bindUpsert(upsert, u.record(), now);
              upsert.addBatch();
              upserts++;
            }
            outcomes.put(change.key(), current == null ? Outcome.created(change.key()) : Outcome.updated(change.key()));
          } else {
            if (current == null) {
              outcomes.put(change.key(), Outcome.unchanged(change.key()));
              continue;
            }
            bindDelete(delete, (Change.Delete<Fields>) change, now);
            delete.addBatch();
            deletes++;
            outcomes.put(change.key(), Outcome.deleted(change.key()));
          }
        }
        if (inserts > 0) {
          insert.executeBatch();
        }
        if (upserts > 0) {
          upsert.executeBatch();
        }
        if (deletes > 0) {
          delete.executeBatch();
        }
      }
      return outcomes;
    });
    optimistic = written.values().stream().allMatch(o -> o instanceof Outcome.Created);
    return written;
  }

  /** Work done in one transaction on one connection. */
  @FunctionalInterface
  private interface InTransaction<T> {
    T run(Connection c) throws SQLException;
  }

  /** Runs {@code work} in one transaction: committed if it returns, rolled back if it throws. */
  private <T> T transaction(InTransaction<T> work) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        try {
          c.rollback();
        } catch (SQLException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      } finally {
        c.setAutoCommit(autoCommit);
      }
    }
  }

  /**
   * The time a write transaction stamps its rows with: the database's clock, read once per batch;
   * null without a modification column. A record's own version is never written as the time: it
   * may come from another system's clock.
   */
  private java.time.Instant stamp(Connection c) throws SQLException {
    return modifiedAt == null ? null : TimeColumn.databaseNow(c, dialect);
  }

  private void bindUpsert(PreparedStatement ps, Envelope<Fields> record, java.time.Instant now) throws SQLException {
    int i = 1;
    bindKey(ps, i++, record.key());
    for (String field : columnsByField.keySet()) {
      bindValue(ps, i++, record.payload().get(field));
    }
    if (modifiedAt != null) {
      modifiedKind.bind(ps, i++, now);
    }
    if (softDelete != null) {
      ps.setBoolean(i, false);
    }
  }

  /**
   * Dates and timestamps without a zone are read as {@code LocalDate} and {@code LocalDateTime}
   * directly: through {@code java.sql.Timestamp} they would pass the JVM's time zone, which shifts
   * times that fall in its daylight-saving gap. Zone-aware timestamps are read as {@code Instant}.
   */
  private static Class<?> readAs(Integer sqlType, String typeName) {
    if (sqlType == null) {
      return null;
    }
    if (timeColumn(sqlType, typeName) == TimeColumn.INSTANT) {
      return java.time.Instant.class;
    }
    return switch (sqlType) {
      case Types.TIMESTAMP -> java.time.LocalDateTime.class;
      case Types.DATE -> java.time.LocalDate.class;
      default -> null;
    };
  }

  /** Binds a field value with the setter of its type, which drivers convert faster than {@code setObject}. */
  private static void bindValue(PreparedStatement ps, int index, Object v) throws SQLException {
    if (v instanceof String text) {
      ps.setString(index, text);
    } else if (v instanceof Long n) {
      ps.setLong(index, n);
    } else if (v instanceof Integer n) {
      ps.setInt(index, n);
    } else if (v instanceof BigDecimal d) {
      ps.setBigDecimal(index, d);
    } else if (v instanceof Boolean b) {
      ps.setBoolean(index, b);
    } else if (v instanceof java.time.Instant t) {
      TimeColumn.INSTANT.bind(ps, index, t);
    } else {
      ps.setObject(index, v);
    }
  }

  private void bindDelete(PreparedStatement ps, Change.Delete<Fields> delete, java.time.Instant now) throws SQLException {
    int i = 1;
    if (softDelete != null) {
      ps.setBoolean(i++, true);
      if (modifiedAt != null) {
        modifiedKind.bind(ps, i++, now);
      }
    }
    bindKey(ps, i, delete.key());
  }

  /**
   * Binds a key by the key column's type: a whole number for an integer column, else text.
   *
   * @throws SetupException where an integer key column is given a key that is not a whole number
   *     (a checkpoint or lookup key from elsewhere; writes reject such keys before binding)
   */
  private void bindKey(PreparedStatement ps, int index, String k) throws SQLException {
    if (!numericKey) {
      ps.setString(index, k);
    } else if (isWholeNumber(k)) {
      ps.setLong(index, Long.parseLong(k));
    } else {
      throw new SetupException("table " + table + ": key '" + k + "' is not a whole number, as column " + key + " needs");
    }
  }

  private static boolean isWholeNumber(String k) {
    try {
      Long.parseLong(k);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** A record as the text of its written columns, key first, for {@link PgBulk}. */
  private String[] asText(Envelope<Fields> record, java.time.Instant now) {
    String[] row = new String[1 + columnsByField.size() + (modifiedAt != null ? 1 : 0) + (softDelete != null ? 1 : 0)];
    int i = 0;
    row[i++] = record.key();
    for (String field : columnsByField.keySet()) {
      row[i++] = text(record.payload().get(field));
    }
    if (modifiedAt != null) {
      row[i++] = modifiedKind.text(now);
    }
    if (softDelete != null) {
      row[i] = "false";
    }
    return row;
  }

  /** A field value as the text PostgreSQL casts back to the column's type. */
  private static String text(Object v) {
    if (v == null) {
      return null;
    }
    if (v instanceof BigDecimal d) {
      return d.toPlainString();
    }
    return v.toString();
  }

  /** Equal on the mapped fields, numbers by value (a Long written may come back as an Integer or BigDecimal). */
  private boolean sameValues(Fields held, Fields desired) {
    for (String field : columnsByField.keySet()) {
      if (!Fields.sameValue(held.get(field), desired.get(field))) {
        return false;
      }
    }
    return true;
  }

  // ---- errors -----------------------------------------------------------------------------------

  /**
   * One row's fault: SQLState class 22 (data exception), 23 (integrity constraint), P0 (raised by
   * PL/pgSQL, a trigger's {@code RAISE}) or 45 (a MariaDB trigger's {@code SIGNAL}).
   */
  private static boolean isDataError(SQLException e) {
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
  private static boolean isUniqueViolation(SQLException e) {
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

  private static boolean isTransient(SQLException e) {
    String state = e.getSQLState();
    return e instanceof SQLTransientException || e instanceof SQLRecoverableException
        || (state != null && (state.startsWith("08") || state.equals("40001") || state.equals("40P01")
            || state.startsWith("57P") || state.equals("HYT00")));
  }

  private RuntimeException failure(String what, SQLException e) {
    String message = "table " + table + ": could not " + what + " (SQLState " + e.getSQLState() + "): " + firstLine(e.getMessage());
    return isTransient(e) ? new TransientException(message, e) : new SetupException(message, e);
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /** The database, and the table and column names as the database stores them. */
  private record Resolved(Dialect dialect, String table, Map<String, String> columns, boolean numericKey,
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
  private static Resolved resolve(Builder b) {
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
      throw new SetupException("JdbcTable '" + b.table + "': cannot read the database's metadata (SQLState "
          + e.getSQLState() + "): " + firstLine(e.getMessage()), e);
    }
  }

  /** How a column of this JDBC type and type name holds a time; null where it holds none the feed can order exactly. */
  private static TimeColumn timeColumn(int sqlType, String typeName) {
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
  private record Snapshot(String table, String key, String gone) {
  }

  @Override
  public String toString() {
    return "JdbcTable[" + description.id() + ", " + dialect + " table " + table + "]";
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
      return new FeedCursor(after);
    }

    /** The database's clock, the one that stamps the table's writes. */
    @Override
    public java.util.Optional<java.time.Instant> now() {
      JdbcTable t = WithChanges.this;
      try (Connection c = t.dataSource.getConnection()) {
        return java.util.Optional.of(TimeColumn.databaseNow(c, t.dialect));
      } catch (SQLException e) {
        throw t.failure("read the database's clock", e);
      }
    }

    /**
     * Pages of changes in (modification time, key) order; then, with a key snapshot, the keys
     * yielded before that the table no longer holds, in key order. A position is
     * {@code time|key} in the first part, and {@code G} + time + {@code |} + length of key +
     * {@code |} + key + {@code |} + last deleted key in the second.
     */
    private final class FeedCursor implements ChangeCursor<Fields> {
      private final Checkpoint start;
      private final Pages<Change<Fields>> pages;
      /** The rows of the look-back window before the start, read again first; null once read (or without a window). */
      private Pages<Change<Fields>> window;
      /** The last position handed out with the digest of its window, and the position it is for. */
      private Checkpoint digested;
      private Checkpoint digestedFor;

      /**
       * From a position among the deletes, the consumer holds every delete up to it: those keys
       * leave the snapshot, and the pass starts again after the modified rows (finding any
       * deletes still to come). With a look-back window, the window before the start is read again
       * unless the start carries a digest of the window's rows that they still match: then every
       * one of them was delivered already, and none committed late.
       */
      FeedCursor(Checkpoint after) {
        JdbcTable t = WithChanges.this;
        WindowDigest expected = null;
        if (!after.isStart() && after.position().startsWith("D")) {
          String text = after.position();
          int slash = text.indexOf('/');
          expected = slash < 0 ? null : WindowDigest.parse(text.substring(1, slash));
          if (expected == null) {
            throw new SetupException("table " + t.table + ": '" + text + "' is not a checkpoint of its change feed");
          }
          after = Checkpoint.at(text.substring(slash + 1));
        }
        if (!after.isStart()) {
          Position p = parse(after);
          if (p.goneAfter != null) {
            forgetDeletesUpTo(p.goneAfter);
            after = p.time == null ? Checkpoint.start() : Checkpoint.at(p.time + "|" + p.key);
          }
          if (p.time != null && !t.lookBack.isZero()) {
            Position upTo = new Position(p.time, p.key, null);
            if (expected == null || !expected.equals(windowDigest(upTo))) {
              java.time.Instant from = p.time.minus(t.lookBack);
              window = new Pages<>(Checkpoint.start(), t.pageSize, (at, page, positions) ->
                  fetchModified(at.isStart() ? null : parse(at), from, upTo, page, positions));
            }
          }
        }
        this.start = after;
        this.pages = new Pages<>(after, t.pageSize, this::fetch);
      }

      @Override
      public boolean hasNext() {
        if (window != null) {
          if (window.hasNext()) {
            return true;
          }
          window = null;
        }
        return pages.hasNext();
      }

      @Override
      public Change<Fields> next() {
        return hasNext() && window != null ? window.next() : pages.next();
      }

      /**
       * While the look-back window is read again, the position the cursor started from. After it,
       * with a look-back window, the position carries a digest of the rows of its window (their
       * count and a hash of their keys and versions), so that a pass from it delivers them again
       * only where one was committed late (and the digest no longer matches). Computing it reads
       * the window's keys: ask when about to save.
       */
      @Override
      public Checkpoint checkpoint() {
        if (window != null) {
          return start;
        }
        Checkpoint at = pages.checkpoint();
        JdbcTable t = WithChanges.this;
        if (t.lookBack.isZero() || at.isStart()) {
          return at;
        }
        if (!at.equals(digestedFor)) {
          Position p = parse(at);
          digested = p.time == null ? at
              : Checkpoint.at("D" + windowDigest(new Position(p.time, p.key, null)) + "/" + at.position());
          digestedFor = at;
        }
        return digested;
      }

      /** The count and hash of the rows in the look-back window up to and including {@code upTo}. */
      private WindowDigest windowDigest(Position upTo) {
        JdbcTable t = WithChanges.this;
        String mod = t.dialect.quote(t.modifiedAt);
        String k = t.dialect.quote(t.key);
        String sql = "SELECT " + k + ", " + mod + (t.softDelete == null ? "" : ", " + t.dialect.quote(t.softDelete))
            + " FROM " + t.dialect.quote(t.table) + " WHERE " + mod + " >= ? AND (" + mod + " < ? OR (" + mod + " = ? AND "
            + k + " <= ?))";
        try (Connection c = t.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
          t.modifiedKind.bind(ps, 1, upTo.time.minus(t.lookBack));
          t.modifiedKind.bind(ps, 2, upTo.time);
          t.modifiedKind.bind(ps, 3, upTo.time);
          t.bindKey(ps, 4, upTo.key);
          long count = 0;
          long hash = 0;
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              java.time.Instant time = t.modifiedKind.read(rs, 2);
              boolean deleted = t.softDelete != null && rs.getBoolean(3);
              count++;
              hash += WindowDigest.mix(rs.getString(1), time, deleted);
            }
          }
          return new WindowDigest(count, hash);
        } catch (SQLException e) {
          throw t.failure("read changes", e);
        }
      }

      private void fetch(Checkpoint after, List<Change<Fields>> page, List<Checkpoint> positions) {
        JdbcTable t = WithChanges.this;
        Position p = after.isStart() ? new Position(null, null, null) : parse(after);
        try (Connection c = t.dataSource.getConnection()) {
          if (p.goneAfter == null) {
            modified(c, p.time == null ? null : p, null, null, page, positions);
            if (page.size() == t.pageSize || t.keySnapshot == null) {
              return;
            }
            if (!page.isEmpty()) {
              p = parse(positions.get(positions.size() - 1));
            }
          }
          gone(c, p, t.pageSize - page.size(), page, positions);
        } catch (SQLException e) {
          throw t.failure("read changes", e);
        }
      }

      private void fetchModified(Position after, java.time.Instant notBefore, Position upTo, List<Change<Fields>> page,
          List<Checkpoint> positions) {
        JdbcTable t = WithChanges.this;
        try (Connection c = t.dataSource.getConnection()) {
          modified(c, after, notBefore, upTo, page, positions);
        } catch (SQLException e) {
          throw t.failure("read changes", e);
        }
      }

      /**
       * A page of rows in (time, key) order: after {@code after}, at or after {@code notBefore},
       * up to and including {@code upTo}; each bound may be null. Times are compared at the
       * column's own precision.
       */
      private void modified(Connection c, Position after, java.time.Instant notBefore, Position upTo,
          List<Change<Fields>> page, List<Checkpoint> positions) throws SQLException {
        JdbcTable t = WithChanges.this;
        String mod = t.dialect.quote(t.modifiedAt);
        String k = t.dialect.quote(t.key);
        List<String> where = new ArrayList<>();
        if (after != null) {
          // The leading "mod >= ?" lets every dialect start an index range there; the rest keeps
          // (time, key) order across rows that share the boundary time.
          where.add(mod + " >= ? AND (" + mod + " > ? OR " + k + " > ?)");
        }
        if (notBefore != null) {
          where.add(mod + " >= ?");
        }
        if (upTo != null) {
          where.add("(" + mod + " < ? OR (" + mod + " = ? AND " + k + " <= ?))");
        }
        String sql = "SELECT " + t.selectList + " FROM " + t.dialect.quote(t.table)
            + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
            + " ORDER BY " + mod + ", " + k + " LIMIT " + t.pageSize;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          int i = 1;
          if (after != null) {
            t.modifiedKind.bind(ps, i++, after.time);
            t.modifiedKind.bind(ps, i++, after.time);
            t.bindKey(ps, i++, after.key);
          }
          if (notBefore != null) {
            t.modifiedKind.bind(ps, i++, notBefore);
          }
          if (upTo != null) {
            t.modifiedKind.bind(ps, i++, upTo.time);
            t.modifiedKind.bind(ps, i++, upTo.time);
            t.bindKey(ps, i, upTo.key);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              java.time.Instant time = t.modifiedKind.read(rs, 2);
              boolean deleted = t.softDelete != null && rs.getBoolean(3);
              Envelope<Fields> r = t.row(rs);
              page.add(deleted ? new Change.Delete<>(r.key(), r.version()) : Change.upsert(r));
              positions.add(Checkpoint.at(time + "|" + r.key()));
            }
          }
        }
        if (t.keySnapshot != null && !page.isEmpty()) {
          remember(c, page);
        }
      }

      /** Notes the page's keys in the snapshot (as not gone) before they are yielded. */
      private void remember(Connection c, List<Change<Fields>> page) throws SQLException {
        JdbcTable t = WithChanges.this;
        try (PreparedStatement ps = c.prepareStatement(t.dialect.upsert(t.keySnapshot.table(), t.keySnapshot.key(), List.of(t.keySnapshot.key(), t.keySnapshot.gone())))) {
          for (Change<Fields> change : page) {
            t.bindKey(ps, 1, change.key());
            ps.setBoolean(2, false);
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }

      /** Up to {@code limit} snapshot keys after {@code p.goneAfter} whose rows are gone, marked as yielded. */
      private void gone(Connection c, Position p, int limit, List<Change<Fields>> page, List<Checkpoint> positions)
          throws SQLException {
        JdbcTable t = WithChanges.this;
        String rk = t.dialect.quote(t.keySnapshot.key());
        String sql = "SELECT s." + rk + " FROM " + t.dialect.quote(t.keySnapshot.table()) + " s WHERE "
            + (p.goneAfter == null ? "" : "s." + rk + " > ? AND ")
            + "NOT EXISTS (SELECT 1 FROM " + t.dialect.quote(t.table) + " r WHERE r." + t.dialect.quote(t.key) + " = s." + rk + ")"
            + " ORDER BY s." + rk + " LIMIT " + limit;
        List<String> keys = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          if (p.goneAfter != null) {
            t.bindKey(ps, 1, p.goneAfter);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              keys.add(rs.getString(1));
            }
          }
        }
        if (keys.isEmpty()) {
          return;
        }
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + t.dialect.quote(t.keySnapshot.table()) + " SET "
            + t.dialect.quote(t.keySnapshot.gone()) + " = ? WHERE " + rk + " = ?")) {
          for (String key : keys) {
            ps.setBoolean(1, true);
            t.bindKey(ps, 2, key);
            ps.addBatch();
          }
          ps.executeBatch();
        }
        String prefix = "G" + (p.time == null ? "" : p.time + "|" + p.key.length() + "|" + p.key) + "|";
        for (String key : keys) {
          page.add(Change.delete(key));
          positions.add(Checkpoint.at(prefix + key));
        }
      }

      /** Removes from the snapshot the keys yielded as deletes, up to {@code key}. */
      private void forgetDeletesUpTo(String key) {
        JdbcTable t = WithChanges.this;
        try (Connection c = t.dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM " + t.dialect.quote(t.keySnapshot.table()) + " WHERE "
                 + t.dialect.quote(t.keySnapshot.gone()) + " = ? AND " + t.dialect.quote(t.keySnapshot.key()) + " <= ?")) {
          ps.setBoolean(1, true);
          t.bindKey(ps, 2, key);
          ps.executeUpdate();
        } catch (SQLException e) {
          throw t.failure("update the key snapshot", e);
        }
      }

      private Position parse(Checkpoint at) {
        String p = at.position();
        try {
          if (p.startsWith("G")) {
            if (p.startsWith("G|")) {
              return new Position(null, null, p.substring(2));
            }
            int bar = p.indexOf('|');
            int bar2 = p.indexOf('|', bar + 1);
            int length = Integer.parseInt(p.substring(bar + 1, bar2));
            String key = p.substring(bar2 + 1, bar2 + 1 + length);
            if (p.charAt(bar2 + 1 + length) != '|') {
              throw new IllegalArgumentException(p);
            }
            return new Position(time(p.substring(1, bar)), key, p.substring(bar2 + 2 + length));
          }
          int bar = p.indexOf('|');
          return new Position(time(p.substring(0, bar)), p.substring(bar + 1), null);
        } catch (RuntimeException e) {
          JdbcTable t = WithChanges.this;
          throw new SetupException("table " + t.table + ": '" + p + "' is not a checkpoint of its change feed");
        }
      }
    }

    /** A position's time: an instant at the column's precision, or epoch milliseconds (checkpoints of earlier versions). */
    private static java.time.Instant time(String text) {
      return text.chars().allMatch(Character::isDigit) ? java.time.Instant.ofEpochMilli(Long.parseLong(text))
          : java.time.Instant.parse(text);
    }

    /** The rows of a look-back window, as a count and an order-free hash of their keys, times and delete flags. */
    private record WindowDigest(long count, long hash) {
      static long mix(String key, java.time.Instant time, boolean deleted) {
        long h = key.hashCode() * 0x9E3779B97F4A7C15L ^ (time.getEpochSecond() * 1_000_000_007L + time.getNano())
            ^ (deleted ? 0x5DEECE66DL : 0);
        h = (h ^ (h >>> 30)) * 0xBF58476D1CE4E5B9L;
        h = (h ^ (h >>> 27)) * 0x94D049BB133111EBL;
        return h ^ (h >>> 31);
      }

      /** {@code count.hash} in hex; null where it is not one. */
      static WindowDigest parse(String text) {
        int dot = text.indexOf('.');
        try {
          return dot < 0 ? null : new WindowDigest(Long.parseLong(text.substring(0, dot)), Long.parseUnsignedLong(text.substring(dot + 1), 16));
        } catch (NumberFormatException e) {
          return null;
        }
      }

      @Override
      public String toString() {
        return count + "." + Long.toHexString(hash);
      }
    }

    /** Where the feed is: after (time, key) of the modified rows, and after a gone key once there. */
    private record Position(java.time.Instant time, String key, String goneAfter) {
    }
  }

  // ---- builder ----------------------------------------------------------------------------------

  /** Builds a {@link JdbcTable}; {@link #build()} names every missing setting at once. */
  public static final class Builder {
    private final DataSource dataSource;
    private String system;
    private String dataElement;
    private String owner;
    private String table;
    private String key;
    private final Map<String, String> columns = new LinkedHashMap<>();
    private String modifiedAt;
    private String softDelete;
    private String keySnapshot;
    private Duration lookBack = Duration.ZERO;
    private int pageSize = 1_000;
    private boolean encrypted;
    private boolean databaseMessages = true;
    private final Set<String> sensitive = new TreeSet<>();

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
