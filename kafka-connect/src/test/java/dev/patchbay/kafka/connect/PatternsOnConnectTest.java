package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.migration.Migration;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfo;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The patterns on an embedded Connect cluster (one broker, one worker) against the PostgreSQL of
 * this machine: a migration from table to table, a broadcast to three sinks, a configuration
 * rejected before any task starts.
 */
class PatternsOnConnectTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static ConnectCluster cluster;
  private static DataSource pg;

  @BeforeAll
  static void start() {
    pg = TestDatabases.POSTGRESQL.dataSource();
    cluster = ConnectCluster.start("patterns", 1, null);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static String[] jdbc(String table, String columns, String... more) {
    List<String> s = new ArrayList<>(List.of("patchbay.type", "jdbc", "patchbay.jdbc.url", TestDatabases.POSTGRESQL.url(),
        "patchbay.jdbc.user", TestDatabases.POSTGRESQL.user(), "patchbay.jdbc.system", "pg", "patchbay.jdbc.dataElement", table,
        "patchbay.jdbc.table", table, "patchbay.jdbc.key", "id", "patchbay.jdbc.columns", columns));
    s.addAll(List.of(more));
    return s.toArray(String[]::new);
  }

  /** Every row of {@code table}, each column's value as the driver gives it, by key. */
  private static Map<String, List<Object>> rows(String table) throws Exception {
    Map<String, List<Object>> rows = new TreeMap<>();
    try (Connection c = pg.getConnection(); ResultSet rs = c.createStatement().executeQuery("SELECT * FROM " + table)) {
      ResultSetMetaData md = rs.getMetaData();
      while (rs.next()) {
        List<Object> values = new ArrayList<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
          values.add(rs.getObject(i));
        }
        rows.put(rs.getString("id"), values);
      }
    }
    return rows;
  }

  @Test
  void aMigrationFromPostgresqlToPostgresql_throughConnect_isExact_andItsEndIsReported() throws Exception {
    String from = TestDatabases.POSTGRESQL.createTypedTable(pg);
    String to = TestDatabases.POSTGRESQL.createTypedTable(pg);
    int n = 3_000;
    try (Connection c = pg.getConnection(); PreparedStatement ps = c.prepareStatement(
        "INSERT INTO " + from + " (id, t, n, i, d, b, on_day, at_time, inst) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      for (int k = 0; k < n; k++) {
        ps.setString(1, "r" + k);
        ps.setString(2, k == 0 ? "\ud83d\ude00".repeat(70_000) : k % 11 == 0 ? null : "t\u00e9\ud834\udd1e" + k);
        ps.setLong(3, k == 1 ? Long.MIN_VALUE : k == 2 ? Long.MAX_VALUE : k * 7919L);
        ps.setInt(4, k % 13 == 0 ? Integer.MIN_VALUE : k);
        ps.setBigDecimal(5, k % 17 == 0 ? null : new BigDecimal(k).movePointLeft(4).negate());
        ps.setBoolean(6, k % 2 == 0);
        ps.setObject(7, LocalDate.of(1900, 1, 1).plusDays(k * 37L));
        ps.setObject(8, LocalDateTime.of(2026, 3, 29, 1, 0).plusNanos(k * 1_001_000L));   // microseconds, many sharing a second
        ps.setObject(9, OffsetDateTime.of(2026, 10, 25, 0, 30, 0, 0, ZoneOffset.UTC).plusNanos(k * 999_000L));
        ps.addBatch();
      }
      ps.executeBatch();
    }
    String topic = "migration-" + from;
    cluster.connect().kafka().createTopic(topic, 3);
    cluster.connect().kafka().createTopic(topic + ".report", 1);
    String columns = "t, n, i, d, b, on_day, at_time, inst";
    cluster.run("migrate-in-" + from, ConnectCluster.connector(PatchbaySinkConnector.class, jdbc(to, columns, "topics", topic)), 1);
    cluster.run("migrate-out-" + from, ConnectCluster.connector(PatchbaySourceConnector.class, jdbc(from, columns,
        "patchbay.topic", topic, "patchbay.read", "all", "patchbay.report.topic", topic + ".report", "patchbay.batch.size", "400")), 1);

    ConsumerRecord<byte[], byte[]> end = cluster.connect().kafka().consume(1, 60_000, topic + ".report").iterator().next();
    JsonNode report = JSON.readTree(new String(end.value(), StandardCharsets.UTF_8));
    JsonNode payload = report.has("payload") ? JSON.readTree(report.get("payload").asText()) : report;
    assertEquals(n, payload.get("read").asLong(), "the source reports every row read: " + payload);
    Map<TopicPartition, Long> ends = new HashMap<>();
    payload.get("lastOffsets").fields().forEachRemaining(e -> ends.put(new TopicPartition(topic, Integer.parseInt(e.getKey())),
        e.getValue().asLong() + 1));
    assertEquals(ends, cluster.ends(topic, 3), "the report names the end of every partition written");
    ConnectCluster.await("the sink commits past the report's offsets", Duration.ofSeconds(60),
        () -> cluster.caughtUp("migrate-in-" + from, ends));

    Map<String, List<Object>> want = rows(from);
    Map<String, List<Object>> got = rows(to);
    assertEquals(n, got.size());
    for (Map.Entry<String, List<Object>> e : want.entrySet()) {
      assertEquals(e.getValue().toString(), String.valueOf(got.get(e.getKey())), "row " + e.getKey() + " arrives exactly");
    }

    // Reconciled as the library reconciles a migration: the same migration's plan writes nothing.
    javax.sql.DataSource ds = pg;
    Migration<Fields, Fields> same = Migration.builder().name("reconcile-" + from)
        .source(typed(ds, from)).scope(ScopeCriteria.all()).transform(Transform.<Fields>identity()).destination(typed(ds, to)).build();
    Plan<RunReport> plan = same.plan();
    assertEquals(List.of(), plan.writes(), "the destination holds exactly what the migration would write");
    assertEquals(n, plan.report().counts().unchanged(), plan.report().summary());
  }

  private static JdbcTable typed(DataSource ds, String table) {
    return JdbcTable.builder(ds).describedAs("pg", table).table(table).key("id").column("t").column("n").column("i").column("d")
        .column("b").column("on_day").column("at_time").column("inst").build();
  }

  @Test
  void aBroadcastToThreeSinks_onePaused_oneRefusingRecords_theOthersCurrent_theRefusedDeadLettered() throws Exception {
    String source = TestDatabases.POSTGRESQL.createContactsTable(pg);
    List<String> sinks = List.of(TestDatabases.POSTGRESQL.createPlainTable(pg), TestDatabases.POSTGRESQL.createPlainTable(pg),
        TestDatabases.POSTGRESQL.createPlainTable(pg));
    String topic = "broadcast-" + source;
    cluster.connect().kafka().createTopic(topic, 3);
    write(source, 0, 200, 0);
    String dlq = topic + ".dlq";
    for (int s = 0; s < 3; s++) {
      List<String> settings = new ArrayList<>(List.of(jdbc(sinks.get(s), "name, email, amount", "topics", topic)));
      if (s == 2) {
        settings.addAll(List.of("patchbay.factory.class", FailingFactory.class.getName(), "patchbay.factory.refuse", "7",
            "errors.tolerance", "all", "errors.deadletterqueue.topic.name", dlq, "errors.deadletterqueue.topic.replication.factor", "1"));
      }
      cluster.run("sink-" + s + "-" + source, ConnectCluster.connector(PatchbaySinkConnector.class, settings.toArray(String[]::new)), 1);
    }
    cluster.run("feed-" + source, ConnectCluster.connector(PatchbaySourceConnector.class, jdbc(source, "name, email, amount",
        "patchbay.jdbc.modifiedAt", "updated_at", "patchbay.jdbc.softDelete", "deleted", "patchbay.topic", topic,
        "patchbay.poll.interval.ms", "200")), 1);
    awaitCurrent(source, sinks.get(0), 200);

    cluster.connect().pauseConnector("sink-1-" + source);
    cluster.connect().assertions().assertConnectorAndExactlyNumTasksArePaused("sink-1-" + source, 1, "sink 1 pauses");
    Map<String, List<Object>> pausedHeld = rows(sinks.get(1));
    for (int round = 1; round <= 3; round++) {   // each key changed three times over: the last change must win on every sink
      write(source, 0, 300, round);
    }
    awaitCurrent(source, sinks.get(0), 300);
    Map<String, List<Object>> want = expected(source);
    assertEquals(want, rows(sinks.get(0)), "sink 0 is current while sink 1 is paused");
    Map<String, List<Object>> notRefused = new TreeMap<>(want);
    notRefused.values().removeIf(r -> ((Number) r.get(3)).longValue() % 10 == 7);
    ConnectCluster.await("sink 2 holds every record it did not refuse", Duration.ofSeconds(60), () -> {
      try {
        Map<String, List<Object>> held = rows(sinks.get(2));
        return notRefused.entrySet().stream().allMatch(e -> e.getValue().equals(held.get(e.getKey())));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    assertEquals(pausedHeld, rows(sinks.get(1)), "the paused sink took nothing while paused");

    long refusedChanges = cluster.connect().kafka().consumeAll(30_000, dlq).count();
    assertTrue(refusedChanges > 0, "refused records reach the dead-letter queue");
    List<ConsumerRecord<byte[], byte[]>> dead = new ArrayList<>();
    cluster.connect().kafka().consumeAll(30_000, dlq).forEach(dead::add);
    for (ConsumerRecord<byte[], byte[]> r : dead) {
      JsonNode v = JSON.readTree(new String(r.value(), StandardCharsets.UTF_8)).get("payload");
      assertEquals(7, v.get("amount").asLong() % 10, "only refused records are dead-lettered: " + v.get("amount"));
    }

    cluster.connect().resumeConnector("sink-1-" + source);
    ConnectCluster.await("the resumed sink catches up", Duration.ofSeconds(60), () -> {
      try {
        return want.equals(rows(sinks.get(1)));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /** Rows {@code from} to {@code to} of {@code table}, amount {@code k * 10 + round}, at a new modification time. */
  private static void write(String table, int from, int to, int round) throws Exception {
    try (Connection c = pg.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (id, name, email, amount, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name,"
        + " email = EXCLUDED.email, amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at")) {
      Timestamp at = Timestamp.from(Instant.now());   // one time for the whole write: many rows share it
      for (int k = from; k < to; k++) {
        ps.setString(1, "c" + k);
        ps.setString(2, "name " + k + " round " + round);
        ps.setString(3, "c" + k + "@example.org");
        ps.setLong(4, k * 10L + (k + round) % 10);
        ps.setTimestamp(5, at);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Map<String, List<Object>> expected(String source) throws Exception {
    Map<String, List<Object>> want = new TreeMap<>();
    rows(source).forEach((k, r) -> want.put(k, new ArrayList<>(r.subList(0, 4))));
    return want;
  }

  private static void awaitCurrent(String source, String sink, int rows) throws InterruptedException {
    ConnectCluster.await(sink + " holds the source's " + rows + " rows", Duration.ofSeconds(60), () -> {
      try {
        return expected(source).equals(rows(sink));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
  }

  @Test
  void aBadConfiguration_isRejectedByValidate_namingEachSetting_andShowsNoSecret() {
    Map<String, String> config = ConnectCluster.connector(PatchbaySinkConnector.class, "name", "bad", "topics", "t", "patchbay.type", "jdbc",
        "patchbay.jdbc.url", "jdbc:postgresql://127.0.0.1:5432/test", "patchbay.jdbc.password", "s3cret-pw",
        "patchbay.jdbc.pageSize", "-5", "patchbay.jdbc.colour", "blue", "patchbay.deletes", "sometimes",
        "patchbay.transform.rename", "name", "patchbay.factory.class", "com.example.Missing");
    ConfigInfos answer = cluster.validate(PatchbaySinkConnector.class, config);
    Map<String, List<String>> errors = new TreeMap<>();
    for (ConfigInfo info : answer.configs()) {
      if (!info.configValue().errors().isEmpty()) {
        errors.put(info.configValue().name(), info.configValue().errors());
      }
    }
    for (String named : List.of("patchbay.jdbc.table", "patchbay.jdbc.key", "patchbay.jdbc.columns", "patchbay.jdbc.system",
        "patchbay.jdbc.dataElement", "patchbay.jdbc.pageSize", "patchbay.jdbc.colour", "patchbay.deletes", "patchbay.transform.rename",
        "patchbay.factory.class")) {
      assertTrue(errors.containsKey(named), named + " is named among the errors: " + errors);
    }
    assertEquals(errors.size(), answer.errorCount(), "each error once: " + errors);
    assertTrue(errors.get("patchbay.jdbc.pageSize").toString().contains("at least 1"), errors.get("patchbay.jdbc.pageSize").toString());
    String shown;
    try {
      shown = JSON.writeValueAsString(answer);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    assertFalse(shown.contains("s3cret-pw"), "the REST answer shows no secret");
    assertTrue(shown.contains("PASSWORD"), "the password is Connect's PASSWORD type");
  }
}
