package dev.patchbay.connectors.jdbc;

import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pages of changes in (modification time, key) order; then, with a key snapshot, the keys
 * yielded before that the table no longer holds, in key order. A position is
 * {@code time|key} in the first part, and {@code G} + time + {@code |} + length of key +
 * {@code |} + key + {@code |} + last deleted key in the second.
 */
final class FeedCursor implements ChangeCursor<Fields> {
  private final JdbcTable t;
  private final Checkpoint start;
  private final ChangeCursor<Fields> pages;
  /** The rows of the look-back window before the start, read again first; null once read (or without a window). */
  private ChangeCursor<Fields> window;
  /** The position after each change of the pages in hand, as its row gave it (at the column's own precision). */
  private final Map<Change<Fields>, Checkpoint> positions = new IdentityHashMap<>();
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
  FeedCursor(JdbcTable table, Checkpoint after) {
    this.t = table;
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
          window = ChangeCursor.paged(Checkpoint.start(), t.pageSize, (at, limit) -> positioned((page, positions) ->
              fetchModified(at.isStart() ? null : parse(at), from, upTo, page, positions)), positions::remove);
        }
      }
    }
    this.start = after;
    this.pages = ChangeCursor.paged(after, t.pageSize, (at, limit) -> positioned((page, positions) -> fetch(at, page, positions)),
        positions::remove);
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

  /** A page that {@code fetch} reads with the position after each change, the positions kept for the paged cursor. */
  private List<Change<Fields>> positioned(java.util.function.BiConsumer<List<Change<Fields>>, List<Checkpoint>> fetch) {
    List<Change<Fields>> page = new ArrayList<>();
    List<Checkpoint> after = new ArrayList<>();
    fetch.accept(page, after);
    for (int i = 0; i < page.size(); i++) {
      positions.put(page.get(i), after.get(i));
    }
    return page;
  }

  private void fetch(Checkpoint after, List<Change<Fields>> page, List<Checkpoint> positions) {
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
      throw new SetupException("table " + t.table + ": '" + p + "' is not a checkpoint of its change feed");
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
