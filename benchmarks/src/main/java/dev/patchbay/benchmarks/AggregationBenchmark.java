package dev.patchbay.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.aggregation.Aggregation;
import dev.patchbay.patterns.aggregation.AggregationReport;
import dev.patchbay.patterns.aggregation.Collected;
import dev.patchbay.patterns.aggregation.Input;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Issue 24's measurement on PostgreSQL: five source tables of N rows each, a fifth of each's
 * accounts shared by all five, merged into one golden table by source priority (the first source
 * holding a field wins), side by side in one JVM: one SQL statement doing the merge in the database
 * (the floor: the union of the accounts, each source left-joined, COALESCE by priority), a
 * hand-written {@code HashMap} merge over JDBC, and Patchbay's {@link Aggregation} with the JDBC
 * connector and a JDBC state store. Each result is checked against the floor's. Then an incremental
 * run after 1,000 changed records, and live lookups over three inputs (p50, p99), one input past its
 * timeout.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:java -Dexec.mainClass=dev.patchbay.benchmarks.AggregationBenchmark
 * -Dexec.args="200000"}.
 */
public final class AggregationBenchmark {

  private static final int SOURCES = 5;
  private static final String FIELDS = "name, email, amount";

  private AggregationBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl("jdbc:postgresql://127.0.0.1:5432/test");
    c.setUsername("postgres");
    c.setMaximumPoolSize(8);
    try (HikariDataSource ds = new HikariDataSource(c)) {
      setUp(ds, rows);
      long sql = timed(() -> sqlFloor(ds));
      long map = timed(() -> hashMapMerge(ds));
      Aggregation agg = aggregation(ds, false);
      long[] heap = new long[1];
      long pb = timed(() -> {
        Bench.watchLiveHeap();
        AggregationReport r = agg.run();
        heap[0] = Bench.peakLiveHeap();
        if (r.status() != RunStatus.COMPLETED || !r.failures().isEmpty()) {
          throw new IllegalStateException(r.summary());
        }
      });
      // the same with its state in memory: millions of entries, so only in a JVM that can hold them (not the -Xmx512m run)
      boolean roomy = Runtime.getRuntime().maxMemory() >= 2_000_000_000L;
      long pbm = !roomy ? 0 : timed(() -> {
        AggregationReport r = aggregation(ds, false, dev.patchbay.core.state.StateStore.inMemory(), "agg_golden_pbm").run();
        if (r.status() != RunStatus.COMPLETED || !r.failures().isEmpty()) {
          throw new IllegalStateException(r.summary());
        }
      });
      check(ds, "agg_golden_map");
      check(ds, "agg_golden_pb");
      if (roomy) {
        check(ds, "agg_golden_pbm");
      }
      long golden = count(ds, "agg_golden_sql");
      System.out.printf("%n%d sources x %,d rows, %,d golden records (PostgreSQL, %s)%n", SOURCES, rows, golden,
          Runtime.version());
      System.out.println("| contender | ms | records/s | ratio to the SQL floor |");
      System.out.println("|---|---:|---:|---:|");
      line("one SQL statement (UNION of keys, LEFT JOIN each, COALESCE by priority)", sql, rows, sql);
      line("hand-written HashMap merge over JDBC", map, rows, sql);
      line("Patchbay Aggregation (JDBC inputs and destination, JDBC state store)", pb, rows, sql);
      if (roomy) {
        line("the same, its state in memory (what the state store's writes cost)", pbm, rows, sql);
      }
      System.out.printf("Patchbay's peak live heap: %,d MB (-Xmx %,d MB)%n", heap[0] / 1_000_000,
          Runtime.getRuntime().maxMemory() / 1_000_000);

      change(ds, 1_000);
      long incremental = timed(() -> {
        AggregationReport r = agg.run();
        if (r.status() != RunStatus.COMPLETED || !r.failures().isEmpty() || r.output().updated() == 0) {
          throw new IllegalStateException(r.summary());
        }
      });
      System.out.printf("An incremental run after 1,000 changed records: %,d ms%n", incremental);
      lookups(ds);
    }
  }

  private static void line(String name, long ms, int rows, long floor) {
    System.out.printf("| %s | %,d | %,.0f | %.2fx |%n", name, ms, SOURCES * rows * 1000.0 / ms, (double) ms / floor);
  }

  interface Work {
    void run() throws Exception;
  }

  private static long timed(Work work) throws Exception {
    long began = System.nanoTime();
    work.run();
    return (System.nanoTime() - began) / 1_000_000;
  }

  private static void setUp(DataSource ds, int rows) throws Exception {
    for (int i = 1; i <= SOURCES; i++) {
      execute(ds, "DROP TABLE IF EXISTS agg_src" + i);
      execute(ds, "CREATE TABLE agg_src" + i + " (id BIGINT PRIMARY KEY, account VARCHAR(24) NOT NULL, name VARCHAR(60),"
          + " email VARCHAR(120), amount DECIMAL(14,2), updated_at TIMESTAMP(3) NOT NULL)");
      int shared = rows / 5;
      execute(ds, "INSERT INTO agg_src" + i + " SELECT x, CASE WHEN x <= " + shared + " THEN 'S-' || x ELSE 'U" + i + "-' || x END,"
          + (i == 1 ? " CASE WHEN x % 3 = 0 THEN NULL ELSE 'Name ' || x || ' of " + i + "' END," : " 'Name ' || x || ' of " + i + "',")
          + " 'p' || x || '@s" + i + ".example', x * " + i + " / 100.0, TIMESTAMP '2026-01-01 00:00:00' + x * INTERVAL '1 millisecond'"
          + " FROM generate_series(1, " + rows + ") AS s(x)");
      execute(ds, "CREATE UNIQUE INDEX agg_src" + i + "_account ON agg_src" + i + " (account)");
      execute(ds, "CREATE INDEX agg_src" + i + "_updated ON agg_src" + i + " (updated_at, id)");
      execute(ds, "ANALYZE agg_src" + i);
    }
    for (String t : List.of("agg_golden_sql", "agg_golden_map", "agg_golden_pb", "agg_golden_pbm")) {
      execute(ds, "DROP TABLE IF EXISTS " + t);
      execute(ds, "CREATE TABLE " + t + " (account VARCHAR(24) PRIMARY KEY, name VARCHAR(60), email VARCHAR(120),"
          + " amount DECIMAL(14,2))");
    }
    for (String t : List.of("aggbench_progress", "aggbench_entries", "aggbench_leases")) {
      execute(ds, "DROP TABLE IF EXISTS " + t);
    }
  }

  /** The floor: the merge done by the database in one statement. */
  private static void sqlFloor(DataSource ds) {
    StringBuilder keys = new StringBuilder();
    StringBuilder joins = new StringBuilder();
    for (int i = 1; i <= SOURCES; i++) {
      keys.append(i == 1 ? "" : " UNION ").append("SELECT account FROM agg_src").append(i);
      joins.append(" LEFT JOIN agg_src").append(i).append(" s").append(i).append(" ON s").append(i).append(".account = k.account");
    }
    StringBuilder select = new StringBuilder("k.account");
    for (String f : FIELDS.split(", ")) {
      select.append(", COALESCE(");
      for (int i = 1; i <= SOURCES; i++) {
        select.append(i == 1 ? "" : ", ").append('s').append(i).append('.').append(f);
      }
      select.append(')');
    }
    execute(ds, "INSERT INTO agg_golden_sql SELECT " + select + " FROM (" + keys + ") k" + joins);
  }

  /** What a team writes by hand: every source read over JDBC into a map by account, the first value of a field kept, then batch inserts. */
  private static void hashMapMerge(DataSource ds) throws Exception {
    Map<String, Object[]> golden = new HashMap<>();
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      for (int i = 1; i <= SOURCES; i++) {
        try (Statement s = c.createStatement()) {
          s.setFetchSize(1_000);
          try (ResultSet rs = s.executeQuery("SELECT account, " + FIELDS + " FROM agg_src" + i)) {
            while (rs.next()) {
              Object[] g = golden.computeIfAbsent(rs.getString(1), k -> new Object[3]);
              for (int f = 0; f < 3; f++) {
                if (g[f] == null) {
                  g[f] = rs.getObject(2 + f);
                }
              }
            }
          }
        }
      }
      try (PreparedStatement p = c.prepareStatement("INSERT INTO agg_golden_map VALUES (?, ?, ?, ?)")) {
        int n = 0;
        for (Map.Entry<String, Object[]> e : golden.entrySet()) {
          p.setString(1, e.getKey());
          for (int f = 0; f < 3; f++) {
            p.setObject(2 + f, e.getValue()[f]);
          }
          p.addBatch();
          if (++n % 1_000 == 0) {
            p.executeBatch();
            c.commit();
          }
        }
        p.executeBatch();
        c.commit();
      }
    }
  }

  private static Aggregation aggregation(DataSource ds, boolean slowFifth) {
    return aggregation(ds, slowFifth, JdbcStateStore.of(ds, "aggbench"), "agg_golden_pb");
  }

  private static Aggregation aggregation(DataSource ds, boolean slowFifth, dev.patchbay.core.state.StateStore state, String table) {
    Aggregation.Builder b = Aggregation.builder().name("bench-accounts").outputKey(Aggregation.OutputKey.MERGE_KEY)
        .batchSize(1_000).state(state).lookupTimeout(Duration.ofMillis(200))
        .transformOutput(Transform.payload(f -> f.without("account")))
        .destination(JdbcTable.builder(ds).describedAs("bench", table).table(table).key("account")
            .column("name").column("email").column("amount").pageSize(1_000).build());
    for (int i = 1; i <= SOURCES; i++) {
      JdbcTable.WithChanges source = JdbcTable.builder(ds).describedAs("bench", "agg_src" + i).table("agg_src" + i).key("id")
          .column("account").column("name").column("email").column("amount").modifiedAt("updated_at").pageSize(1_000)
          .buildWithChanges();
      b.input(Input.changesOf("src" + i, source, DeletePolicy.IGNORE)
          .transform(Transform.payload(f -> f.without("updated_at")))
          .lookup(source, account -> List.of(account.substring(account.indexOf('-') + 1)))
          .mergeKey("account"));
    }
    return b.build();
  }

  /** The golden table {@code table} against the floor's: every row equal. */
  private static void check(DataSource ds, String table) throws Exception {
    long differ;
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM agg_golden_sql f FULL OUTER JOIN " + table + " t ON t.account = f.account"
             + " WHERE t.account IS NULL OR f.account IS NULL OR t.name IS DISTINCT FROM f.name OR t.email IS DISTINCT FROM f.email"
             + " OR t.amount IS DISTINCT FROM f.amount")) {
      rs.next();
      differ = rs.getLong(1);
    }
    if (differ != 0) {
      throw new IllegalStateException(table + ": " + differ + " rows differ from the SQL floor's");
    }
  }

  private static long count(DataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code n} records changed across the sources: their amount and modification time. */
  private static void change(DataSource ds, int n) {
    for (int i = 1; i <= SOURCES; i++) {
      execute(ds, "UPDATE agg_src" + i + " SET amount = amount + 1, updated_at = TIMESTAMP '2026-06-01 00:00:00' + id * INTERVAL"
          + " '1 millisecond' WHERE id % 1000 = 0 AND id <= " + (n / SOURCES) * 1000L);
    }
  }

  /** Live lookups of shared accounts over the first three inputs' tables; then one with a fourth input past its timeout. */
  private static void lookups(DataSource ds) {
    Aggregation three = Aggregation.builder().name("bench-lookups").destination(batch -> List.of())
        .lookupTimeout(Duration.ofMillis(200))
        .input(lookupInput(ds, 1)).input(lookupInput(ds, 2)).input(lookupInput(ds, 3)).build();
    int n = 2_000;
    long[] took = new long[n];
    for (int i = 0; i < n; i++) {
      long began = System.nanoTime();
      Collected c = three.lookup("S-" + (1 + i * 7 % 1_000));
      took[i] = System.nanoTime() - began;
      if (!c.complete() || c.record().isEmpty()) {
        throw new IllegalStateException("lookup " + i + ": " + c.missing());
      }
    }
    Arrays.sort(took);
    System.out.printf("Lookups over three inputs (%,d, the first ones included): p50 %.2f ms, p99 %.2f ms%n", n,
        took[n / 2] / 1e6, took[n * 99 / 100] / 1e6);
    Aggregation slow = Aggregation.builder().name("bench-lookups-slow").destination(batch -> List.of())
        .lookupTimeout(Duration.ofMillis(200)).input(lookupInput(ds, 1))
        .input(Input.from("stuck", (dev.patchbay.core.Source<Fields>) after -> { throw new IllegalStateException(); })
            .transform(Transform.identity()).lookup(keys -> {
              try {
                Thread.sleep(5_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return Map.of();
            }).mergeKey("account")).build();
    long began = System.nanoTime();
    Collected c = slow.lookup("S-1");
    System.out.printf("A lookup with one input that takes 5 s: answered in %d ms, missing %s%n",
        (System.nanoTime() - began) / 1_000_000, c.missing());
  }

  private static Input<Fields> lookupInput(DataSource ds, int i) {
    JdbcTable t = JdbcTable.builder(ds).describedAs("bench", "agg_src" + i).table("agg_src" + i).key("id")
        .column("account").column("name").column("email").column("amount").build();
    return Input.from("src" + i, t).transform(Transform.identity())
        .lookup(t, account -> List.of(account.substring(account.indexOf('-') + 1))).mergeKey("account");
  }

  private static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
