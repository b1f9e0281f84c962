package dev.patchbay.benchmarks;

import dev.patchbay.core.report.RunStatus;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;

/**
 * A sync round against a full comparison and against the same changes applied by hand
 * ({@link HandSync}: changed rows read and upserted into the other side, no links): two tables of
 * ROWS linked records each, CHANGES edits on each side between rounds; the round, a full
 * comparison of the two tables and the hand-made round are timed in the same run, on H2 and
 * PostgreSQL. ROWS and CHANGES may be comma-separated lists: every size is
 * set up once and run with every number of changes, so that a table shows what a round's cost
 * follows.
 *
 * <p>{@code exec:java -Dexec.mainClass=dev.patchbay.benchmarks.SyncBenchmark -Dexec.args="ROWS CHANGES ROUNDS h2,postgresql"}
 */
public final class SyncBenchmark {

  /** 2026-01-01T00:00:00Z, the modification time every row starts with. */
  private static final long T0 = 1_767_225_600_000L;

  private SyncBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    List<Integer> sizes = numbers(args.length > 0 ? args[0] : "1000000");
    List<Integer> changes = numbers(args.length > 1 ? args[1] : "1000");
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
    List<String> only = List.of((args.length > 3 ? args[3] : "h2,postgresql").split(","));
    List<String> table = new ArrayList<>();
    for (int rows : sizes) {
      if (only.contains("h2")) {
        run("H2", "jdbc:h2:mem:syncbench;DB_CLOSE_DELAY=-1", "sa", rows, changes, rounds, table);
      }
      if (only.contains("postgresql")) {
        run("PostgreSQL", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", rows, changes, rounds, table);
      }
    }
    System.out.printf("%nMedians of %d rounds:%n", rounds);
    System.out.printf("| database | records per side | changes per side | sync round | full comparison | ratio | by hand | round / by hand |%n");
    System.out.printf("|---|---:|---:|---:|---:|---:|---:|---:|%n");
    table.forEach(System.out::println);
  }

  private static List<Integer> numbers(String list) {
    return java.util.Arrays.stream(list.split(",")).map(Integer::parseInt).toList();
  }

  private static void run(String name, String url, String user, int rows, List<Integer> changeCounts, int rounds,
      List<String> table) throws Exception {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername(user);
    config.setMaximumPoolSize(4);
    try (HikariDataSource ds = new HikariDataSource(config)) {
      long t0 = System.nanoTime();
      setUp(ds, rows);
      System.out.printf("%n%s: %,d linked records per side set up in %.1f s%n", name, rows, (System.nanoTime() - t0) / 1e9);
      JdbcTable.WithChanges crm = JdbcTable.builder(ds).describedAs("crm", "contacts").table("sync_crm").key("id")
          .column("name").column("email").column("city").modifiedAt("updated_at").pageSize(1_000).buildWithChanges();
      JdbcTable.WithChanges permits = JdbcTable.builder(ds).describedAs("permits", "people").table("sync_permits")
          .key("id").column("fullName", "full_name").column("mail").column("town").modifiedAt("updated_at")
          .pageSize(1_000).buildWithChanges();
      StateStore links = JdbcStateStore.of(ds, "sync_bench");
      String last = String.format("k%07d", rows);
      try (NamedState state = links.open("bench")) {   // both feeds read past the seeded rows: the sync's endpoints "a" and "b"
        state.save(new Progress(Map.of("a", Checkpoint.at(T0 + "|" + last), "b", Checkpoint.at(T0 + "|" + last)), Map.of(), 1,
            Counts.zero(), List.of(), Instant.now(), Map.of()), List.of());
      }
      BidirectionalSync sync = BidirectionalSync.builder().name("bench").sideA(crm).sideB(permits)
          .mapping(SyncBenchmark::toPermits, SyncBenchmark::toCrm).scopes(ScopeCriteria.all(), ScopeCriteria.all())
          .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(1), Side.A)).state(links).build();

      HandSync hand = new HandSync(ds, name.equals("PostgreSQL"));
      Random random = new Random(42);
      for (int changes : changeCounts) {
        long[] roundNanos = new long[rounds];
        long[] compareNanos = new long[rounds];
        long[] handNanos = new long[rounds];
        for (int r = -1; r < rounds; r++) {   // round -1 warms up (and carries the last size's echoes)
          edit(crm, permits, rows, changes, random);
          long s0 = System.nanoTime();
          SyncReport report = sync.round();
          long s1 = System.nanoTime();
          if (report.status() != RunStatus.COMPLETED || report.written() < changes) {
            throw new IllegalStateException(report.summary());
          }
          long differing = fullComparison(crm, permits);
          long s2 = System.nanoTime();
          if (differing != 0) {
            throw new IllegalStateException(differing + " records differ after the round");
          }
          // the floor: the same number of edits, applied by hand
          hand.startHere();
          edit(crm, permits, rows, changes, random);
          long h0 = System.nanoTime();
          long[] handWritten = hand.round();
          long h1 = System.nanoTime();
          if (handWritten[0] < changes * 0.9 || handWritten[1] < changes * 0.9) {
            throw new IllegalStateException("the hand sync wrote " + handWritten[0] + " and " + handWritten[1]);
          }
          sync.round();   // the sync takes the hand-made state in, so that the next round starts converged
          if (r >= 0) {
            roundNanos[r] = s1 - s0;
            compareNanos[r] = s2 - s1;
            handNanos[r] = h1 - h0;
            System.out.printf("  %,d changes per side, round %d: sync round %,.0f ms, full comparison %,.0f ms, by hand %,.0f ms%n",
                changes, r + 1, roundNanos[r] / 1e6, compareNanos[r] / 1e6, handNanos[r] / 1e6);
          }
        }
        double round = Bench.median(roundNanos) / 1e6;
        double compare = Bench.median(compareNanos) / 1e6;
        double floor = Bench.median(handNanos) / 1e6;
        table.add(String.format("| %s | %,d | %,d | %,.0f ms | %,.0f ms | %.1fx | %,.0f ms | %.2fx |", name, rows, changes, round,
            compare, compare / round, floor, round / floor));
      }
    }
  }

  static Fields toPermits(Fields crm) {
    return Fields.ofNullable("fullName", crm.get("name"), "mail", crm.get("email"), "town", crm.get("city"));
  }

  static Fields toCrm(Fields permits) {
    return Fields.ofNullable("name", permits.get("fullName"), "email", permits.get("mail"), "city", permits.get("town"));
  }

  /** CHANGES edits on each side: the CRM changes cities, permits change mail addresses, of random records. */
  private static void edit(JdbcTable crm, JdbcTable permits, int rows, int changes, Random random) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 2 * changes; i++) {
      keys.add(String.format("k%07d", 1 + random.nextInt(rows)));
    }
    List<String> onCrm = keys.subList(0, changes);
    List<String> onPermits = keys.subList(changes, 2 * changes);
    List<Change<Fields>> crmEdits = new ArrayList<>();
    crm.lookup(onCrm).forEach((k, r) -> crmEdits.add(Change.upsert(Envelope.of(k, r.payload().with("city", "City " + random.nextInt(1000))))));
    List<Change<Fields>> permitEdits = new ArrayList<>();
    permits.lookup(onPermits).forEach((k, r) -> permitEdits.add(Change.upsert(Envelope.of(k,
        r.payload().with("mail", "m" + random.nextInt(1_000_000) + "@example.org")))));
    crm.write(crmEdits);
    permits.write(permitEdits);
  }

  /** Both tables read whole in key order, every pair compared on the mapped fields: the records that differ. */
  static long fullComparison(JdbcTable crm, JdbcTable permits) throws Exception {
    long differing = 0;
    try (Cursor<Fields> a = crm.read(Checkpoint.start()); Cursor<Fields> b = permits.read(Checkpoint.start())) {
      Envelope<Fields> x = a.hasNext() ? a.next() : null;
      Envelope<Fields> y = b.hasNext() ? b.next() : null;
      while (x != null || y != null) {
        int order = x == null ? 1 : y == null ? -1 : x.key().compareTo(y.key());
        if (order == 0 && toPermits(x.payload()).differingFrom(toPermits(toCrm(y.payload()))).isEmpty()) {
          x = a.hasNext() ? a.next() : null;
          y = b.hasNext() ? b.next() : null;
          continue;
        }
        differing++;
        if (order <= 0) {
          x = a.hasNext() ? a.next() : null;
        }
        if (order >= 0) {
          y = b.hasNext() ? b.next() : null;
        }
      }
    }
    return differing;
  }

  private static void setUp(DataSource ds, int rows) throws Exception {
    boolean pg = ds.getConnection().getMetaData().getDatabaseProductName().equals("PostgreSQL");
    String series = pg ? "generate_series(1, " + rows + ") AS s(x)" : "SYSTEM_RANGE(1, " + rows + ") AS s";
    String x = pg ? "s.x" : "s.X";
    String key = pg ? "'k' || lpad(" + x + "::text, 7, '0')" : "'k' || LPAD(CAST(" + x + " AS VARCHAR), 7, '0')";
    String t0 = "TIMESTAMP '2026-01-01 00:00:00'";
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      for (String t : List.of("sync_crm", "sync_permits", "sync_bench_entries", "sync_bench_progress")) {
        s.execute("DROP TABLE IF EXISTS " + t);
      }
      s.execute("CREATE TABLE sync_crm (id VARCHAR(20) PRIMARY KEY, name VARCHAR(60), email VARCHAR(80), city VARCHAR(60),"
          + " updated_at TIMESTAMP(3) NOT NULL)");
      s.execute("CREATE INDEX sync_crm_changes ON sync_crm (updated_at, id)");
      s.execute("CREATE TABLE sync_permits (id VARCHAR(20) PRIMARY KEY, full_name VARCHAR(60), mail VARCHAR(80),"
          + " town VARCHAR(60), updated_at TIMESTAMP(3) NOT NULL)");
      s.execute("CREATE INDEX sync_permits_changes ON sync_permits (updated_at, id)");
      s.execute("INSERT INTO sync_crm SELECT " + key + ", 'Person ' || " + x + ", 'p' || " + x + " || '@example.org',"
          + " 'Wellington', " + t0 + " FROM " + series);
      s.execute("INSERT INTO sync_permits SELECT id, name, email, city, updated_at FROM sync_crm");
    }
    JdbcStateStore.of(ds, "sync_bench");   // creates its tables
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      // every pair linked, its base the record (a link is an entry of space "links": A key, B key as alias, state as tag)
      s.execute("INSERT INTO sync_bench_entries (entry_key, space, state_name, alias, tag, entry_value) SELECT id, 'links',"
          + " 'bench', id, 'LINKED', '{\"base\":[\"F\",{\"name\":[\"s\",\"' || name || '\"],\"email\":[\"s\",\"' || email"
          + " || '\"],\"city\":[\"s\",\"' || city || '\"]}]}' FROM sync_crm");
      if (pg) {
        s.execute("ANALYZE");
      }
    }
  }
}
