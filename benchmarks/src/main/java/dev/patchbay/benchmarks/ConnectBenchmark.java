package dev.patchbay.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.jdbc.SimpleDataSource;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.migration.Migration;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * Patchbay on Kafka Connect, side by side in one run, on the PostgreSQL of this machine and a
 * one-worker Connect cluster in this JVM (one broker):
 *
 * <ol>
 *   <li>the same migration of {@code rows} rows, table to table, embedded (a {@code Migration} in this
 *       JVM) and on Connect (Patchbay's source with {@code patchbay.read=all}, a topic of 4 partitions,
 *       Patchbay's sink with 4 tasks), each until the destination holds every row;</li>
 *   <li>three sinks reading that one topic into PostgreSQL, each alone, 4 tasks each: Patchbay's
 *       JDBC sink, the floor (a minimal hand-written {@link FloorSink}: one batched upsert per
 *       {@code put}) and Debezium's JDBC sink connector (upsert by the record's key).</li>
 * </ol>
 *
 * Every destination is compared with the source (row count and a digest of every row) before a
 * figure is printed. Usage: {@code ConnectBenchmark [rows] [tuned]} (default 1,000,000 rows, Connect's
 * client defaults; {@code tuned}: the source's producer batches for 20 ms up to 1 MiB and the sinks
 * poll 2,000 records at a time, through Connect's per-connector client overrides).
 */
public final class ConnectBenchmark {

  private static final String URL = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PARTITIONS = 4;

  private ConnectBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    boolean tuned = args.length > 1 && args[1].equals("tuned");   // the source's producer batching, the sinks' larger polls
    DataSource ds = SimpleDataSource.of(URL, "postgres", null);
    exec(ds, "DROP TABLE IF EXISTS cb_source, cb_embedded, cb_connect, cb_patchbay, cb_floor, cb_debezium");
    for (String t : new String[] {"cb_source", "cb_embedded", "cb_connect", "cb_patchbay", "cb_floor", "cb_debezium"}) {
      exec(ds, "CREATE TABLE " + t + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), email VARCHAR(200), amount BIGINT)");
    }
    exec(ds, "INSERT INTO cb_source SELECT 'c' || lpad(g::text, 8, '0'), 'Name ' || g || ' Ünïcödé', 'c' || g || '@example.org',"
        + " (g::bigint * 7919) % 1000003 FROM generate_series(1, " + rows + ") g");
    exec(ds, "ANALYZE cb_source");
    String want = digest(ds, "cb_source");
    System.out.printf("ConnectBenchmark: %,d rows, PostgreSQL 127.0.0.1, one worker and one broker in this JVM, %d partitions, %s%n",
        rows, PARTITIONS, tuned ? "tuned (source producer linger.ms=20, batch.size=1 MiB; sinks' max.poll.records=2000)"
            : "Connect's defaults");

    com.zaxxer.hikari.HikariConfig pool = new com.zaxxer.hikari.HikariConfig();   // a service's pool, as large as the plugin's
    pool.setJdbcUrl(URL);
    pool.setUsername("postgres");
    pool.setMaximumPoolSize(4);
    com.zaxxer.hikari.HikariDataSource service = new com.zaxxer.hikari.HikariDataSource(pool);
    long t0 = System.nanoTime();
    RunReport report = Migration.builder().name("cb-embedded")
        .source(table(service, "cb_source")).scope(dev.patchbay.core.ScopeCriteria.all()).transform(dev.patchbay.core.Transform.<dev.patchbay.core.Fields>identity())
        .destination(table(service, "cb_embedded")).reconcile(false).build().run();
    long embedded = System.nanoTime() - t0;
    service.close();
    if (report.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException(report.summary());
    }
    check(ds, "cb_embedded", want);

    Map<String, String> worker = new HashMap<>(Map.of("offset.flush.interval.ms", "1000",
        "key.converter", "org.apache.kafka.connect.json.JsonConverter", "value.converter", "org.apache.kafka.connect.json.JsonConverter"));
    EmbeddedConnectCluster connect = new EmbeddedConnectCluster.Builder().name("bench").numWorkers(1).numBrokers(1)
        .workerProps(worker).build();
    connect.start();
    try {
      connect.kafka().createTopic("cb", PARTITIONS);
      connect.kafka().createTopic("cb.report", 1);
      t0 = System.nanoTime();
      connect.configureConnector("cb-sink", tunedSink(patchbaySink("cb_connect"), tuned));
      Map<String, String> source = jdbc("cb_source", "connector.class", "dev.patchbay.kafka.connect.PatchbaySourceConnector",
          "tasks.max", "1", "patchbay.topic", "cb", "patchbay.read", "all", "patchbay.report.topic", "cb.report",
          "patchbay.batch.size", "2000");
      if (tuned) {
        source.put("producer.override.linger.ms", "20");
        source.put("producer.override.batch.size", "1048576");
      }
      connect.configureConnector("cb-source", source);
      ConsumerRecord<byte[], byte[]> end = connect.kafka().consume(1, 1_800_000, "cb.report").iterator().next();
      JsonNode r = JSON.readTree(JSON.readTree(new String(end.value(), StandardCharsets.UTF_8)).get("payload").asText());
      if (r.get("read").asLong() != rows) {
        throw new IllegalStateException("the source read " + r);
      }
      Map<TopicPartition, Long> ends = ends(connect, "cb");
      awaitCommitted(connect, "cb-sink", ends);
      long onConnect = System.nanoTime() - t0;
      check(ds, "cb_connect", want);
      connect.deleteConnector("cb-source");
      connect.deleteConnector("cb-sink");

      Map<String, Long> sinks = new LinkedHashMap<>();
      sinks.put("Patchbay JDBC sink", timeSink(connect, "s-patchbay", tunedSink(patchbaySink("cb_patchbay"), tuned), ends));
      check(ds, "cb_patchbay", want);
      sinks.put("floor (hand-written SinkTask)", timeSink(connect, "s-floor", tunedSink(Map.of("connector.class", FloorSink.class.getName(),
          "tasks.max", Integer.toString(PARTITIONS), "topics", "cb", "url", URL + "?ApplicationName=floor", "table", "cb_floor"), tuned), ends));
      check(ds, "cb_floor", want);
      Map<String, String> dbz = new HashMap<>(Map.of("connector.class", "io.debezium.connector.jdbc.JdbcSinkConnector",
          "tasks.max", Integer.toString(PARTITIONS), "topics", "cb", "connection.url", URL, "connection.username", "postgres",
          "insert.mode", "upsert", "primary.key.mode", "record_key", "primary.key.fields", "id",
          "collection.name.format", "cb_debezium", "schema.evolution", "none"));
      dbz.put("connection.password", "");
      dbz.put("transforms", "key");   // Debezium reads a key struct: the text key wrapped as {id}, by Connect's own transform
      dbz.put("transforms.key.type", "org.apache.kafka.connect.transforms.HoistField$Key");
      dbz.put("transforms.key.field", "id");
      sinks.put("Debezium JDBC sink 3.4.3", timeSink(connect, "s-debezium", tunedSink(dbz, tuned), ends));
      check(ds, "cb_debezium", want);

      System.out.printf("%nmigration, %,d rows, table to table:%n", rows);
      System.out.printf("  embedded (one JVM)        %,8d ms  %,10.0f rows/s%n", embedded / 1_000_000, rows / (embedded / 1e9));
      System.out.printf("  on a one-worker Connect   %,8d ms  %,10.0f rows/s  (%.2fx the embedded time)%n", onConnect / 1_000_000,
          rows / (onConnect / 1e9), (double) onConnect / embedded);
      System.out.printf("%nsinks, one topic of %,d records into PostgreSQL, %d tasks each, alone:%n", rows, PARTITIONS);
      long floor = sinks.get("floor (hand-written SinkTask)");
      sinks.forEach((name, nanos) -> System.out.printf("  %-30s %,8d ms  %,10.0f rows/s  %.2fx the floor's throughput%n", name,
          nanos / 1_000_000, rows / (nanos / 1e9), (double) floor / nanos));
    } finally {
      connect.stop();
    }
  }

  private static Map<String, String> patchbaySink(String table) {
    return jdbc(table, "connector.class", "dev.patchbay.kafka.connect.PatchbaySinkConnector", "tasks.max",
        Integer.toString(PARTITIONS), "topics", "cb");
  }

  private static Map<String, String> tunedSink(Map<String, String> config, boolean tuned) {
    Map<String, String> m = new HashMap<>(config);
    if (tuned) {
      m.put("consumer.override.max.poll.records", "2000");
    }
    return m;
  }

  private static Map<String, String> jdbc(String table, String... more) {
    Map<String, String> m = new HashMap<>(Map.of("patchbay.type", "jdbc", "patchbay.jdbc.url", URL, "patchbay.jdbc.user", "postgres",
        "patchbay.jdbc.system", "bench", "patchbay.jdbc.dataElement", table, "patchbay.jdbc.table", table, "patchbay.jdbc.key", "id",
        "patchbay.jdbc.columns", "name, email, amount", "patchbay.jdbc.pageSize", "2000"));
    for (int i = 0; i < more.length; i += 2) {
      m.put(more[i], more[i + 1]);
    }
    return m;
  }

  private static JdbcTable table(DataSource ds, String name) {
    return JdbcTable.builder(ds).describedAs("bench", name).table(name).key("id").column("name").column("email").column("amount")
        .pageSize(2000).build();
  }

  private static long timeSink(EmbeddedConnectCluster connect, String name, Map<String, String> config, Map<TopicPartition, Long> ends)
      throws Exception {
    long t0 = System.nanoTime();
    connect.configureConnector(name, config);
    awaitCommitted(connect, name, ends);
    long took = System.nanoTime() - t0;
    connect.deleteConnector(name);
    return took;
  }

  private static void awaitCommitted(EmbeddedConnectCluster connect, String name, Map<TopicPartition, Long> ends) throws Exception {
    long deadline = System.nanoTime() + 1_800_000_000_000L;
    try (Admin admin = connect.kafka().createAdminClient()) {
      while (System.nanoTime() < deadline) {
        Map<TopicPartition, OffsetAndMetadata> o = admin.listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get();
        if (ends.entrySet().stream().allMatch(e -> o.get(e.getKey()) != null && o.get(e.getKey()).offset() >= e.getValue())) {
          return;
        }
        failed(connect, name);
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException(name + " did not commit the topic's end in time");
  }

  private static void failed(EmbeddedConnectCluster connect, String name) {
    org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo status;
    try {
      status = connect.connectorStatus(name);
    } catch (RuntimeException notYet) {
      return;   // no status until the connector started
    }
    if (status.tasks().stream().anyMatch(t -> t.state().equals("FAILED"))) {
      throw new IllegalStateException(name + " failed: " + status.tasks().stream().map(t -> t.trace()).collect(Collectors.joining("\n")));
    }
  }

  private static Map<TopicPartition, Long> ends(EmbeddedConnectCluster connect, String topic) throws Exception {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (int p = 0; p < PARTITIONS; p++) {
        ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(ask).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }
  }

  private static String digest(DataSource ds, String table) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
        "SELECT count(*) || ':' || md5(string_agg(id || '|' || name || '|' || email || '|' || amount, ',' ORDER BY id)) FROM " + table)) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static void check(DataSource ds, String table, String want) throws Exception {
    String got = digest(ds, table);
    if (!got.equals(want)) {
      throw new IllegalStateException(table + " does not hold the source's rows: " + got + " against " + want);
    }
  }

  private static void exec(DataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
