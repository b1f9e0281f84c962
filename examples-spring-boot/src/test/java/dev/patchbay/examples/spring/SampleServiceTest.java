package dev.patchbay.examples.spring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.DestinationStatus;
import dev.patchbay.patterns.migration.Migration;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The sample service, through the starter, on PostgreSQL: its migration, broadcast and sync as
 * beans, their health and meters over HTTP, a close in mid-run and the next start, and the
 * migrations' endpoint off by default and, turned on, for the operator only. Each test has tables
 * of its own (and a state store of its own); a test skips where PostgreSQL is absent, and fails
 * under CI=true.
 */
class SampleServiceTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String OPERATOR = "Basic " + Base64.getEncoder().encodeToString("operator:change-me".getBytes(StandardCharsets.UTF_8));
  private final HttpClient http = HttpClient.newHttpClient();
  private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();
  private DataSource db;
  private String prefix;

  @BeforeEach
  void database() {
    db = TestDatabases.POSTGRESQL.dataSource();
    prefix = "sb" + Long.toString(ThreadLocalRandom.current().nextLong(1L << 40), 36);
  }

  @AfterEach
  void close() throws SQLException {
    contexts.forEach(ConfigurableApplicationContext::close);
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
         ResultSet rs = c.getMetaData().getTables(null, null, prefix + "%", new String[] {"TABLE"})) {
      List<String> tables = new ArrayList<>();
      while (rs.next()) {
        tables.add(rs.getString("TABLE_NAME"));
      }
      for (String t : tables) {
        s.execute("DROP TABLE IF EXISTS " + t + " CASCADE");
      }
    }
  }

  /** The service on PostgreSQL, its tables and state store this test's own; {@code more} as command-line arguments. */
  private ConfigurableApplicationContext start(String... more) {
    List<String> args = new ArrayList<>(List.of("--server.port=0",
        "--spring.datasource.url=" + TestDatabases.POSTGRESQL.url(), "--spring.datasource.username=postgres",
        "--sample.tables=" + prefix, "--sample.seed=false", "--patchbay.state.table-prefix=" + prefix + "_pb",
        "--patchbay.patterns.contacts-sync.every=300ms", "--patchbay.lifecycle.stop-timeout=15s"));
    args.addAll(List.of(more));
    ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleService.class).run(args.toArray(String[]::new));
    contexts.add(context);
    return context;
  }

  @Test
  void healthIsDownWhileBillingIsParkedAndUpAfterResume_andTheMetersAreAtActuatorMetrics() throws Exception {
    ConfigurableApplicationContext app = start();
    Broadcast broadcast = app.getBean(Broadcast.class);
    execute("ALTER TABLE " + prefix + "_invoices RENAME TO " + prefix + "_invoices_away");   // billing's table, gone in maintenance
    broadcast.publishAll(List.of(opportunity("o-1", "Harbour Cafe", "1200.00", "won"),
        opportunity("o-2", "Te Aro Books", "480.00", "won"),
        opportunity("o-3", "Kelburn Dental", "90.00", "open")));
    await("billing parked", () -> broadcast.status().destination("billing").state() == DestinationStatus.State.PARKED);

    HttpResponse<String> down = get(app, "/actuator/health", true);
    assertEquals(503, down.statusCode(), down.body());
    JsonNode closedWon = JSON.readTree(down.body()).at("/components/patchbay/components/closed-won");
    assertEquals("DOWN", closedWon.at("/status").asText(), down.body());
    assertEquals("billing", closedWon.at("/details/parked/0").asText(), down.body());
    assertEquals("PARKED", closedWon.at("/details/destinations/billing").asText(), down.body());
    assertEquals("UP", JSON.readTree(down.body()).at("/components/patchbay/components/legacy-contacts/status").asText());
    HttpResponse<String> anonymous = get(app, "/actuator/health", false);
    assertEquals(503, anonymous.statusCode());
    assertEquals("{\"status\":\"DOWN\"}", anonymous.body(), "no details for a caller who is not the operator");
    assertEquals(1.0, meter(app, "patchbay.broadcast.parked", "name:closed-won", "destination:billing"));

    assertEquals(List.of("o-1 1200.00", "o-2 480.00"), rows("SELECT id, amount FROM " + prefix + "_erp_orders ORDER BY id"),
        "the ERP is not held back by billing");
    execute("ALTER TABLE " + prefix + "_invoices_away RENAME TO " + prefix + "_invoices");   // back, by a person
    broadcast.resume("billing");
    assertTrue(broadcast.awaitDelivered(Duration.ofSeconds(30)), () -> broadcast.status().summary());
    HttpResponse<String> up = get(app, "/actuator/health", true);
    assertEquals(200, up.statusCode(), up.body());
    assertEquals("UP", JSON.readTree(up.body()).at("/components/patchbay/components/closed-won/status").asText(), up.body());
    assertEquals(0.0, meter(app, "patchbay.broadcast.parked", "name:closed-won", "destination:billing"));
    assertEquals(List.of("o-1 1200.00", "o-2 480.00"), rows("SELECT id, amount FROM " + prefix + "_invoices ORDER BY id"));

    // the application's registry, not the global one: every meter of the starter's, tagged with the pattern
    JsonNode names = JSON.readTree(get(app, "/actuator/metrics", true).body()).at("/names");
    for (String meter : List.of("patchbay.records", "patchbay.batch", "patchbay.run", "patchbay.retries", "patchbay.conflicts",
        "patchbay.broadcast.lag", "patchbay.broadcast.lag.events", "patchbay.broadcast.parked")) {
      assertTrue(names.toString().contains("\"" + meter + "\""), meter + " in " + names);
    }
    // two won opportunities, each created once in each of the two destinations; the open one skipped by both scopes
    assertEquals(4.0, meter(app, "patchbay.records", "name:closed-won", "outcome:created"));
    assertEquals(2.0, meter(app, "patchbay.records", "name:closed-won", "outcome:skipped"));
    assertEquals(0.0, meter(app, "patchbay.broadcast.lag.events", "name:closed-won", "destination:erp"));
    assertTrue(io.micrometer.core.instrument.Metrics.globalRegistry.find("patchbay.records").meters().isEmpty(),
        "nothing in Micrometer's global registry");
  }

  @Test
  void twoInstancesOfTheService_deliverEachEventOnce_andTheSecondTakesOverWhenTheFirstStops() throws Exception {
    String[] both = {"--patchbay.lifecycle.standby-retry=200ms", "--patchbay.patterns.legacy-contacts.run-at-start=false"};
    ConfigurableApplicationContext first = start(both);
    ConfigurableApplicationContext second = start(both);   // same tables, same state store: the second stands by
    Broadcast viaSecond = second.getBean(Broadcast.class);
    viaSecond.publishAll(List.of(opportunity("o-1", "Harbour Cafe", "1200.00", "won"),
        opportunity("o-2", "Te Aro Books", "480.00", "won"), opportunity("o-3", "Kelburn Dental", "90.00", "won")));
    await("delivered by the first", () -> count(prefix + "_erp_orders") == 3 && count(prefix + "_invoices") == 3);
    HttpResponse<String> standing = get(second, "/actuator/health/patchbay/closed-won", true);
    assertEquals("UP", JSON.readTree(standing.body()).at("/status").asText(), standing.body());
    assertEquals("STANDBY", JSON.readTree(standing.body()).at("/details/state").asText(), "its ledgers are the first's: "
        + standing.body());
    assertEquals(200, get(second, "/actuator/health", true).statusCode(), "a standing-by instance stays in service");

    first.close();
    viaSecond.publish(opportunity("o-4", "Island Bay Surf", "860.00", "won"));
    await("delivered by the second", () -> count(prefix + "_erp_orders") == 4 && count(prefix + "_invoices") == 4);
    for (String destination : List.of("erp", "billing")) {
      DestinationStatus d = viaSecond.status().destination(destination);
      assertEquals(4, d.counts().created(), d.summary());
      assertEquals(0, d.counts().unchanged() + d.counts().updated(), "no event delivered twice: " + d.summary());
    }
    HttpResponse<String> tookOver = get(second, "/actuator/health/patchbay/closed-won", true);
    assertEquals("UP", JSON.readTree(tookOver.body()).at("/status").asText(), tookOver.body());
    assertEquals("RUNNING", JSON.readTree(tookOver.body()).at("/details/state").asText(), tookOver.body());
  }

  @Test
  void theSyncKeepsBothSidesAsOne_andABlockedRoundIsOutOfService() throws Exception {
    ConfigurableApplicationContext app = start();
    for (int i = 0; i < 20; i++) {
      execute("INSERT INTO " + prefix + "_crm_contacts (id, name, city, updated_at) VALUES ('c" + i + "', 'Contact " + i
          + "', 'Wellington', CURRENT_TIMESTAMP)");
    }
    await("20 applicants", () -> count(prefix + "_applicants WHERE NOT deleted") == 20);
    execute("UPDATE " + prefix + "_applicants SET town = 'Porirua', updated_at = CURRENT_TIMESTAMP WHERE id = 'c3'");
    await("the town back in the CRM", () -> count(prefix + "_crm_contacts WHERE id = 'c3' AND city = 'Porirua'") == 1);

    execute("UPDATE " + prefix + "_crm_contacts SET deleted = TRUE, updated_at = CURRENT_TIMESTAMP");   // every contact: a mass delete
    await("the round blocked", () -> lastRun(app, "contacts-sync").equals("BLOCKED"));
    HttpResponse<String> out = get(app, "/actuator/health/patchbay/contacts-sync", true);
    assertEquals(503, out.statusCode(), out.body());
    assertEquals("OUT_OF_SERVICE", JSON.readTree(out.body()).at("/status").asText(), out.body());
    assertEquals(20, count(prefix + "_applicants WHERE NOT deleted"), "a blocked round deletes nothing");
  }

  @Test
  void aContextClosedInMidRunStopsAtACheckpoint_andTheNextStartGoesOnWithoutLoss() throws Exception {
    int rows = 300_000;
    SampleSchema.create(db, prefix);
    execute("INSERT INTO " + prefix + "_legacy (id, name, email, region) SELECT 'L' || lpad(g::text, 7, '0'),"
        + " 'Contact ' || g || CASE WHEN g % 1000 = 0 THEN ' \uD83C\uDF3F' ELSE '' END,"
        + " CASE WHEN g % 7 = 0 THEN NULL ELSE 'c' || g || '@example.org' END, CASE WHEN g % 2 = 0 THEN 'north' ELSE 'south' END"
        + " FROM generate_series(1, " + rows + ") g");
    ConfigurableApplicationContext first = start();   // application.properties: legacy-contacts runs at start
    Migration<?, ?> migration = first.getBean(Migration.class);
    await("the migration under way", () -> count(prefix + "_crm_accounts") >= 5_000);
    long t0 = System.nanoTime();
    first.close();
    long closeMillis = (System.nanoTime() - t0) / 1_000_000;
    RunReport stopped = (RunReport) migration.status().last().orElseThrow();
    long afterFirst = count(prefix + "_crm_accounts");
    assertEquals(RunStatus.STOPPED, stopped.status(), stopped.summary());
    assertTrue(afterFirst < rows, "closed in mid-run: " + afterFirst + " of " + rows);
    assertTrue(closeMillis < 15_000, "the run reached a checkpoint within the stop timeout: " + closeMillis + " ms");

    ConfigurableApplicationContext second = start();
    Migration<?, ?> again = second.getBean(Migration.class);
    await("the migration completed", () -> again.status().last().map(r -> r.status() == RunStatus.COMPLETED).orElse(false));
    RunReport completed = (RunReport) again.status().last().orElseThrow();
    assertEquals(rows, count(prefix + "_crm_accounts"));
    assertEquals(rows, count(prefix + "_legacy l JOIN " + prefix + "_crm_accounts a ON a.id = l.id AND a.name = l.name"
        + " AND a.email IS NOT DISTINCT FROM l.email AND a.region = l.region"), "every row, every value");
    // the second report counts the whole migration, this run and the one it resumed: each row created once
    assertEquals(rows, completed.counts().read(), completed.summary());
    assertEquals(rows, completed.counts().created(), completed.summary());
    assertEquals(0, completed.counts().failed(), completed.summary());
    assertTrue(completed.reconciliation() != null && completed.reconciliation().holds(), completed.summary());
    assertTrue(completed.resumedFrom() != null, "resumed, not started over: " + completed.summary());
  }

  @Test
  void theMigrationsEndpointIsOffByDefault() throws Exception {
    ConfigurableApplicationContext app = start("--patchbay.patterns.legacy-contacts.run-at-start=false");
    assertEquals(404, get(app, "/actuator/patchbay", true).statusCode());
    assertEquals(404, post(app, "/actuator/patchbay/legacy-contacts", "{\"action\":\"run\"}", true).statusCode());
    assertEquals(PatternStatus.State.IDLE, app.getBean(Migration.class).status().state(), "nothing ran");
  }

  @Test
  void turnedOn_theOperatorPlansRunsAndReadsAParameterisedMigration_andNobodyElseCan() throws Exception {
    SampleSchema.create(db, prefix);
    execute("INSERT INTO " + prefix + "_legacy (id, name, email, region) SELECT 'L' || g, 'Contact ' || g, NULL,"
        + " CASE WHEN g % 3 = 0 THEN 'north' ELSE 'south' END FROM generate_series(1, 300) g");
    ConfigurableApplicationContext app = start("--patchbay.patterns.legacy-contacts.run-at-start=false",
        "--management.endpoint.patchbay.access=unrestricted");
    assertEquals(401, get(app, "/actuator/patchbay", false).statusCode());
    assertEquals(401, post(app, "/actuator/patchbay/legacy-contacts", "{\"action\":\"run\"}", false).statusCode());
    assertEquals(0, count(prefix + "_crm_accounts"));

    JsonNode list = JSON.readTree(get(app, "/actuator/patchbay", true).body());
    assertEquals("IDLE", list.at("/migrations/legacy-contacts/state").asText(), list.toString());

    HttpResponse<String> plan = post(app, "/actuator/patchbay/legacy-contacts",
        "{\"action\":\"plan\",\"parameters\":\"region=north\"}", true);
    assertEquals(200, plan.statusCode(), plan.body());
    JsonNode planned = JSON.readTree(plan.body());
    assertEquals(100, planned.at("/writes").asInt(), plan.body());
    assertEquals("PLANNED", planned.at("/report/status").asText(), plan.body());
    assertEquals("CREATE", planned.at("/planned/0/action").asText(), plan.body());
    assertEquals(0, count(prefix + "_crm_accounts"), "a plan writes nothing");

    HttpResponse<String> run = post(app, "/actuator/patchbay/legacy-contacts",
        "{\"action\":\"run\",\"parameters\":\"region=north\"}", true);
    assertEquals(202, run.statusCode(), run.body());
    String id = JSON.readTree(run.body()).at("/run").asText();
    JsonNode[] ended = new JsonNode[1];
    await("the run ended", () -> {
      ended[0] = JSON.readTree(get(app, "/actuator/patchbay/legacy-contacts/" + id, true).body());
      return ended[0].at("/state").asText().equals("ENDED");
    });
    assertEquals("COMPLETED", ended[0].at("/report/status").asText(), ended[0].toString());
    assertEquals(100, ended[0].at("/report/counts/created").asInt(), ended[0].toString());
    assertEquals(100, count(prefix + "_crm_accounts WHERE region = 'north'"));
    assertEquals(0, count(prefix + "_crm_accounts WHERE region <> 'north'"));

    HttpResponse<String> wrong = post(app, "/actuator/patchbay/legacy-contacts", "{\"action\":\"erase\"}", true);
    assertEquals(400, wrong.statusCode());
    assertTrue(wrong.body().contains("action 'erase' is not one of plan, run"), wrong.body());
    assertEquals(404, post(app, "/actuator/patchbay/nothing", "{\"action\":\"run\"}", true).statusCode());
  }

  // --- helpers

  private static Change<Fields> opportunity(String id, String account, String amount, String stage) {
    return Change.upsert(Envelope.of(id, Fields.of("account", account, "amount", new BigDecimal(amount), "stage", stage)));
  }

  private String lastRun(ConfigurableApplicationContext app, String name) throws Exception {
    return JSON.readTree(get(app, "/actuator/health/patchbay/" + name, true).body()).at("/details/lastRun").asText();
  }

  private double meter(ConfigurableApplicationContext app, String name, String... tags) throws Exception {
    StringBuilder q = new StringBuilder();
    for (String t : tags) {
      q.append(q.length() == 0 ? "?" : "&").append("tag=").append(t);
    }
    HttpResponse<String> r = get(app, "/actuator/metrics/" + name + q, true);
    assertEquals(200, r.statusCode(), name + q + ": " + r.body());
    return JSON.readTree(r.body()).at("/measurements/0/value").asDouble();
  }

  private HttpResponse<String> get(ConfigurableApplicationContext app, String path, boolean operator) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(app, path)).GET();
    if (operator) {
      r.header("Authorization", OPERATOR);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(ConfigurableApplicationContext app, String path, String body, boolean operator) throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(app, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (operator) {
      r.header("Authorization", OPERATOR);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(ConfigurableApplicationContext app, String path) {
    int port = ((WebServerApplicationContext) app).getWebServer().getPort();
    return URI.create("http://127.0.0.1:" + port + path);
  }

  private interface Check {
    boolean holds() throws Exception;
  }

  private static void await(String what, Check check) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!check.holds()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within 60 s: " + what);
      }
      Thread.sleep(20);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private long count(String from) throws SQLException {
    try (Connection c = db.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT count(*) FROM " + from)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private List<String> rows(String sql) throws SQLException {
    List<String> out = new ArrayList<>();
    try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      while (rs.next()) {
        out.add(rs.getString(1) + " " + rs.getString(2));
      }
    }
    return out;
  }
}
