package dev.patchbay.benchmarks;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.concurrent.CompletableFuture;
import javax.sql.DataSource;

/**
 * The least a sync round can do, written by hand in plain JDBC: each side's rows changed since a
 * position are read and upserted by key into the other side, in batches of 1,000, both
 * directions at once; no links, no bases, no conflicts. A written row keeps its source's
 * modification time, so it does not come back as a change. The floor {@link SyncBenchmark}
 * measures a sync round against.
 */
final class HandSync {

  private static final int BATCH = 1_000;

  private final DataSource ds;
  private final boolean pg;
  private Timestamp crmSince;
  private Timestamp permitsSince;

  HandSync(DataSource ds, boolean pg) {
    this.ds = ds;
    this.pg = pg;
  }

  /** From now on, only what changes later is read. */
  void startHere() throws SQLException {
    crmSince = latest("sync_crm");
    permitsSince = latest("sync_permits");
  }

  /** One round: the rows written to each side. */
  long[] round() {
    CompletableFuture<Long> toPermits = CompletableFuture.supplyAsync(() -> copy("sync_crm", crmSince, "sync_permits",
        "full_name", "mail", "town", true));
    long toCrm = copy("sync_permits", permitsSince, "sync_crm", "name", "email", "city", false);
    return new long[] {toPermits.join(), toCrm};
  }

  private Timestamp latest(String table) throws SQLException {
    try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement("SELECT MAX(updated_at) FROM " + table);
         ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getTimestamp(1);
    }
  }

  private long copy(String from, Timestamp since, String to, String c1, String c2, String c3, boolean crmToPermits) {
    String select = crmToPermits ? "SELECT id, name, email, city, updated_at FROM sync_crm"
        : "SELECT id, full_name, mail, town, updated_at FROM sync_permits";
    String upsert = pg
        ? "INSERT INTO " + to + " (id, " + c1 + ", " + c2 + ", " + c3 + ", updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id)"
            + " DO UPDATE SET " + c1 + " = EXCLUDED." + c1 + ", " + c2 + " = EXCLUDED." + c2 + ", " + c3 + " = EXCLUDED." + c3
            + ", updated_at = EXCLUDED.updated_at"
        : "MERGE INTO " + to + " (id, " + c1 + ", " + c2 + ", " + c3 + ", updated_at) KEY (id) VALUES (?, ?, ?, ?, ?)";
    long written = 0;
    Timestamp last = since;
    try (Connection read = ds.getConnection(); Connection write = ds.getConnection()) {
      read.setAutoCommit(false);   // PostgreSQL streams a fetch only in a transaction
      write.setAutoCommit(false);
      try (PreparedStatement ps = read.prepareStatement(select + " WHERE updated_at > ? ORDER BY updated_at, id");
           PreparedStatement up = write.prepareStatement(upsert)) {
        ps.setFetchSize(BATCH);
        ps.setTimestamp(1, since);
        int inBatch = 0;
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            for (int i = 1; i <= 5; i++) {
              up.setObject(i, rs.getObject(i));
            }
            up.addBatch();
            last = rs.getTimestamp(5);
            written++;
            if (++inBatch == BATCH) {
              up.executeBatch();
              write.commit();
              inBatch = 0;
            }
          }
        }
        if (inBatch > 0) {
          up.executeBatch();
          write.commit();
        }
      }
      read.commit();
    } catch (SQLException e) {
      throw new IllegalStateException("hand sync " + from + " -> " + to + " failed", e);
    }
    if (crmToPermits) {
      crmSince = last;
    } else {
      permitsSince = last;
    }
    return written;
  }
}
