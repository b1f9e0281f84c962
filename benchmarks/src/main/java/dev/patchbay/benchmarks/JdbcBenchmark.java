package dev.patchbay.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.migration.Migration;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.job.builder.JobBuilder;
import org.springframework.batch.core.launch.support.TaskExecutorJobLauncher;
import org.springframework.batch.core.repository.JobRepository;
import org.springframework.batch.core.repository.support.ResourcelessJobRepository;
import org.springframework.batch.core.step.builder.StepBuilder;
import org.springframework.batch.item.database.JdbcBatchItemWriter;
import org.springframework.batch.item.database.JdbcCursorItemReader;
import org.springframework.batch.item.database.builder.JdbcBatchItemWriterBuilder;
import org.springframework.batch.item.database.builder.JdbcCursorItemReaderBuilder;
import org.springframework.jdbc.support.JdbcTransactionManager;

/**
 * Issue 3's measurement: migrate a customer table of N rows into an empty table with a small
 * transform (lower-case email, upper-case country), on H2 and PostgreSQL, side by side in one JVM:
 * raw JDBC, a Spring Batch 5 chunk step, Patchbay's Migration with the JDBC connector, and on
 * PostgreSQL COPY out and in as the practical limit. Each run is checked: row count, sum of ids
 * and balances, and no email or country left untransformed. Medians over rounds; ratios to raw JDBC.
 *
 * <p>Run: {@code mvn -q -pl benchmarks -am compile exec:java -Dexec.mainClass=dev.patchbay.benchmarks.JdbcBenchmark
 * -Dexec.args="1000000 3"}. PostgreSQL is used where it runs on 127.0.0.1:5432 (database test).
 */
public final class JdbcBenchmark {

  private static final int CHUNK = 1_000;
  private static final String FIXED_HEAP = "patchbay.bench.heap";
  private static final String COLUMNS = "id, external_id, first_name, last_name, email, phone, city, country, updated_at, balance";

  private JdbcBenchmark() {
  }

  /** One way of copying {@code source} into the empty {@code target}. */
  @FunctionalInterface
  interface Contender {
    void copy(DataSource ds, String source, String target) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--profile")) {   // --profile URL USER ROWS: Patchbay alone, for a profiler
      boolean pg = args[1].startsWith("jdbc:postgresql");
      try (HikariDataSource ds = pool(args[1], args[2].isEmpty() ? null : args[2])) {
        execute(ds, "DROP TABLE IF EXISTS bench_src");
        execute(ds, "DROP TABLE IF EXISTS bench_dst");
        create(ds, "bench_src", pg);
        populate(ds, Integer.parseInt(args[3]), pg);
        for (int i = 0; i < 9; i++) {
          execute(ds, "DROP TABLE IF EXISTS bench_dst");
          create(ds, "bench_dst", pg);
          long t0 = System.nanoTime();
          int writers = 1 + i % 3;
          patchbay(ds, "bench_src", "bench_dst", false, true, writers);
          System.out.printf("patchbay, read-ahead, %d writers: %.0f ms%n", writers, (System.nanoTime() - t0) / 1e6);
        }
      }
      return;
    }
    if (args.length > 0 && args[0].equals("--patchbay-only")) {
      patchbayUnderLimitedHeap(args[1], args[2]);
      return;
    }
    if (System.getProperty(FIXED_HEAP) == null) {
      // H2 keeps its tables in this JVM's heap: a heap that grows and shrinks between contenders
      // (System.gc() gives memory back) made rounds vary by a third. All contenders get one fixed heap.
      Bench.inChildJvm(List.of("-Xms6g", "-Xmx6g", "-D" + FIXED_HEAP + "=6g"), JdbcBenchmark.class, Arrays.asList(args));
      return;
    }
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    List<String> only = args.length > 2 ? Arrays.asList(args[2].split(",")) : List.of("h2", "postgresql");
    if (only.contains("h2")) {
      run("H2", "jdbc:h2:mem:bench;DB_CLOSE_DELAY=-1", null, rows, rounds);
    }
    if (only.contains("postgresql")) {
      run("PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", rows, rounds);
    }
  }

  private static HikariDataSource pool(String url, String user) {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(url);
    c.setUsername(user);
    c.setMaximumPoolSize(4);
    return new HikariDataSource(c);
  }

  private static void run(String name, String url, String user, int rows, int rounds) throws Exception {
    try (HikariDataSource ds = pool(url, user)) {
      boolean pg = name.equals("PostgreSQL");
      execute(ds, "DROP TABLE IF EXISTS bench_src");
      execute(ds, "DROP TABLE IF EXISTS bench_dst");
      create(ds, "bench_src", pg);
      populate(ds, rows, pg);
      long[] expected = checksum(ds, "bench_src");

      Map<String, Contender> contenders = new LinkedHashMap<>();
      contenders.put("raw JDBC (fetch 1000, batch 1000, commit per batch)", JdbcBenchmark::rawJdbc);
      if (pg) {
        contenders.put("raw JDBC, reWriteBatchedInserts", (d, s, t) -> {
          try (HikariDataSource rewritten = pool(url + "?reWriteBatchedInserts=true", user)) {
            rawJdbc(rewritten, s, t);
          }
        });
      }
      contenders.put("Spring Batch 5 chunk step (1000)", JdbcBenchmark::springBatch);
      contenders.put("Patchbay, defaults (read-ahead and writers as the connectors declare)", (d, s, t) -> patchbay(d, s, t,
          false, null, null));
      contenders.put("Patchbay, defaults, reconciled (the quick start's build)", (d, s, t) -> patchbay(d, s, t, true, null, null));
      contenders.put("Patchbay Migration + JdbcTable (batch 1000)", (d, s, t) -> patchbay(d, s, t, false, false, 1));
      contenders.put("Patchbay, read-ahead", (d, s, t) -> patchbay(d, s, t, false, true, 1));
      contenders.put("Patchbay, read-ahead, 2 writers", (d, s, t) -> patchbay(d, s, t, false, true, 2));
      contenders.put("Patchbay, read-ahead, 3 writers", (d, s, t) -> patchbay(d, s, t, false, true, 3));
      contenders.put("Patchbay, read-ahead, 3 writers, reconciled", (d, s, t) -> patchbay(d, s, t, true, true, 3));
      if (pg) {
        contenders.put("COPY out and in (the practical limit)", JdbcBenchmark::copy);
      }

      Map<String, long[]> nanos = new LinkedHashMap<>();
      Map<String, long[]> gcMillis = new LinkedHashMap<>();
      contenders.keySet().forEach(k -> {
        nanos.put(k, new long[rounds]);
        gcMillis.put(k, new long[rounds]);
      });
      List<Map.Entry<String, Contender>> order = new ArrayList<>(contenders.entrySet());
      for (int round = -1; round < rounds; round++) {   // round -1 warms up and is not counted
        // Each round starts with the next contender, so none always runs in the wake of the same other.
        Collections.rotate(order, -1);
        for (Map.Entry<String, Contender> c : order) {
          String target = "bench_dst";
          execute(ds, "DROP TABLE IF EXISTS " + target);
          create(ds, target, pg);
          System.gc();
          long gc0 = Bench.gcMillis();
          long t0 = System.nanoTime();
          c.getValue().copy(ds, "bench_src", target);
          long elapsed = System.nanoTime() - t0;
          long gc = Bench.gcMillis() - gc0;
          long[] got = checksum(ds, target);
          if (!Arrays.equals(expected, got)) {
            throw new IllegalStateException(c.getKey() + " on " + name + ": checksum " + Arrays.toString(got)
                + " where the source gives " + Arrays.toString(expected));
          }
          if (round >= 0) {
            nanos.get(c.getKey())[round] = elapsed;
            gcMillis.get(c.getKey())[round] = gc;
          }
        }
      }
      double raw = rows / (Bench.median(nanos.values().iterator().next()) / 1e9);
      System.out.printf("%n%s: %,d rows, median of %d rounds (rows/s; ratio to raw JDBC; collector time, median)%n",
          name, rows, rounds);
      for (Map.Entry<String, long[]> e : nanos.entrySet()) {
        double rate = rows / (Bench.median(e.getValue()) / 1e9);
        String each = Arrays.stream(e.getValue()).mapToObj(n -> String.format("%.0fk", rows / (n / 1e9) / 1000))
            .collect(Collectors.joining(" "));
        System.out.printf("  %-47s %,9.0f rows/s %5.2fx  GC %,5.0f ms  rounds: %s%n", e.getKey(), rate, rate / raw,
            Bench.median(gcMillis.get(e.getKey())), each);
      }
      execute(ds, "DROP TABLE IF EXISTS bench_dst");
      if (pg) {
        boundedHeap(url, user);
      }
      execute(ds, "DROP TABLE IF EXISTS bench_src");
    }
  }

  // ---- the contenders -----------------------------------------------------------------------------

  static void rawJdbc(DataSource ds, String source, String target) throws Exception {
    try (Connection in = ds.getConnection(); Connection out = ds.getConnection()) {
      in.setAutoCommit(false);
      out.setAutoCommit(false);
      try (Statement read = in.createStatement();
           PreparedStatement write = out.prepareStatement("INSERT INTO " + target + " (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")) {
        read.setFetchSize(CHUNK);
        try (ResultSet rs = read.executeQuery("SELECT " + COLUMNS + " FROM " + source)) {
          int n = 0;
          while (rs.next()) {
            write.setLong(1, rs.getLong(1));
            write.setString(2, rs.getString(2));
            write.setString(3, rs.getString(3));
            write.setString(4, rs.getString(4));
            write.setString(5, rs.getString(5).toLowerCase(Locale.ROOT));
            write.setString(6, rs.getString(6));
            write.setString(7, rs.getString(7));
            write.setString(8, rs.getString(8).toUpperCase(Locale.ROOT));
            write.setTimestamp(9, rs.getTimestamp(9));
            write.setBigDecimal(10, rs.getBigDecimal(10));
            write.addBatch();
            if (++n % CHUNK == 0) {
              write.executeBatch();
              out.commit();
            }
          }
          write.executeBatch();
          out.commit();
        }
      }
      in.commit();
    }
  }

  /** A row as Spring Batch passes it. */
  record Customer(long id, String externalId, String firstName, String lastName, String email, String phone, String city,
                  String country, Timestamp updatedAt, BigDecimal balance) {
  }

  static void springBatch(DataSource ds, String source, String target) throws Exception {
    JobRepository repository = new ResourcelessJobRepository();
    JdbcTransactionManager tx = new JdbcTransactionManager(ds);
    JdbcCursorItemReader<Customer> reader = new JdbcCursorItemReaderBuilder<Customer>()
        .name("customers").dataSource(ds).sql("SELECT " + COLUMNS + " FROM " + source).fetchSize(CHUNK)
        .rowMapper((rs, i) -> new Customer(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9), rs.getBigDecimal(10)))
        .build();
    JdbcBatchItemWriter<Customer> writer = new JdbcBatchItemWriterBuilder<Customer>().dataSource(ds)
        .sql("INSERT INTO " + target + " (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)")
        .itemPreparedStatementSetter((c, ps) -> {
          ps.setLong(1, c.id());
          ps.setString(2, c.externalId());
          ps.setString(3, c.firstName());
          ps.setString(4, c.lastName());
          ps.setString(5, c.email());
          ps.setString(6, c.phone());
          ps.setString(7, c.city());
          ps.setString(8, c.country());
          ps.setTimestamp(9, c.updatedAt());
          ps.setBigDecimal(10, c.balance());
        })
        .assertUpdates(true).build();
    writer.afterPropertiesSet();
    Job job = new JobBuilder("copy-customers", repository)
        .start(new StepBuilder("copy", repository).<Customer, Customer>chunk(CHUNK, tx)
            .reader(reader)
            .processor(c -> new Customer(c.id(), c.externalId(), c.firstName(), c.lastName(),
                c.email().toLowerCase(Locale.ROOT), c.phone(), c.city(), c.country().toUpperCase(Locale.ROOT),
                c.updatedAt(), c.balance()))
            .writer(writer).build())
        .build();
    TaskExecutorJobLauncher launcher = new TaskExecutorJobLauncher();
    launcher.setJobRepository(repository);
    launcher.afterPropertiesSet();
    JobExecution execution = launcher.run(job, new JobParametersBuilder().addLong("run", System.nanoTime()).toJobParameters());
    if (execution.getStatus() != BatchStatus.COMPLETED) {
      throw new IllegalStateException("Spring Batch ended " + execution.getStatus() + ": " + execution.getAllFailureExceptions());
    }
  }

  private static JdbcTable table(DataSource ds, String name) {
    return JdbcTable.builder(ds).describedAs("bench", name).table(name).key("id")
        .column("external_id").column("first_name").column("last_name").column("email").column("phone")
        .column("city").column("country").column("updated_at").column("balance").pageSize(CHUNK).build();
  }

  /** A migration of {@code source} into {@code target}; read-ahead and writers as the connectors declare where null. */
  static void patchbay(DataSource ds, String source, String target, boolean reconcile, Boolean readAhead, Integer writers) {
    var builder = Migration.builder()
        .name("bench-customers")
        .source(table(ds, source))
        .scope(ScopeCriteria.all())
        .transform(Transform.payload(f -> f.with("email", ((String) f.get("email")).toLowerCase(Locale.ROOT))
            .with("country", ((String) f.get("country")).toUpperCase(Locale.ROOT))))
        .destination(table(ds, target))
        .batchSize(CHUNK)
        .reconcile(reconcile);
    if (readAhead != null) {
      builder.readAhead(readAhead);
    }
    if (writers != null) {
      builder.writers(writers);
    }
    RunReport report = builder.build().run();
    if (report.status() != RunStatus.COMPLETED || report.counts().failed() > 0
        || (reconcile && !report.reconciliation().holds())) {
      throw new IllegalStateException(report.summary());
    }
  }

  static void copy(DataSource ds, String source, String target) throws Exception {
    Path tmp = Files.createTempFile("bench-copy", ".csv");
    try (Connection c = ds.getConnection()) {
      PGConnection pg = c.unwrap(PGConnection.class);
      try (OutputStream out = new FileOutputStream(tmp.toFile())) {
        pg.getCopyAPI().copyOut("COPY (SELECT id, external_id, first_name, last_name, lower(email), phone, city,"
            + " upper(country), updated_at, balance FROM " + source + ") TO STDOUT", out);
      }
      try (InputStream in = new FileInputStream(tmp.toFile())) {
        pg.getCopyAPI().copyIn("COPY " + target + " (" + COLUMNS + ") FROM STDIN", in);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  // ---- bounded heap ---------------------------------------------------------------------------------

  private static void boundedHeap(String url, String user) throws Exception {
    String java = Bench.java();
    Process p = new ProcessBuilder(java, "-Xmx128m", "-cp", Bench.classPath(), JdbcBenchmark.class.getName(),
        "--patchbay-only", url, user).inheritIO().start();
    if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
      throw new IllegalStateException("the Patchbay run under -Xmx128m failed");
    }
  }

  private static void patchbayUnderLimitedHeap(String url, String user) throws Exception {
    try (HikariDataSource ds = pool(url, user)) {
      execute(ds, "DROP TABLE IF EXISTS bench_dst");
      create(ds, "bench_dst", true);
      long t0 = System.nanoTime();
      patchbay(ds, "bench_src", "bench_dst", true, true, 2);
      double s = (System.nanoTime() - t0) / 1e9;
      if (!Arrays.equals(checksum(ds, "bench_src"), checksum(ds, "bench_dst"))) {
        throw new IllegalStateException("checksums differ under -Xmx128m");
      }
      long peak = Bench.peakHeap();
      System.out.printf("%nPostgreSQL, Patchbay with reconciliation under -Xmx128m: %,d rows in %.1f s, peak heap %.1f MiB%n",
          checksum(ds, "bench_dst")[0], s, peak / 1048576.0);
      execute(ds, "DROP TABLE IF EXISTS bench_dst");
    }
  }

  // ---- tables ---------------------------------------------------------------------------------------

  private static void create(DataSource ds, String table, boolean pg) {
    execute(ds, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, external_id VARCHAR(40), first_name VARCHAR(60),"
        + " last_name VARCHAR(60), email VARCHAR(120), phone VARCHAR(40), city VARCHAR(60), country VARCHAR(8),"
        + " updated_at TIMESTAMP(3), balance DECIMAL(14,2))");
  }

  private static void populate(DataSource ds, int rows, boolean pg) {
    String series = pg ? "generate_series(1, " + rows + ") AS s(x)" : "SYSTEM_RANGE(1, " + rows + ") AS s";
    String x = pg ? "s.x" : "s.X";
    execute(ds, "INSERT INTO bench_src (" + COLUMNS + ") SELECT " + x + ", 'EXT-' || " + x + ", 'First' || " + x
        + ", 'Last' || " + x + ", 'Person.' || " + x + " || '@Example.COM', '+64 21 ' || " + x + ", 'Wellington', 'nz',"
        + " TIMESTAMP '2026-01-01 00:00:00' , CAST(" + x + " AS DECIMAL(14,2)) / 100 FROM " + series);
  }

  /** Rows, sum of ids, sum of balances in cents, and rows whose email or country is not yet transformed. */
  private static long[] checksum(DataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT COUNT(*), SUM(id), SUM(balance * 100),"
             + " SUM(CASE WHEN email = LOWER(email) AND country = UPPER(country) THEN 0 ELSE 1 END) FROM " + table)) {
      rs.next();
      long untransformed = table.equals("bench_src") ? 0 : rs.getLong(4);
      return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), untransformed};
    }
  }

  private static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (Exception e) {
      throw new IllegalStateException(sql, e);
    }
  }
}
