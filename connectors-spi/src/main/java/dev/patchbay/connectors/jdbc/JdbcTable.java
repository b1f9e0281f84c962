package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.ChangeCursor;
import dev.patchbay.connectors.ChangeFeed;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.connectors.IntegrationMethod;
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
import java.util.Calendar;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TimeZone;
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
 *       (modification time, key) order; the checkpoint is that pair, so records sharing the
 *       boundary timestamp are never skipped. The record's version is its modification time in
 *       epoch milliseconds, stored in UTC. Rows must get their modification time when they
 *       commit: a row committed later with an earlier time can be missed.</li>
 *   <li><b>Writes</b> run one transaction per batch. The rows held for the batch's keys are read
 *       first, so outcomes are exact on every database and an unchanged record is not written
 *       again. Upserts use the database's own statement (H2 {@code MERGE}, PostgreSQL
 *       {@code ON CONFLICT}, MariaDB {@code ON DUPLICATE KEY UPDATE}). A row the database refuses
 *       (a constraint, a value it cannot store) is found by splitting the batch, and only it is
 *       rejected; connection and serialization failures are transient.</li>
 *   <li><b>Deletes</b> set a soft-delete column where one is given (the row stays, hidden from reads
 *       and lookups, and shows as a delete in the change feed), or remove the row.</li>
 * </ul>
 *
 * <p>Identifiers are quoted for the database; no SQL is built from record values. Thread-safe.
 */
public sealed class JdbcTable implements Connector, Source<Fields>, Lookup<Fields>, Destination<Fields>
    permits JdbcTable.WithChanges {

  private static final Calendar UTC = Calendar.getInstance(TimeZone.getTimeZone("UTC"));
  private static final int IN_LIST = 500;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final String table;
  private final String key;
  private final Map<String, String> columnsByField;
  private final String modifiedAt;
  private final String softDelete;
  private final int pageSize;
  private final boolean numericKey;
  private final ConnectorDescription description;

  private final String selectList;
  private final String upsertSql;
  private final String insertSql;
  private final String bulkUpsertSql;
  private final String deleteSql;

  private JdbcTable(Builder b) {
    this.dataSource = b.dataSource;
    this.pageSize = b.pageSize;
    Resolved r = resolve(b);
    this.dialect = r.dialect;
    this.table = r.table;
    this.key = r.column(b.key);
    this.numericKey = r.numericKey();
    Map<String, String> columns = new LinkedHashMap<>();
    b.columns.forEach((field, column) -> columns.put(field, r.column(column)));
    this.columnsByField = Collections.unmodifiableMap(columns);
    this.modifiedAt = b.modifiedAt == null ? null : r.column(b.modifiedAt);
    this.softDelete = b.softDelete == null ? null : r.column(b.softDelete);

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
    this.bulkUpsertSql = dialect == Dialect.POSTGRESQL ? bulkUpsert(written, r.types()) : null;
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
      d.capabilities(Capability.READ_CHANGES).modificationTimePrecision(Duration.ofMillis(1));
      if (softDelete != null) {
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
      Timestamp t = rs.getTimestamp(i++, UTC);
      version = t == null ? 0 : t.getTime();
    }
    if (softDelete != null) {
      i++;
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (String field : columnsByField.keySet()) {
      Object v = rs.getObject(i++);
      if (v instanceof java.sql.Date d) {
        v = d.toLocalDate();
      } else if (v instanceof Timestamp t) {
        v = t.toLocalDateTime();
      }
      if (v != null) {
        values.put(field, v);
      }
    }
    return new Envelope<>(k, version, Fields.from(values));
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
    List<Change<Fields>> writable = batch;
    if (numericKey) {
      writable = new ArrayList<>(batch.size());
      for (Change<Fields> change : batch) {
        if (isWholeNumber(change.key())) {
          writable.add(change);
        } else {
          outcomes.put(change.key(), Outcome.rejected(change.key(), key,
              "key '" + change.key() + "' is not a whole number, as column " + key + " needs"));
        }
      }
    }
    if (!writable.isEmpty()) {
      writeSplitting(writable, outcomes);
    }
    List<Outcome> ordered = new ArrayList<>(batch.size());
    batch.forEach(change -> ordered.add(outcomes.get(change.key())));
    return ordered;
  }

  /** Writes {@code batch} in one transaction; where the database refuses a row, halves the batch to find it. */
  private void writeSplitting(List<Change<Fields>> batch, Map<String, Outcome> outcomes) {
    try {
      try {
        outcomes.putAll(writeTransaction(batch, true));
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
        outcomes.put(k, Outcome.rejected(k, null, "rejected by the database (SQLState " + e.getSQLState() + "): "
            + firstLine(e.getMessage())));
        return;
      }
      int half = batch.size() / 2;
      writeSplitting(batch.subList(0, half), outcomes);
      writeSplitting(batch.subList(half, batch.size()), outcomes);
    }
  }

  /**
   * Writes {@code batch} in one transaction. Rows read as absent are inserted where
   * {@code insertNew}, else upserted like changed rows.
   */
  private Map<String, Outcome> writeTransaction(List<Change<Fields>> batch, boolean insertNew) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      boolean autoCommit = c.getAutoCommit();
      c.setAutoCommit(false);
      try {
        Map<String, Outcome> outcomes = new HashMap<>();
        if (bulkUpsertSql != null) {
          List<Envelope<Fields>> upserts = new ArrayList<>();
          batch.forEach(change -> {
            if (change instanceof Change.Upsert<Fields> u) {
              upserts.add(u.record());
            }
          });
          if (!upserts.isEmpty()) {
            outcomes.putAll(bulkUpsert(c, upserts));
          }
          batch = batch.stream().filter(change -> change instanceof Change.Delete<Fields>).toList();
        }
        Map<String, Envelope<Fields>> held = batch.isEmpty() ? Map.of() : held(c, batch.stream().map(Change::key).toList());
        Timestamp now = new Timestamp(System.currentTimeMillis());
        try (PreparedStatement upsert = c.prepareStatement(upsertSql);
             PreparedStatement insert = c.prepareStatement(insertSql);
             PreparedStatement delete = c.prepareStatement(deleteSql)) {
          int upserts = 0;
          int inserts = 0;
          int deletes = 0;
          for (Change<Fields> change : batch) {
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
        c.commit();
        return outcomes;
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

  private void bindUpsert(PreparedStatement ps, Envelope<Fields> record, Timestamp now) throws SQLException {
    int i = 1;
    bindKey(ps, i++, record.key());
    for (String field : columnsByField.keySet()) {
      bindValue(ps, i++, record.payload().get(field));
    }
    if (modifiedAt != null) {
      ps.setTimestamp(i++, record.version() == 0 ? now : new Timestamp(record.version()), UTC);
    }
    if (softDelete != null) {
      ps.setBoolean(i, false);
    }
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
    } else {
      ps.setObject(index, v);
    }
  }

  private void bindDelete(PreparedStatement ps, Change.Delete<Fields> delete, Timestamp now) throws SQLException {
    int i = 1;
    if (softDelete != null) {
      ps.setBoolean(i++, true);
      if (modifiedAt != null) {
        ps.setTimestamp(i++, delete.version() == 0 ? now : new Timestamp(delete.version()), UTC);
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

  /**
   * PostgreSQL's bulk upsert: every row of the batch in one statement, as text arrays unnested and
   * cast to the column types. Rows that would not change are left alone ({@code IS DISTINCT FROM});
   * {@code RETURNING} names the rows written and whether each was inserted.
   */
  private String bulkUpsert(List<String> written, Map<String, String> typeNames) {
    List<String> aliases = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      aliases.add("c" + i);
    }
    String unnest = "unnest(" + written.stream().map(c -> "?::text[]").collect(Collectors.joining(", ")) + ") AS u("
        + String.join(", ", aliases) + ")";
    List<String> casts = new ArrayList<>();
    for (int i = 0; i < written.size(); i++) {
      String typeName = typeNames.get(written.get(i));
      String type = typeName.matches("[a-z0-9_]+") ? typeName : dialect.quote(typeName);
      casts.add("CAST(u." + aliases.get(i) + " AS " + type + ")");
    }
    List<String> compared = written.stream().filter(c -> !c.equals(key) && !c.equals(modifiedAt)).toList();
    List<String> updated = written.stream().filter(c -> !c.equals(key)).toList();
    return "INSERT INTO " + dialect.quote(table) + " AS t (" + written.stream().map(dialect::quote).collect(Collectors.joining(", "))
        + ") SELECT " + String.join(", ", casts) + " FROM " + unnest
        + " ON CONFLICT (" + dialect.quote(key) + ") DO UPDATE SET "
        + updated.stream().map(c -> dialect.quote(c) + " = EXCLUDED." + dialect.quote(c)).collect(Collectors.joining(", "))
        + " WHERE (" + compared.stream().map(c -> "t." + dialect.quote(c)).collect(Collectors.joining(", ")) + ", true)"
        + " IS DISTINCT FROM (" + compared.stream().map(c -> "EXCLUDED." + dialect.quote(c)).collect(Collectors.joining(", ")) + ", true)"
        + " RETURNING CAST(t." + dialect.quote(key) + " AS text), (t.xmax = 0)";
  }

  private Map<String, Outcome> bulkUpsert(Connection c, List<Envelope<Fields>> records) throws SQLException {
    int width = 1 + columnsByField.size() + (modifiedAt != null ? 1 : 0) + (softDelete != null ? 1 : 0);
    String[][] columns = new String[width][records.size()];
    Map<String, String> byReturnedKey = new HashMap<>();
    String now = java.time.Instant.now().toString();
    for (int r = 0; r < records.size(); r++) {
      Envelope<Fields> record = records.get(r);
      int i = 0;
      columns[i++][r] = record.key();
      byReturnedKey.put(numericKey ? Long.toString(Long.parseLong(record.key())) : record.key(), record.key());
      for (String field : columnsByField.keySet()) {
        columns[i++][r] = text(record.payload().get(field));
      }
      if (modifiedAt != null) {
        columns[i++][r] = record.version() == 0 ? now : java.time.Instant.ofEpochMilli(record.version()).toString();
      }
      if (softDelete != null) {
        columns[i][r] = "false";
      }
    }
    Map<String, Outcome> outcomes = new HashMap<>();
    for (Envelope<Fields> record : records) {
      outcomes.put(record.key(), Outcome.unchanged(record.key()));
    }
    Set<String> revived = softDelete == null ? Set.of() : softDeleted(c, columns[0], byReturnedKey);
    try (PreparedStatement ps = c.prepareStatement(bulkUpsertSql)) {
      for (int i = 0; i < width; i++) {
        ps.setArray(i + 1, c.createArrayOf("text", columns[i]));
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          String k = byReturnedKey.get(rs.getString(1));
          outcomes.put(k, rs.getBoolean(2) || revived.contains(k) ? Outcome.created(k) : Outcome.updated(k));
        }
      }
    }
    return outcomes;
  }

  /** The keys among {@code keys} whose rows are there but soft-deleted: writing them again creates them. */
  private Set<String> softDeleted(Connection c, String[] keys, Map<String, String> byReturnedKey) throws SQLException {
    Set<String> deleted = new java.util.HashSet<>();
    try (PreparedStatement ps = c.prepareStatement("SELECT CAST(" + dialect.quote(key) + " AS text) FROM " + dialect.quote(table)
        + " WHERE CAST(" + dialect.quote(key) + " AS text) = ANY(?) AND " + dialect.quote(softDelete))) {
      String[] asReturned = new String[keys.length];
      for (int i = 0; i < keys.length; i++) {
        asReturned[i] = numericKey ? Long.toString(Long.parseLong(keys[i])) : keys[i];
      }
      ps.setArray(1, c.createArrayOf("text", asReturned));
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          deleted.add(byReturnedKey.get(rs.getString(1)));
        }
      }
    }
    return deleted;
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

  /** SQLState class 22 (data exception) or 23 (integrity constraint): one row's fault. */
  private static boolean isDataError(SQLException e) {
    for (SQLException s = e; s != null; s = s.getNextException()) {
      String state = s.getSQLState();
      if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
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
                          Map<String, String> types) {
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
      int dot = b.table.lastIndexOf('.');
      String schema = dot < 0 ? null : b.table.substring(0, dot);
      String name = b.table.substring(dot + 1);
      String foundSchema = null;
      String foundTable = null;
      for (String candidate : new LinkedHashSet<>(List.of(name, name.toUpperCase(Locale.ROOT), name.toLowerCase(Locale.ROOT)))) {
        try (ResultSet rs = md.getTables(null, schema, candidate, new String[] {"TABLE", "BASE TABLE"})) {
          if (rs.next()) {
            foundTable = rs.getString("TABLE_NAME");
            foundSchema = schema == null ? null : rs.getString("TABLE_SCHEM");
            break;
          }
        }
      }
      if (foundTable == null) {
        throw new SetupException("JdbcTable: no table '" + b.table + "' in the " + dialect + " database");
      }
      List<String> present = new ArrayList<>();
      Map<String, Integer> types = new HashMap<>();
      Map<String, String> typeNames = new HashMap<>();
      try (ResultSet rs = md.getColumns(null, foundSchema, foundTable, null)) {
        while (rs.next()) {
          present.add(rs.getString("COLUMN_NAME"));
          types.put(rs.getString("COLUMN_NAME"), rs.getInt("DATA_TYPE"));
          typeNames.put(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"));
        }
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
        throw new SetupException("JdbcTable '" + b.table + "': no column " + String.join(", ", missing)
            + " in table " + foundTable + " (its columns: " + String.join(", ", present) + ")");
      }
      int keyType = types.get(columns.get(b.key));
      boolean numericKey = keyType == Types.BIGINT || keyType == Types.INTEGER || keyType == Types.SMALLINT
          || keyType == Types.TINYINT;
      return new Resolved(dialect, foundSchema == null ? foundTable : foundSchema + "." + foundTable, columns, numericKey,
          typeNames);
    } catch (SQLException e) {
      throw new SetupException("JdbcTable '" + b.table + "': cannot read the database's metadata (SQLState "
          + e.getSQLState() + "): " + firstLine(e.getMessage()), e);
    }
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

    /** Pages of changes in (modification time, key) order. */
    private final class FeedCursor implements ChangeCursor<Fields> {
      private final Pages<Change<Fields>> pages;

      FeedCursor(Checkpoint after) {
        if (!after.isStart()) {
          parse(after);
        }
        this.pages = new Pages<>(after, ((JdbcTable) WithChanges.this).pageSize, this::fetch);
      }

      @Override
      public boolean hasNext() {
        return pages.hasNext();
      }

      @Override
      public Change<Fields> next() {
        return pages.next();
      }

      @Override
      public Checkpoint checkpoint() {
        return pages.checkpoint();
      }

      private void fetch(Checkpoint after, List<Change<Fields>> page, List<Checkpoint> positions) {
        JdbcTable t = WithChanges.this;
        String mod = t.dialect.quote(t.modifiedAt);
        String k = t.dialect.quote(t.key);
        String where = after.isStart() ? "" : " WHERE (" + mod + " > ? OR (" + mod + " = ? AND " + k + " > ?))";
        String sql = "SELECT " + t.selectList + " FROM " + t.dialect.quote(t.table) + where
            + " ORDER BY " + mod + ", " + k + " LIMIT " + t.pageSize;
        try (Connection c = t.dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
          if (!after.isStart()) {
            Object[] at = parse(after);
            Timestamp ts = new Timestamp((Long) at[0]);
            ps.setTimestamp(1, ts, UTC);
            ps.setTimestamp(2, ts, UTC);
            t.bindKey(ps, 3, (String) at[1]);
          }
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              boolean deleted = t.softDelete != null && rs.getBoolean(3);
              Envelope<Fields> r = t.row(rs);
              page.add(deleted ? new Change.Delete<>(r.key(), r.version()) : Change.upsert(r));
              positions.add(Checkpoint.at(r.version() + "|" + r.key()));
            }
          }
        } catch (SQLException e) {
          throw t.failure("read changes", e);
        }
      }

      private Object[] parse(Checkpoint at) {
        String p = at.position();
        int bar = p.indexOf('|');
        try {
          return new Object[] {Long.parseLong(p.substring(0, bar)), p.substring(bar + 1)};
        } catch (RuntimeException e) {
          JdbcTable t = WithChanges.this;
          throw new SetupException("table " + t.table + ": '" + p + "' is not a checkpoint of its change feed");
        }
      }
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
    private int pageSize = 1_000;
    private boolean encrypted;
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

    /** A BOOLEAN column that marks deleted rows, instead of removing them. */
    public Builder softDelete(String column) {
      this.softDelete = Objects.requireNonNull(column, "column");
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
      if (changes && modifiedAt == null) {
        missing.add("a modification column (modifiedAt) for its change feed");
      }
      if (!missing.isEmpty()) {
        throw new SetupException("JdbcTable" + (table == null ? "" : " '" + table + "'") + " needs "
            + String.join(", ", missing));
      }
    }
  }
}
