package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.file.CsvFile;
import dev.patchbay.connectors.file.FileSchema;
import dev.patchbay.connectors.file.JsonLinesFile;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Source;
import dev.patchbay.core.Stage;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.migration.Migration;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Migration over real connectors: files and databases, each run reconciled and then rerun idempotently. */
class MigrationEndToEndTest {

  private static final int CUSTOMERS = 2_000;

  private static final FileSchema CUSTOMER_FILE = FileSchema.keyedBy("id").text("name").text("email").text("city")
      .text("country").decimal("balance").date("updated").build();

  /** Lower-cases the email, upper-cases the country. */
  private static final Transform<Fields, Fields> CLEAN = Transform.payload(f -> f
      .with("email", f.requireText("email").toLowerCase(Locale.ROOT))
      .with("country", f.requireText("country").toUpperCase(Locale.ROOT)));

  @TempDir
  Path dir;

  private static String createCustomers(TestDatabases db, DataSource ds) {
    String table = "customers_" + System.nanoTime();
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, name VARCHAR(100), email VARCHAR(100),"
        + " city VARCHAR(60), country VARCHAR(10), balance DECIMAL(12,2), updated DATE)");
    return table;
  }

  private static JdbcTable customers(DataSource ds, String table) {
    return JdbcTable.builder(ds).describedAs("billing", "customers").table(table).key("id")
        .column("name").column("email").column("city").column("country").column("balance").column("updated")
        .sensitive("email").build();
  }

  private static List<Envelope<Fields>> generated(Random random) {
    List<Envelope<Fields>> rows = new ArrayList<>();
    for (int i = 0; i < CUSTOMERS; i++) {
      rows.add(Envelope.of(String.format("cust-%05d", i), Fields.of("name", "Customer " + i, "email", "Person" + i + "@Example.ORG",
          "city", "Wellington", "country", random.nextBoolean() ? "nz" : "au",
          "balance", new BigDecimal(random.nextInt(1_000_000)).movePointLeft(2),
          "updated", LocalDate.of(2020, 1, 1).plusDays(random.nextInt(1500)))));
    }
    return rows;
  }

  private static Migration<Fields, Fields> migration(String name, Source<Fields> from, Destination<Fields> to) {
    return Migration.builder().name(name).source(from).scope(ScopeCriteria.all()).transform(CLEAN)
        .destination(to).batchSize(250).build();
  }

  /** The same, reading ahead and writing three batches at once (a database destination takes concurrent writes). */
  private static Migration<Fields, Fields> concurrent(String name, Source<Fields> from, Destination<Fields> to) {
    return Migration.builder().name(name).source(from).scope(ScopeCriteria.all()).transform(CLEAN)
        .destination(to).batchSize(250).readAhead(true).writers(3).build();
  }

  private static void assertReconciledThenIdempotent(RunReport first, Migration<Fields, Fields> again, long desired) {
    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertTrue(first.reconciliation().holds(), first.summary());
    assertEquals(desired, first.reconciliation().desired());
    RunReport second = again.run();
    assertEquals(RunStatus.COMPLETED, second.status(), second.summary());
    assertEquals(0, second.counts().created() + second.counts().updated(), second.summary());
    assertEquals(desired, second.counts().unchanged());
    assertTrue(second.reconciliation().holds(), second.summary());
  }

  @Test
  void csvToPostgreSql_withBadLinesReported() throws Exception {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    Path csv = dir.resolve("customers.csv");
    CsvFile file = CsvFile.of(csv, CUSTOMER_FILE, "legacy-billing", "customers", "Finance");
    List<Change<Fields>> rows = generated(new Random(1)).stream().map(r -> (Change<Fields>) Change.upsert(r)).toList();
    file.write(rows);
    Files.writeString(csv, "cust-90001,Bad Balance,b@x.org,Auckland,nz,12.3.4,2021-01-01\n"
        + "cust-90002,Too,Few\n", StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
    String table = createCustomers(TestDatabases.POSTGRESQL, pg);

    RunReport report = concurrent("csv-to-postgres", file, customers(pg, table)).run();

    assertEquals(List.of(
        new Outcome.Failed("customers.csv:2002", Stage.READ, "balance", "is not a decimal number"),
        new Outcome.Failed("customers.csv:2003", Stage.READ, null, "has 3 values where the header has 7 columns")),
        report.failures());
    assertEquals(CUSTOMERS + 2, report.counts().read());
    assertReconciledThenIdempotent(report, concurrent("csv-to-postgres", file, customers(pg, table)), CUSTOMERS);
    Map<String, Envelope<Fields>> migrated = customers(pg, table).lookup(List.of("cust-00001", "cust-00002"));
    assertEquals(2, migrated.size());
    for (Envelope<Fields> r : migrated.values()) {
      String country = (String) r.payload().get("country");
      String email = (String) r.payload().get("email");
      assertTrue(country.equals("NZ") || country.equals("AU"), "country upper-cased: " + country);
      assertEquals(email.toLowerCase(Locale.ROOT), email, "email lower-cased");
    }
  }

  @Test
  void h2ToMariaDb() {
    DataSource h2 = TestDatabases.H2.dataSource();
    DataSource maria = TestDatabases.MARIADB.dataSource();
    JdbcTable source = customers(h2, createCustomers(TestDatabases.H2, h2));
    source.write(generated(new Random(2)).stream().map(r -> (Change<Fields>) Change.upsert(r)).toList());
    String table = createCustomers(TestDatabases.MARIADB, maria);

    RunReport report = concurrent("h2-to-mariadb", source, customers(maria, table)).run();

    assertEquals(CUSTOMERS, report.counts().created(), report.summary());
    assertReconciledThenIdempotent(report, concurrent("h2-to-mariadb", source, customers(maria, table)), CUSTOMERS);
    Envelope<Fields> one = customers(maria, table).lookup(List.of("cust-00007")).get("cust-00007");
    assertEquals("person7@example.org", one.payload().get("email"));
    assertTrue(one.payload().get("updated") instanceof LocalDate, "a DATE comes back as a LocalDate");
  }

  @Test
  void postgreSqlToJsonLines() throws Exception {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    JdbcTable source = customers(pg, createCustomers(TestDatabases.POSTGRESQL, pg));
    source.write(generated(new Random(3)).stream().map(r -> (Change<Fields>) Change.upsert(r)).toList());
    Path out = dir.resolve("customers.jsonl");
    JsonLinesFile target = JsonLinesFile.of(out, CUSTOMER_FILE, "data-lake", "customers", "Analytics");

    RunReport report = migration("postgres-to-jsonl", source, target).run();

    assertEquals(CUSTOMERS, report.counts().created(), report.summary());
    assertReconciledThenIdempotent(report, migration("postgres-to-jsonl", source,
        JsonLinesFile.of(out, CUSTOMER_FILE, "data-lake", "customers", "Analytics")), CUSTOMERS);
    assertEquals(CUSTOMERS, Files.readAllLines(out).size(), "the rerun appended nothing");
  }
}
