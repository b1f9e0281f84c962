package dev.patchbay.benchmarks;

import dev.patchbay.core.report.RunStatus;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * One sync round over a backlog: ROWS records on each side of PostgreSQL that the other side has
 * never seen (ROWS pending changes a side), synced in one round in a JVM of HEAP (by default
 * {@code -Xmx256m}), with the peak heap reported. The round must create every record on the other
 * side, link all of them, and take its own writes coming back through both feeds.
 *
 * <p>{@code exec:java -Dexec.mainClass=dev.patchbay.benchmarks.SyncBacklogBenchmark -Dexec.args="ROWS BATCH HEAP"}
 */
public final class SyncBacklogBenchmark {

  private static final String CHILD = "patchbay.backlog.child";

  private SyncBacklogBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int batch = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    String heap = args.length > 2 ? args[2] : "256m";
    if (System.getProperty(CHILD) == null) {
      Bench.inChildJvm(List.of("-Xmx" + heap, "-D" + CHILD + "=" + heap), SyncBacklogBenchmark.class, Arrays.asList(args));
      return;
    }
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
    config.setUsername("postgres");
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      long t0 = System.nanoTime();
      setUp(ds, rows);
      System.out.printf("PostgreSQL: %,d records on each side, none on the other, set up in %.1f s%n", rows,
          (System.nanoTime() - t0) / 1e9);
      JdbcTable.WithChanges crm = JdbcTable.builder(ds).describedAs("crm", "contacts").table("backlog_crm").key("id")
          .column("name").column("email").column("city").modifiedAt("updated_at").pageSize(1_000).buildWithChanges();
      JdbcTable.WithChanges permits = JdbcTable.builder(ds).describedAs("permits", "people").table("backlog_permits")
          .key("id").column("fullName", "full_name").column("mail").column("town").modifiedAt("updated_at")
          .pageSize(1_000).buildWithChanges();
      BidirectionalSync sync = BidirectionalSync.builder().name("backlog").sideA(crm).sideB(permits)
          .mapping(f -> Fields.ofNullable("fullName", f.get("name"), "mail", f.get("email"), "town", f.get("city")),
              f -> Fields.ofNullable("name", f.get("fullName"), "email", f.get("mail"), "city", f.get("town")))
          .scopes(ScopeCriteria.all(), ScopeCriteria.all())
          .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(1), Side.A))
          .batchSize(batch).state(JdbcStateStore.of(ds, "backlog_sync")).build();
      System.gc();
      long s0 = System.nanoTime();
      SyncReport report = sync.round();
      long s1 = System.nanoTime();
      System.out.println(report.summary());
      long heldA = count(ds, "backlog_crm");
      long heldB = count(ds, "backlog_permits");
      long links = count(ds, "backlog_sync_entries WHERE space = 'links' AND tag = 'LINKED'");   // the JDBC state store's links
      System.out.printf("round: %s in %.1f s; side A holds %,d, side B %,d, %,d links; peak heap %.1f MiB of -Xmx%s%n",
          report.status(), (s1 - s0) / 1e9, heldA, heldB, links, Bench.peakHeap() / 1048576.0, System.getProperty(CHILD));
      if (report.status() != RunStatus.COMPLETED || heldA != 2L * rows || heldB != 2L * rows || links != 2L * rows) {
        throw new IllegalStateException("the round did not sync the backlog");
      }
      long q0 = System.nanoTime();
      SyncReport quiet = sync.round();
      System.out.printf("the next round: %s, %d written, in %.1f s%n", quiet.status(), quiet.written(), (System.nanoTime() - q0) / 1e9);
    }
  }

  private static void setUp(HikariDataSource ds, int rows) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String t : List.of("backlog_crm", "backlog_permits", "backlog_sync_progress", "backlog_sync_entries", "backlog_sync_leases")) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
      s.execute("CREATE TABLE backlog_crm (id VARCHAR(40) PRIMARY KEY, name VARCHAR(100), email VARCHAR(100),"
          + " city VARCHAR(60), updated_at TIMESTAMP NOT NULL)");
      s.execute("CREATE TABLE backlog_permits (id VARCHAR(40) PRIMARY KEY, full_name VARCHAR(100), mail VARCHAR(100),"
          + " town VARCHAR(60), updated_at TIMESTAMP NOT NULL)");
      s.execute("INSERT INTO backlog_crm SELECT 'a' || lpad(n::text, 8, '0'), 'Person ' || n, 'p' || n || '@example.org',"
          + " 'Wellington', (now() AT TIME ZONE 'UTC') - interval '1 hour' + n * interval '1 microsecond'"
          + " FROM generate_series(1, " + rows + ") n");
      s.execute("INSERT INTO backlog_permits SELECT 'b' || lpad(n::text, 8, '0'), 'Applicant ' || n, 'a' || n || '@example.org',"
          + " 'Porirua', (now() AT TIME ZONE 'UTC') - interval '1 hour' + (n / 3) * interval '1 microsecond'"
          + " FROM generate_series(1, " + rows + ") n");
      s.execute("CREATE INDEX backlog_crm_changes ON backlog_crm (updated_at, id)");
      s.execute("CREATE INDEX backlog_permits_changes ON backlog_permits (updated_at, id)");
      s.execute("ANALYZE backlog_crm");
      s.execute("ANALYZE backlog_permits");
    }
  }

  /** The rows of {@code table} (a table name, with a WHERE clause where given). */
  private static long count(HikariDataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
