package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link JdbcTable}'s writes: refusals found before writing (a key the collation folds, a key too
 * long, a field with no column), then one transaction per batch, inserting without a read first
 * while batches turn out all new (on PostgreSQL by COPY, and bulk upserts), and splitting a batch
 * the database refuses to find the row it refuses.
 */
final class TableWrites {

  private final JdbcTable t;
  /** Whether the last batch was all new: the next is then inserted without reading first. */
  private volatile boolean optimistic = true;

  TableWrites(JdbcTable table) {
    this.t = table;
  }

  /** Writes {@code batch}: one outcome per change, in order. */
  List<Outcome> write(List<Change<Fields>> batch) {
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
    if (t.folding == null) {
      return Map.of();
    }
    try (Connection c = t.dataSource.getConnection()) {
      return t.folding.foldedWithin(c, batch.stream().map(Change::key).toList());
    } catch (SQLException e) {
      throw t.failure("compare keys by the key column's collation", e);
    }
  }

  private Outcome foldRefusal(String k, String sameAs) {
    return Outcome.rejected(k, null, "key '" + k + "' is the same key as '" + sameAs + "' to the database (its"
        + " collation " + t.folding.collation() + " folds them); not written, so that neither record overwrites the other");
  }

  /** Why the table cannot hold {@code change} as it is, before anything is written; null where it can. */
  private Outcome refusal(Change<Fields> change) {
    if (t.numericKey && !JdbcTable.isWholeNumber(change.key())) {
      return Outcome.rejected(change.key(), t.key, "key '" + change.key() + "' is not a whole number, as column " + t.key + " needs");
    }
    // H2 counts UTF-16 units; PostgreSQL and MariaDB count characters (code points).
    boolean units = t.dialect == Dialect.H2;
    int characters = units ? change.key().length() : change.key().codePointCount(0, change.key().length());
    if (t.keyLength > 0 && characters > t.keyLength) {
      String cut = change.key().substring(0, units ? t.keyLength : change.key().offsetByCodePoints(0, t.keyLength));
      return Outcome.rejected(change.key(), t.key, "key '" + change.key() + "' is " + characters + " characters long, more than"
          + " the " + t.keyLength + " column " + t.key + " holds; not written, so that it is never cut to '" + cut
          + "', another record's key");
    }
    if (change instanceof Change.Upsert<Fields> u) {
      List<String> unmapped = null;
      for (String name : u.record().payload().names()) {
        if (!t.columnsByField.containsKey(name)) {
          (unmapped == null ? unmapped = new ArrayList<>() : unmapped).add(name);
        }
      }
      if (unmapped != null) {
        return new Outcome.Failed(change.key(), Stage.MAPPING, unmapped.get(0), "field" + (unmapped.size() == 1 ? " " : "s ")
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
        if (!JdbcTable.isUniqueViolation(e)) {
          throw e;
        }
        // Another writer inserted one of the keys after they were read: write the batch as upserts only.
        outcomes.putAll(writeTransaction(batch, false));
      }
    } catch (SQLException e) {
      if (!JdbcTable.isDataError(e)) {
        throw t.failure("write a batch of " + batch.size(), e);
      }
      if (batch.size() == 1) {
        String k = batch.get(0).key();
        outcomes.put(k, Outcome.rejected(k, null, "rejected by the database (SQLState " + e.getSQLState() + ")"
            + (t.databaseMessages ? ": " + JdbcTable.firstLine(e.getMessage()) : "")));
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
        if (t.bulk != null) {
          if (t.bulk.copyNew(c, batch.stream().map(change -> asText(((Change.Upsert<Fields>) change).record(), now)).toList())) {
            Map<String, Outcome> outcomes = new HashMap<>();
            batch.forEach(change -> outcomes.put(change.key(), Outcome.created(change.key())));
            return outcomes;
          }
        }
        try (PreparedStatement insert = c.prepareStatement(t.insertSql)) {
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
      if (!JdbcTable.isUniqueViolation(e)) {
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
      if (t.bulk != null) {
        List<String[]> upserts = new ArrayList<>();
        batch.forEach(change -> {
          if (change instanceof Change.Upsert<Fields> u) {
            upserts.add(asText(u.record(), now));
          }
        });
        if (!upserts.isEmpty()) {
          outcomes.putAll(t.bulk.upsert(c, upserts));
        }
        rest = batch.stream().filter(change -> change instanceof Change.Delete<Fields>).toList();
      }
      Map<String, Envelope<Fields>> held = rest.isEmpty() ? Map.of() : t.held(c, rest.stream().map(Change::key).toList());
      Map<String, String> folded = t.folding == null || held.isEmpty() ? Map.of()
          : t.folding.foldedIntoStored(c, rest.stream().map(Change::key).toList(), held.keySet());
      try (PreparedStatement upsert = c.prepareStatement(t.upsertSql);
           PreparedStatement insert = c.prepareStatement(t.insertSql);
           PreparedStatement delete = c.prepareStatement(t.deleteSql)) {
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

  private <T> T transaction(Transaction.Work<T> work) throws SQLException {
    return Transaction.run(t.dataSource, work);
  }

  /**
   * The time a write transaction stamps its rows with: the database's clock, read once per batch;
   * null without a modification column. A record's own version is never written as the time: it
   * may come from another system's clock.
   */
  private java.time.Instant stamp(Connection c) throws SQLException {
    return t.modifiedAt == null ? null : TimeColumn.databaseNow(c, t.dialect);
  }

  private void bindUpsert(PreparedStatement ps, Envelope<Fields> record, java.time.Instant now) throws SQLException {
    int i = 1;
    t.bindKey(ps, i++, record.key());
    int f = 0;
    for (String field : t.columnsByField.keySet()) {
      bindValue(ps, i++, TimeColumn.asHeldBy(record.payload().get(field), t.readAs[f++]));
    }
    if (t.modifiedAt != null) {
      t.modifiedKind.bind(ps, i++, now);
    }
    if (t.softDelete != null) {
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
    } else if (v instanceof java.time.Instant t) {
      TimeColumn.INSTANT.bind(ps, index, t);
    } else {
      ps.setObject(index, v);
    }
  }

  private void bindDelete(PreparedStatement ps, Change.Delete<Fields> delete, java.time.Instant now) throws SQLException {
    int i = 1;
    if (t.softDelete != null) {
      ps.setBoolean(i++, true);
      if (t.modifiedAt != null) {
        t.modifiedKind.bind(ps, i++, now);
      }
    }
    t.bindKey(ps, i, delete.key());
  }



  /** A record as the text of its written columns, key first, for {@link PgBulk}. */
  private String[] asText(Envelope<Fields> record, java.time.Instant now) {
    String[] row = new String[1 + t.columnsByField.size() + (t.modifiedAt != null ? 1 : 0) + (t.softDelete != null ? 1 : 0)];
    int i = 0;
    row[i++] = record.key();
    int f = 0;
    for (String field : t.columnsByField.keySet()) {
      row[i++] = text(TimeColumn.asHeldBy(record.payload().get(field), t.readAs[f++]));
    }
    if (t.modifiedAt != null) {
      row[i++] = t.modifiedKind.text(now);
    }
    if (t.softDelete != null) {
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
    for (String field : t.columnsByField.keySet()) {
      if (!Fields.sameValue(held.get(field), desired.get(field))) {
        return false;
      }
    }
    return true;
  }

}
