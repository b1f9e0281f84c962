package dev.patchbay.patterns.sync;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.jdbc.SimpleDataSource;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import javax.sql.DataSource;

/**
 * One process of {@link SyncKeyRangeTest}: part {@code part} of a sync of two PostgreSQL tables,
 * its state in a shared JDBC state store, run round after round until two rounds in a row write
 * nothing after the parent said the edits are over (a file {@code done} exists).
 * Args: url, tableA, tableB, stateTable, name, part, parts, doneFile.
 */
public final class SyncPartProcess {

  public static void main(String[] args) throws Exception {
    String url = args[0] + "&ApplicationName=part" + args[5];   // the trigger logs which process wrote each row
    DataSource pg = SimpleDataSource.of(url, "postgres", null);
    JdbcTable.WithChanges a = table(pg, args[1], "a");
    JdbcTable.WithChanges b = table(pg, args[2], "b");
    BidirectionalSync sync = BidirectionalSync.builder().name(args[4]).sideA(a).sideB(b)
        .mapping(f -> f, f -> f).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofMillis(1), Side.A)).retry(RetryPolicy.immediate(2))
        .keyRange(Integer.parseInt(args[5]), Integer.parseInt(args[6])).state(JdbcStateStore.of(pg, args[3])).build();
    java.nio.file.Path done = java.nio.file.Path.of(args[7]);
    int quiet = 0;
    long written = 0;
    for (int round = 0; round < 200 && quiet < 2; round++) {
      boolean over = java.nio.file.Files.exists(done);
      SyncReport r = sync.round();
      if (r.status() != RunStatus.COMPLETED) {
        System.out.println("round " + round + " " + r.status() + ": " + r.summary());
        System.exit(2);
      }
      written += r.written();
      quiet = over && r.written() == 0 ? quiet + 1 : 0;
      Thread.sleep(100);
    }
    System.out.println("converged, wrote " + written);
    System.exit(quiet >= 2 ? 0 : 3);
  }

  static JdbcTable.WithChanges table(DataSource pg, String table, String system) {
    return JdbcTable.builder(pg).describedAs(system, "contacts").table(table).key("id").column("name").column("amount")
        .modifiedAt("updated_at").softDelete("deleted").buildWithChanges();
  }
}
