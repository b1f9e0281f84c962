package dev.patchbay.patterns.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broadcast deployed the way services are, in child JVMs ({@link DeployedProcess}): two
 * broadcasts sharing one PostgreSQL outbox table; the first's destinations split over two runner
 * processes, with a standby instance of one of them; two publishing processes; the RabbitMQ queue
 * deleted by an operator mid-run and declared again; the file destination removed from a
 * process's configuration and added again; the connection holding a destination's lease ended (by
 * its own pid); processes halted at random. Then a last process runs every destination to the end.
 * Counted from the destinations themselves (the tables' trigger logs of every write, the file's
 * lines, the queue's messages as they arrived): every event delivered, none out of order, and no
 * moment where two processes wrote one destination.
 */
@org.junit.jupiter.api.Tag("deployment")   // in the default build; left out of mutation runs (child JVMs, cut connections)
class BroadcastDeploymentTest {

  private static final int PER_PUBLISHER = 4_000;
  private final List<Process> children = Collections.synchronizedList(new ArrayList<>());
  private final List<String> pids = Collections.synchronizedList(new ArrayList<>());

  @Test
  void sharedOutbox_splitDestinations_queueDeleted_destinationRemovedAndBack_leaseCut_halts_nothingLost(@TempDir Path dir)
      throws Exception {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    Connection rabbit = BroadcastKillTest.rabbit();
    String given = System.getProperty("patchbay.seed");
    long seed = given != null ? Long.parseLong(given) : System.nanoTime();
    System.out.println("[seed] broadcast deployment test: " + seed + " (reproduce with -Dpatchbay.seed=" + seed + ")");
    Random random = new Random(seed);
    String name = "dep" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    for (String table : List.of("erp", "ledger")) {
      TestDatabases.execute(pg, "CREATE TABLE " + name + "_" + table + " (id VARCHAR(64) PRIMARY KEY, v BIGINT NOT NULL,"
          + " pid BIGINT NOT NULL)");
      TestDatabases.execute(pg, "CREATE TABLE " + name + "_" + table + "_writes (seq BIGSERIAL PRIMARY KEY,"
          + " id VARCHAR(64) NOT NULL, v BIGINT NOT NULL, pid BIGINT NOT NULL)");
      TestDatabases.execute(pg, "CREATE FUNCTION " + name + "_" + table + "_log() RETURNS trigger AS $$ BEGIN INSERT INTO "
          + name + "_" + table + "_writes (id, v, pid) VALUES (NEW.id, NEW.v, NEW.pid); RETURN NEW; END $$ LANGUAGE plpgsql");
      TestDatabases.execute(pg, "CREATE TRIGGER " + name + "_" + table + "_log AFTER INSERT OR UPDATE ON " + name + "_"
          + table + " FOR EACH ROW EXECUTE FUNCTION " + name + "_" + table + "_log()");
    }
    String queue = name + "_q";
    Channel channel = rabbit.createChannel();
    channel.queueDeclare(queue, true, false, false, null);
    List<String[]> messages = Collections.synchronizedList(new ArrayList<>());   // key, version, by: as they arrive
    List<Throwable> consumerErrors = Collections.synchronizedList(new ArrayList<>());
    consume(rabbit, queue, messages, consumerErrors);
    List<String> story = new ArrayList<>();
    try {
      Process r1 = child(dir, name, "run", "erp,ledger", 4_000 + random.nextInt(3_000), "r1");
      awaitLine(dir, "r1", "running");
      Process standby = child(dir, name, "run", "erp,ledger", 0, "r1b");
      Process r2 = child(dir, name, "run", "queue,file", 1_500 + random.nextInt(1_500), "r2");
      awaitLine(dir, "r2", "running");
      Process p1 = child(dir, name, "publish", "a", 0, "p1", PER_PUBLISHER);
      Process p2 = child(dir, name, "publish", "b", 0, "p2", PER_PUBLISHER);
      long t0 = System.nanoTime();

      Thread.sleep(800 + random.nextInt(700));
      JdbcStateStore state = JdbcStateStore.of(pg, name + "_state");
      long session = state.holderSession("won.erp").orElseThrow();
      assertTrue(TestDatabases.POSTGRESQL.endSession(session));
      story.add("lease of won.erp cut (backend " + session + ") at " + ms(t0) + " ms");

      Thread.sleep(300 + random.nextInt(500));
      deleteWhenEmpty(rabbit, queue);
      story.add("queue deleted at " + ms(t0) + " ms");
      Thread.sleep(1_000 + random.nextInt(1_000));
      channel.queueDeclare(queue, true, false, false, null);
      consume(rabbit, queue, messages, consumerErrors);   // the deleted queue's consumer was cancelled with it
      story.add("queue declared again at " + ms(t0) + " ms");

      assertEquals(DeployedProcess.HALTED, waitFor(r2, "r2"), "r2 halts itself");
      story.add("r2 halted at " + ms(t0) + " ms");
      Process r2WithoutFile = child(dir, name, "run", "queue", 1_000 + random.nextInt(1_500), "r2-no-file");
      assertEquals(DeployedProcess.HALTED, waitFor(r2WithoutFile, "r2-no-file"));
      story.add("r2 without the file destination ran and halted at " + ms(t0) + " ms");
      Process r2Again = child(dir, name, "run", "queue,file", 0, "r2-again");

      assertEquals(0, waitFor(p1, "p1"), "publisher 1");
      assertEquals(0, waitFor(p2, "p2"), "publisher 2");
      story.add("publishers done at " + ms(t0) + " ms");
      int r1Exit = waitFor(r1, "r1");
      story.add("r1 halted at " + ms(t0) + " ms (exit " + r1Exit + ")");
      for (Process p : List.of(standby, r2Again)) {
        p.destroyForcibly().waitFor();
      }
      story.add("standby and r2-again killed at " + ms(t0) + " ms");
      Process last = child(dir, name, "final", "erp,queue,file,ledger", 0, "final");
      assertEquals(0, waitFor(last, "final"), "the last process delivers everything" + output(dir, "final"));
      story.add("final process done at " + ms(t0) + " ms");
      Thread.sleep(500);   // the last messages reach the consumer

      Map<String, Long> latestWon = new HashMap<>();
      Map<String, Long> latestInvoice = new HashMap<>();
      for (String prefix : List.of("a", "b")) {
        for (int j = 0; j < PER_PUBLISHER; j++) {
          latestWon.put(prefix + (j % DeployedProcess.KEYS), (long) j + 1);
        }
        for (int i = 0; i < PER_PUBLISHER; i += 20) {
          if (i % 200 == 0) {
            latestInvoice.put(prefix + "-inv" + (i / 200 % 50), (long) i + 1);
          }
        }
      }
      for (String table : List.of("erp", "ledger")) {
        Map<String, Long> rows = new HashMap<>();
        List<String[]> writes = new ArrayList<>();
        try (java.sql.Connection c = pg.getConnection(); Statement s = c.createStatement()) {
          try (ResultSet rs = s.executeQuery("SELECT id, v FROM " + name + "_" + table)) {
            while (rs.next()) {
              rows.put(rs.getString(1), rs.getLong(2));
            }
          }
          try (ResultSet rs = s.executeQuery("SELECT id, v, pid FROM " + name + "_" + table + "_writes ORDER BY seq")) {
            while (rs.next()) {
              writes.add(new String[] {rs.getString(1), Long.toString(rs.getLong(2)), Long.toString(rs.getLong(3))});
            }
          }
        }
        assertEquals(table.equals("erp") ? latestWon : latestInvoice, rows, table + ": each key at its latest version; "
            + story);
        assertEquals(0, BroadcastKillTest.backwards(writes), table + ": a write put a key back to an older version; " + story);
        assertEquals(0, interleaved(writes), table + ": two processes wrote it at once; " + story);
        story.add(table + ": " + writes.size() + " writes by " + writers(writes));
      }
      List<String[]> lines = new ArrayList<>();
      ObjectMapper json = new ObjectMapper();
      for (String line : Files.readAllLines(dir.resolve("file.jsonl"))) {
        JsonNode n = json.readTree(line);
        lines.add(new String[] {n.get("id").asText(), n.get("v").asText(), n.get("by").asText()});
      }
      Map<String, Long> lastLine = new HashMap<>();
      lines.forEach(l -> lastLine.put(l[0], Long.parseLong(l[1])));
      assertEquals(latestWon, lastLine, "file: each key's last line at its latest version; " + story);
      assertEquals(0, BroadcastKillTest.backwards(lines), "file: a line put a key back to an older version; " + story);
      assertEquals(0, interleaved(lines), "file: two processes wrote it at once; " + story);
      story.add("file: " + lines.size() + " lines by " + writers(lines));

      assertEquals(List.of(), consumerErrors, "the test's consumer failed");
      List<String[]> got;
      synchronized (messages) {
        got = new ArrayList<>(messages);
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      List<String[]> firsts = new ArrayList<>();
      for (String[] m : got) {
        if (seen.add(m[0] + ":" + m[1])) {
          firsts.add(m);
        }
      }
      List<String> missing = new ArrayList<>();
      for (String prefix : List.of("a", "b")) {
        for (int j = 0; j < PER_PUBLISHER; j++) {
          if (!seen.contains(prefix + (j % DeployedProcess.KEYS) + ":" + (j + 1))) {
            missing.add(prefix + (j % DeployedProcess.KEYS) + " v" + (j + 1));
          }
        }
      }
      assertEquals(List.of(), missing.subList(0, Math.min(20, missing.size())), "queue: events missing (of "
          + missing.size() + "); " + story);
      assertEquals(0, BroadcastKillTest.backwards(firsts), "queue: a message older than one of its key before it; " + story);
      assertEquals(0, interleaved(got), "queue: two processes sent to it at once; " + story);
      story.add("queue: " + got.size() + " messages (" + (got.size() - firsts.size()) + " sent again after a halt or a"
          + " failed batch) by " + writers(got));
      System.out.println("[broadcast deployment test] processes " + pids + "; " + String.join("; ", story));
    } finally {
      children.forEach(Process::destroyForcibly);
      try {
        channel.queueDelete(queue);
      } catch (Exception e) {
        // gone already
      }
      rabbit.close();
      for (String drop : List.of("erp", "ledger")) {
        TestDatabases.execute(pg, "DROP TABLE IF EXISTS " + name + "_" + drop);
        TestDatabases.execute(pg, "DROP TABLE IF EXISTS " + name + "_" + drop + "_writes");
        TestDatabases.execute(pg, "DROP FUNCTION IF EXISTS " + name + "_" + drop + "_log()");
      }
      for (String t : List.of("_outbox", "_outbox_seq", "_outbox_readers", "_state_progress", "_state_entries",
          "_state_leases")) {
        TestDatabases.execute(pg, "DROP TABLE IF EXISTS " + name + t);
      }
    }
  }

  /** Takes every message of the queue as it arrives: key, version, and the pid of the process that sent it. */
  private static void consume(Connection rabbit, String queue, List<String[]> messages, List<Throwable> errors)
      throws java.io.IOException {
    Channel consuming = rabbit.createChannel();
    consuming.basicConsume(queue, true, new DefaultConsumer(consuming) {
      @Override
      public void handleDelivery(String tag, Envelope envelope, AMQP.BasicProperties props, byte[] body) {
        try {
          JsonNode n = new ObjectMapper().readTree(body);
          messages.add(new String[] {props.getHeaders().get("key").toString(), props.getHeaders().get("version").toString(),
              n.get("by").asText()});
        } catch (Exception | Error e) {
          errors.add(e);
        }
      }
    });
  }

  /** Deletes the queue at a moment it is empty (the consumer keeps it so), as an operator would. */
  private static void deleteWhenEmpty(Connection rabbit, String queue) throws Exception {
    for (int tries = 0; tries < 200; tries++) {
      Channel c = rabbit.createChannel();
      try {
        c.queueDelete(queue, false, true);
        c.close();
        return;
      } catch (java.io.IOException notEmpty) {
        Thread.sleep(5);   // the channel closed with a precondition failure: try again
      }
    }
    throw new AssertionError("the queue was never empty for a moment");
  }

  private static long ms(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  /**
   * How many times a process wrote again after another process had begun writing: in the order
   * the destination took the writes, a process once left never comes back while the one after it
   * could still write. (Each takeover is a handover: the earlier process stopped, or was halted.)
   */
  private static long interleaved(List<String[]> writes) {
    List<String> order = new ArrayList<>();
    for (String[] w : writes) {
      if (order.isEmpty() || !order.get(order.size() - 1).equals(w[2])) {
        order.add(w[2]);
      }
    }
    long n = 0;
    for (int i = 0; i < order.size(); i++) {
      for (int j = i + 1; j < order.size(); j++) {
        if (order.get(j).equals(order.get(i)) && j > i + 1) {
          n++;   // a process came back after another wrote in between
          break;
        }
      }
    }
    return n;
  }

  private static String writers(List<String[]> writes) {
    Map<String, Integer> by = new java.util.LinkedHashMap<>();
    writes.forEach(w -> by.merge(w[2], 1, Integer::sum));
    return by.size() + " processes " + by;
  }

  private Process child(Path dir, String name, String role, String destinations, long haltAfter, String label,
                        int... count) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
        DeployedProcess.class.getName(), dir.toString(), name, role, destinations, String.valueOf(haltAfter)));
    if (count.length > 0) {
      command.add(String.valueOf(count[0]));
    }
    Process p = new ProcessBuilder(command).redirectOutput(dir.resolve(label + ".out").toFile())
        .redirectError(dir.resolve(label + ".err").toFile()).start();
    children.add(p);
    pids.add(label + "=" + p.pid());
    return p;
  }

  private static int waitFor(Process p, String label) throws Exception {
    if (!p.waitFor(240, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError(label + " did not finish in 240 s");
    }
    return p.exitValue();
  }

  private static void awaitLine(Path dir, String label, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    Path out = dir.resolve(label + ".out");
    while (System.nanoTime() < deadline) {
      if (Files.exists(out) && Files.readAllLines(out).contains(line)) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(label + " did not say '" + line + "' in 60 s" + output(dir, label));
  }

  private static String output(Path dir, String label) throws java.io.IOException {
    Path out = dir.resolve(label + ".out");
    Path err = dir.resolve(label + ".err");
    String e = Files.exists(err) ? Files.readString(err) : "";
    return System.lineSeparator() + "stdout: " + (Files.exists(out) ? Files.readString(out) : "") + System.lineSeparator()
        + "stderr: " + (e.length() > 4000 ? e.substring(e.length() - 4000) : e);
  }
}
