package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.testkit.TestDatabases;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.util.clusters.EmbeddedKafkaCluster;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A migration's source on transactional workers ({@code exactly.once.source.support=enabled}), the
 * worker (a child JVM) killed with SIGKILL while it reads, a second worker taking the connector
 * over: read committed, every row arrives exactly once. The transaction open at the kill is
 * aborted (its records stay in the log, marked aborted: counted apart, read uncommitted), and the
 * next worker resumes after the last committed poll.
 */
class ExactlyOnceSourceTest {

  private static final int ROWS = 150_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @Test
  void aSourceOnTransactionalWorkers_killedMidRead_deliversEveryRowExactlyOnce() throws Exception {
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
      config.put("exactly.once.support", "required");   // refused unless the connector declares it
      config.putAll(Map.of("patchbay.jdbc.columns", "name, email, amount", "patchbay.topic", topic, "patchbay.read", "all",
          "patchbay.report.topic", topic + ".report", "patchbay.batch.size", "200", "patchbay.jdbc.pageSize", "200",
          "offsets.storage.topic", "eos-own-offsets-" + table));
      post(port, "eos-" + table, config);

      ConnectCluster.await("the first worker commits some rows", Duration.ofSeconds(90), () -> readCommitted(kafka, topic).size() > 5_000);
      first.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL, mid-read
      long atKill = readCommitted(kafka, topic).size();
      assertTrue(atKill < ROWS, "killed before the read ended (" + atKill + " committed)");
      second = worker(kafka.bootstrapServers(), table, freePort(), "second");
      kafka.consume(1, 180_000, Map.of("isolation.level", "read_committed"), topic + ".report");

      Map<String, Integer> seen = new TreeMap<>();
      for (ConsumerRecord<byte[], byte[]> r : readCommitted(kafka, topic)) {
        String key = JSON.readTree(new String(r.key(), StandardCharsets.UTF_8)).get("payload").asText();
        seen.merge(key, 1, Integer::sum);
      }
      long all = kafka.consumeAll(60_000, Map.of("isolation.level", "read_uncommitted"), null, topic).count();
      assertEquals(ROWS, seen.size(), "every row arrives");
      long repeated = seen.values().stream().mapToInt(Integer::intValue).sum() - (long) seen.size();
      System.out.printf("[eos] killed at %,d committed; every row read committed, %,d repeated; %,d records in the log (%,d aborted)%n",
          atKill, repeated, all, all - ROWS - repeated);
      assertEquals(0, repeated, "no row arrives twice read committed");
    } finally {
      for (Process p : new Process[] {first, second}) {
        if (p != null) {
          p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        }
      }
      kafka.stop();
    }
  }

  /**
   * Every record of {@code topic} read committed, up to each partition's last stable offset (the
   * cluster's own {@code consumeAll} reads to the high watermark, which a read-committed consumer
   * cannot pass while a transaction is open).
   */
  private static List<ConsumerRecord<byte[], byte[]>> readCommitted(EmbeddedKafkaCluster kafka, String topic) {
    try (KafkaConsumer<byte[], byte[]> consumer = kafka.createConsumer(Map.of("isolation.level", "read_committed"))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);   // read committed: the last stable offsets
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not read to the last stable offsets " + ends + " within 60 s");
        }
        consumer.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      return records;
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
