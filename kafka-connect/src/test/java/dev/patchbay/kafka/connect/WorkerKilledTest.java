package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.apache.kafka.connect.runtime.rest.entities.ConnectorStateInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broadcast on a two-worker cluster whose second worker, a child JVM, is killed (SIGKILL: no
 * stop, no last commit) while the rounds of changes flow: Connect moves its tasks to the worker left,
 * which delivers again what was not committed. The sinks keep each key's version in a state store
 * ({@code patchbay.state.url}). On each sink: nothing lost (every key ends at the source's value),
 * each key's changes in order (a record delivered again is skipped where a newer version was written:
 * without the state store, a run once saw key c128 written 0, 1, 3, 1, 3), and the duplicates counted.
 */
class WorkerKilledTest {

  private static final int KEYS = 200;
  private static final int ROUNDS = 16;

  @TempDir
  Path dir;

  @Test
  void aWorkerKilledMidRun_losesNothing_keepsEachKeysOrderOnEverySink_andItsDuplicatesAreCounted() throws Exception {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    String source = TestDatabases.POSTGRESQL.createContactsTable(pg);
    String log = "journal_" + source;
    try (Connection c = pg.getConnection(); Statement st = c.createStatement()) {
      JournalType.create(st, log);
    }
    Map<String, String> group = Map.of("group.id", "kill-" + source, "offset.storage.topic", "kill-offsets-" + source,
        "config.storage.topic", "kill-configs-" + source, "status.storage.topic", "kill-status-" + source,
        "scheduled.rebalance.max.delay.ms", "1000", "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000");
    Process child = null;
    try (ConnectCluster cluster = ConnectCluster.start("kill", 1, null, group)) {
      child = childWorker(cluster.connect().kafka().bootstrapServers(), group);
      String topic = "kill-" + source;
      cluster.connect().kafka().createTopic(topic, 4);
      write(pg, source, 0);
      List<String> sinks = List.of("sink-a-" + source, "sink-b-" + source);
      for (String sink : sinks) {
        cluster.run(sink, ConnectCluster.connector(PatchbaySinkConnector.class, "tasks.max", "4", "topics", topic,
            "patchbay.type", "journal", "patchbay.journal.url", TestDatabases.POSTGRESQL.url(), "patchbay.journal.table", log,
            "patchbay.journal.sink", sink, "consumer.override.max.poll.records", "50",
            "patchbay.state.url", TestDatabases.POSTGRESQL.url(), "patchbay.state.user", "postgres",
            "patchbay.state.prefix", "kill_" + source), 4);
      }
      cluster.run("feed-" + source, ConnectCluster.connector(PatchbaySourceConnector.class, "patchbay.type", "jdbc",
          "patchbay.jdbc.url", TestDatabases.POSTGRESQL.url(), "patchbay.jdbc.user", "postgres", "patchbay.jdbc.system", "crm",
          "patchbay.jdbc.dataElement", "contacts", "patchbay.jdbc.table", source, "patchbay.jdbc.key", "id",
          "patchbay.jdbc.columns", "name, email, amount", "patchbay.jdbc.modifiedAt", "updated_at", "patchbay.topic", topic,
          "patchbay.poll.interval.ms", "100", "patchbay.batch.size", "50"), 1);
      Process worker = child;
      ConnectCluster.await("the child worker runs tasks", Duration.ofSeconds(60), () -> onChild(cluster, sinks, worker));

      for (int round = 1; round <= ROUNDS; round++) {
        write(pg, source, round);
        Thread.sleep(150);
        if (round == ROUNDS / 2) {
          child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);   // SIGKILL, mid-run
        }
      }
      for (String sink : sinks) {
        ConnectCluster.await(sink + " reaches the last round on every key", Duration.ofSeconds(120), () -> last(pg, log, sink)
            .values().stream().filter(a -> a == ROUNDS).count() == KEYS);
      }
    } finally {
      if (child != null) {
        child.destroyForcibly();
      }
    }

    for (String sink : List.of("sink-a-" + source, "sink-b-" + source)) {
      Map<String, List<Long>> seen = deliveries(pg, log, sink);
      assertEquals(KEYS, seen.size(), sink + ": every key delivered");
      long duplicates = 0;
      for (Map.Entry<String, List<Long>> e : seen.entrySet()) {
        List<Long> amounts = e.getValue();
        for (int i = 1; i < amounts.size(); i++) {
          assertTrue(amounts.get(i) >= amounts.get(i - 1), sink + ": key " + e.getKey() + " in order: " + amounts);
        }
        assertEquals(ROUNDS, amounts.get(amounts.size() - 1), sink + ": key " + e.getKey() + " ends at the last round: " + amounts);
        duplicates += amounts.size() - amounts.stream().distinct().count();
      }
      System.out.printf("[kill] %s: %d deliveries of %d keys, %d duplicates (delivered again after the kill)%n", sink,
          seen.values().stream().mapToInt(List::size).sum(), KEYS, duplicates);
    }
  }

  /** Whether any task of the sinks runs on the child worker (its REST port is not the embedded one's). */
  private static boolean onChild(ConnectCluster cluster, List<String> sinks, Process child) {
    if (!child.isAlive()) {
      throw new AssertionError("the child worker died before the test could kill it");
    }
    String here = cluster.connect().workers().iterator().next().url().toString();
    for (String sink : sinks) {
      ConnectorStateInfo info = cluster.connect().connectorStatus(sink);
      if (info.tasks().stream().anyMatch(t -> !here.contains(t.workerId()))) {
        return true;
      }
    }
    return false;
  }

  private Process childWorker(String bootstrap, Map<String, String> group) throws Exception {
    Map<String, String> p = new HashMap<>(group);
    p.put("bootstrap.servers", bootstrap);
    p.put("listeners", "http://127.0.0.1:0");
    return ConnectCluster.childWorker(dir, "worker", p);
  }

  /** Every key at amount {@code round * 1000 + k}: rising per key, round after round, one modification time for all. */
  private static void write(DataSource pg, String table, int round) throws Exception {
    try (Connection c = pg.getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO " + table
        + " (id, name, email, amount, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET"
        + " amount = EXCLUDED.amount, updated_at = EXCLUDED.updated_at")) {
      Timestamp at = Timestamp.from(Instant.now());
      for (int k = 0; k < KEYS; k++) {
        ps.setString(1, "c" + k);
        ps.setString(2, "n" + k);
        ps.setString(3, "c" + k + "@example.org");
        ps.setLong(4, round);
        ps.setTimestamp(5, at);
        ps.addBatch();
      }
      ps.executeBatch();
    }
  }

  private static Map<String, List<Long>> deliveries(DataSource pg, String log, String sink) throws Exception {
    Map<String, List<Long>> seen = new TreeMap<>();
    try (Connection c = pg.getConnection(); PreparedStatement ps = c.prepareStatement(
        "SELECT id, amount FROM " + log + " WHERE sink = ? ORDER BY seq")) {
      ps.setString(1, sink);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          seen.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getLong(2));
        }
      }
    }
    return seen;
  }

  private static Map<String, Long> last(DataSource pg, String log, String sink) {
    try {
      Map<String, Long> last = new HashMap<>();
      deliveries(pg, log, sink).forEach((k, v) -> last.put(k, v.get(v.size() - 1)));
      return last;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

}
