package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.testkit.TestDatabases;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration's source on transactional workers ({@code exactly.once.source.support=enabled}), the
 * worker (a child JVM) killed with SIGKILL while it reads, a second worker taking the connector
 * over. What holds, read committed: every row arrives, and what arrives twice is at most one poll's
 * records, at the kill. What does not: exactly once. In 6 of 9 runs (2 to 200 rows; none in runs
 * without the kill) the worker killed had committed records past the offset the next worker resumed
 * from, with no aborted record in the log; the cause is not found, so the connector declares
 * exactly-once UNSUPPORTED.
 */
class ExactlyOnceSourceTest {

  private static final int ROWS = 150_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aSourceOnTransactionalWorkers_killedMidRead_losesNothing_andRepeatsAtMostOnePoll() throws Exception {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    String table = TestDatabases.POSTGRESQL.createPlainTable(pg);
    TestDatabases.execute(pg, "INSERT INTO " + table + " SELECT 'k' || g, 'n' || g, 'e' || g, g FROM generate_series(1, " + ROWS + ") g");
    Properties broker = new Properties();
    broker.put("transaction.state.log.replication.factor", "1");
    broker.put("transaction.state.log.min.isr", "1");
    EmbeddedKafkaCluster kafka = new EmbeddedKafkaCluster(1, broker);
    kafka.start();
    Process first = null;
    Process second = null;
    try {
      String topic = "eos-" + table;
      kafka.createTopic(topic, 3);
      kafka.createTopic(topic + ".report", 1);
      int port = freePort();
      first = worker(kafka.bootstrapServers(), table, port, "first");
      Map<String, String> config = new HashMap<>(Map.of("connector.class", PatchbaySourceConnector.class.getName(), "tasks.max", "1",
          "patchbay.type", "jdbc", "patchbay.jdbc.url", TestDatabases.POSTGRESQL.url(),
          "patchbay.jdbc.user", "postgres", "patchbay.jdbc.system", "crm", "patchbay.jdbc.dataElement", "contacts",
          "patchbay.jdbc.table", table, "patchbay.jdbc.key", "id"));
      config.put("exactly.once.support", "requested");   // the connector does not declare it: see the class comment
      config.putAll(Map.of("patchbay.jdbc.columns", "name, email, amount", "patchbay.topic", topic, "patchbay.read", "all",
          "patchbay.report.topic", topic + ".report", "patchbay.batch.size", "200", "patchbay.jdbc.pageSize", "200",
          "offsets.storage.topic", "eos-own-offsets-" + table));
      post(port, "eos-" + table, config);

      Map<String, Object> committed = Map.of("isolation.level", "read_committed");
      ConnectCluster.await("the first worker commits some rows", Duration.ofSeconds(90), () -> count(kafka, topic, committed) > 5_000);
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL, mid-read
      long atKill = count(kafka, topic, committed);
      assertTrue(atKill < ROWS, "killed before the read ended (" + atKill + " committed)");
      second = worker(kafka.bootstrapServers(), table, freePort(), "second");
      kafka.consume(1, 180_000, committed, topic + ".report");

      Map<String, Integer> seen = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> r : kafka.consumeAll(60_000, null, committed, topic)) {
        String key = JSON.readTree(new String(r.key(), StandardCharsets.UTF_8)).get("payload").asText();
        seen.merge(key, 1, Integer::sum);
      }
      long all = kafka.consumeAll(60_000, null, Map.of("isolation.level", "read_uncommitted"), topic).count();
      assertEquals(ROWS, seen.size(), "every row arrives");
      long repeated = seen.values().stream().mapToInt(Integer::intValue).sum() - (long) seen.size();
      assertTrue(repeated <= 200, "at most one poll of 200 rows repeated: " + repeated);
      System.out.printf("[eos] killed at %,d committed; every row read committed, %,d repeated; %,d records in the log%n",
          atKill, repeated, all);
    } finally {
      for (Process p : new Process[] {first, second}) {
        if (p != null) {
          p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
      kafka.stop();
    }
  }

  private static long count(EmbeddedKafkaCluster kafka, String topic, Map<String, Object> consumer) {
    try {
      return kafka.consumeAll(30_000, null, consumer, topic).count();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private Process worker(String bootstrap, String table, int port, String label) throws Exception {
    return ConnectCluster.childWorker(dir, label, Map.of("bootstrap.servers", bootstrap, "group.id", "eos-" + table,
        "offset.storage.topic", "eos-offsets-" + table, "config.storage.topic", "eos-configs-" + table,
        "status.storage.topic", "eos-status-" + table, "listeners", "http://127.0.0.1:" + port,
        "exactly.once.source.support", "enabled"));
  }

  /** Creates the connector through the worker's REST API, once it answers. */
  private static void post(int port, String name, Map<String, String> config) throws Exception {
    byte[] body = JSON.writeValueAsBytes(Map.of("name", name, "config", config));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    while (true) {
      try {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL("http://127.0.0.1:" + port + "/connectors")
            .openConnection();
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        c.getOutputStream().write(body);
        int status = c.getResponseCode();
        if (status == 201) {
          return;
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("the worker refused the connector: " + status);
        }
      } catch (java.io.IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw notYet;
        }
      }
      Thread.sleep(500);
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
