package dev.patchbay.benchmarks;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.ConnectionFactory;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.rabbitmq.RabbitQueue;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.codec.TypedJson;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.Route;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;

/**
 * Broadcast, side by side in one run: publish-to-all-acknowledged latency (p50, p99, max) at a
 * steady rate to three destinations, with the in-memory outbox and with the PostgreSQL outbox
 * (ledgers in a state directory, forced to disk); the same with one destination stopped (the
 * others' latency); the highest sustained rate of each; with the PostgreSQL outbox, that rate
 * against raw JDBC batched inserts of the same events into one table; the RabbitMQ destination's
 * rate against the broker's own client publishing with confirms.
 *
 * <p>Arguments: {@code [rate per second] [seconds] [events for the rates]}; defaults 1000, 10, 50000.
 */
public final class BroadcastBenchmark {

  private static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  private static final String RABBIT = "amqp://guest:guest@127.0.0.1:5672";
  private static final int CHUNK = 500;

  private BroadcastBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    int rate = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
    int events = args.length > 2 ? Integer.parseInt(args[2]) : 50_000;
    System.out.println("Broadcast benchmark: " + rate + " events/s for " + seconds + " s to three destinations; rates over "
        + events + " events; " + Runtime.getRuntime().availableProcessors() + " CPUs");
    warmUp();
    try (HikariDataSource pg = pool()) {
      latency(null, () -> fresh(pg), pg, rate, 4, false);   // warming the JDBC path, not printed
      double[] memoryHealthy = latency("in-memory outbox", () -> Outbox.inMemory(), null, rate, seconds, false);
      double[] pgHealthy = latency("PostgreSQL outbox", () -> fresh(pg), pg, rate, seconds, false);
      double[] memoryStopped = latency("in-memory outbox", () -> Outbox.inMemory(), null, rate, seconds, true);
      double[] pgStopped = latency("PostgreSQL outbox", () -> fresh(pg), pg, rate, seconds, true);
      System.out.printf("isolation: with one destination stopped, the other two's p50 and p99 are %.2fx and %.2fx the"
          + " all-healthy run's (in-memory outbox), %.2fx and %.2fx (PostgreSQL outbox)%n", memoryStopped[0] / memoryHealthy[0],
          memoryStopped[1] / memoryHealthy[1], pgStopped[0] / pgHealthy[0], pgStopped[1] / pgHealthy[1]);
      long memory = 0;
      long durable = 0;
      long raw = 0;
      for (int run = 1; run <= 2; run++) {   // the first run of each warms its statements; the second is reported
        memory = sustained("in-memory outbox, run " + run, Outbox.inMemory(), null, events);
        durable = sustained("PostgreSQL outbox, run " + run, fresh(pg), pg, events);
        raw = rawInserts(pg, events, run);
      }
      System.out.printf("PostgreSQL: broadcast %,d events/s delivered to three, raw batched inserts %,d events/s: %.2fx"
          + " (in memory %,d events/s)%n", durable, raw, durable / (double) raw, memory);
    }
    rabbit(events);
  }

  /** A run unmeasured first: the JIT and the connections warmed. */
  private static void warmUp() throws Exception {
    sustainedQuiet(Outbox.inMemory(), 20_000);
  }

  private static HikariDataSource pool() {
    HikariConfig c = new HikariConfig();
    c.setJdbcUrl(PG);
    c.setUsername("postgres");
    c.setMaximumPoolSize(8);
    return new HikariDataSource(c);
  }

  private static int tables;

  private static Outbox fresh(HikariDataSource pg) {
    String table = "bench_outbox_" + (++tables);
    drop(pg, table);
    return JdbcOutbox.of(pg, table);
  }

  private static void drop(HikariDataSource pg, String table) {
    try (Connection c = pg.getConnection(); Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute("DROP TABLE IF EXISTS " + table + "_seq");
      s.execute("DROP TABLE IF EXISTS " + table + "_readers");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Fields opportunity(int i) {
    return Fields.of("account", "acct-" + (i % 977), "amount", new BigDecimal(i % 100_000).movePointLeft(2),
        "stage", "closed-won", "owner", "rep-" + (i % 41), "closedAt", Instant.ofEpochSecond(1_700_000_000L + i));
  }

  /** A destination over a store that notes, for each event (key {@code e<i>}), when a write holding it returned. */
  private static final class Acking implements Destination<Fields> {
    final InMemoryStore<Fields> store = InMemoryStore.create("d");
    final long[] acked;
    volatile boolean down;

    Acking(int events) {
      acked = new long[events];
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      if (down) {
        throw new TransientException("stopped", null);
      }
      List<Outcome> out = store.write(batch);
      long now = System.nanoTime();
      for (Change<Fields> c : batch) {
        acked[Integer.parseInt(c.key(), 1, c.key().length(), 10)] = now;
      }
      return out;
    }
  }

  private interface OutboxMaker {
    Outbox make();
  }

  private static Broadcast broadcast(Outbox outbox, HikariDataSource pg, Acking... to) throws Exception {
    StateStore state = pg == null || "memory".equals(System.getenv("LEDGERS")) ? StateStore.inMemory()
        : StateStore.directory(Files.createTempDirectory("bench-ledgers"));
    Broadcast.Builder b = Broadcast.builder().name("bench").outbox(outbox).state(state).pollInterval(Duration.ofMillis(200));
    if (System.getenv("BUFFER") != null) {
      b.buffer(Integer.parseInt(System.getenv("BUFFER")));
    }
    for (int d = 0; d < to.length; d++) {
      b.destination(Route.to("d" + d).into(to[d]));
    }
    return b.build();
  }

  /** Latency at a steady rate, from each event's planned time to its write returning at the last healthy destination. */
  /** p50, p99 and max in milliseconds; null for a run not printed. */
  private static double[] latency(String label, OutboxMaker outboxes, HikariDataSource pg, int rate, int seconds,
      boolean oneStopped) throws Exception {
    int n = rate * seconds;
    Acking[] to = {new Acking(n), new Acking(n), new Acking(n)};
    to[2].down = oneStopped;
    long[] planned = new long[n];
    long[] publishing = new long[n];
    long late;
    try (Broadcast b = broadcast(outboxes.make(), pg, to)) {
      b.start();
      long start = System.nanoTime() + 50_000_000L;
      long step = 1_000_000_000L / rate;
      for (int i = 0; i < n; i++) {
        planned[i] = start + i * step;
        long wait = planned[i] - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        long p0 = System.nanoTime();
        b.publish(Change.upsert(new Envelope<>("e" + i, i + 1, opportunity(i))));
        publishing[i] = System.nanoTime() - p0;
      }
      late = System.nanoTime() - planned[n - 1];
      int healthy = oneStopped ? 2 : 3;
      long deadline = System.nanoTime() + 60_000_000_000L;
      while (System.nanoTime() < deadline && !allAcked(to, healthy)) {
        Thread.sleep(10);
      }
    }
    int healthy = oneStopped ? 2 : 3;
    long[] latencies = new long[n];
    int worst = 0;
    for (int i = 0; i < n; i++) {
      long last = 0;
      for (int d = 0; d < healthy; d++) {
        last = Math.max(last, to[d].acked[i] == 0 ? Long.MAX_VALUE : to[d].acked[i]);
      }
      latencies[i] = last - planned[i];
      worst = latencies[i] > latencies[worst] ? i : worst;
    }
    long slowAt = (planned[worst] - planned[0]) / 1_000_000;
    if (System.getenv("TIMELINE") != null) {
      StringBuilder t = new StringBuilder("  timeline (max ms per 250 ms):");
      for (int from = 0; from < n; from += rate / 4) {
        long m = 0;
        for (int i = from; i < Math.min(n, from + rate / 4); i++) {
          m = Math.max(m, latencies[i]);
        }
        t.append(' ').append(m / 1_000_000);
      }
      System.out.println(t);
    }
    long over10 = Arrays.stream(latencies).filter(l -> l > 10_000_000L).count();
    if (label == null) {
      return null;
    }
    Arrays.sort(latencies);
    Arrays.sort(publishing);
    System.out.printf("latency, %s, %s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (%,d events at %,d/s; publish() p50 %.2f ms,"
        + " p99 %.2f ms; the last publish %.0f ms after its planned time; the slowest planned at %d ms; %d over 10 ms)%n", label,
        oneStopped ? "one of three stopped (the other two)" : "all three healthy", ms(latencies[n / 2]),
        ms(latencies[(int) (n * 0.99)]), ms(latencies[n - 1]), n, rate, ms(publishing[n / 2]),
        ms(publishing[(int) (n * 0.99)]), ms(late), slowAt, over10);
    return new double[] {ms(latencies[n / 2]), ms(latencies[(int) (n * 0.99)]), ms(latencies[n - 1])};
  }

  private static boolean allAcked(Acking[] to, int healthy) {
    for (int d = 0; d < healthy; d++) {
      for (long a : to[d].acked) {
        if (a == 0) {
          return false;
        }
      }
    }
    return true;
  }

  /** CPU seconds used so far by the database's processes (Linux: /proc; -1 where it cannot be read). */
  static double databaseCpu() {
    double ticks = 0;
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try {
          String stat = Files.readString(p.resolve("stat"));
          String comm = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          if (comm.startsWith("postgres")) {
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
          }
        } catch (Exception gone) {
          // the process ended while being read
        }
      }
    } catch (Exception e) {
      return -1;
    }
    return ticks / 100.0;
  }

  /** CPU seconds used so far by this JVM's threads whose names start with {@code prefix}. */
  static double threadCpu(String prefix) {
    java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
    double total = 0;
    for (java.lang.management.ThreadInfo t : mx.getThreadInfo(mx.getAllThreadIds())) {
      if (t != null && t.getThreadName().startsWith(prefix)) {
        total += Math.max(0, mx.getThreadCpuTime(t.getThreadId())) / 1e9;
      }
    }
    return total;
  }

  private static double ms(long nanos) {
    return nanos == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : nanos / 1e6;
  }

  /** Events per second from the first publish to the last write returning at all three, publishing in chunks. */
  private static long sustained(String label, Outbox outbox, HikariDataSource pg, int events) throws Exception {
    Acking[] to = {new Acking(events), new Acking(events), new Acking(events)};
    long t0;
    long published;
    double db0 = databaseCpu();
    double main0 = threadCpu("main");
    String cpu;
    try (Broadcast b = broadcast(outbox, pg, to)) {
      b.start();
      t0 = System.nanoTime();
      for (int i = 0; i < events; i += CHUNK) {
        List<Change<Fields>> chunk = new ArrayList<>(CHUNK);
        for (int j = i; j < Math.min(events, i + CHUNK); j++) {
          chunk.add(Change.upsert(new Envelope<>("e" + j, j + 1, opportunity(j))));
        }
        b.publishAll(chunk);
      }
      published = System.nanoTime();
      if (!b.awaitDelivered(Duration.ofMinutes(5))) {
        throw new IllegalStateException("not delivered: " + b.status().summary());
      }
      cpu = String.format("CPU s: publisher %.2f, the three runners %.2f, purger %.2f, listener %.2f, database %.2f",
          threadCpu("main") - main0, threadCpu("bench-d"), threadCpu("bench-purger"), threadCpu("outbox-"),
          databaseCpu() - db0);
    }
    long end = 0;
    for (Acking a : to) {
      for (long t : a.acked) {
        end = Math.max(end, t);
      }
    }
    long rate = (long) (events / ((end - t0) / 1e9));
    System.out.printf("sustained, %s: %,d events/s delivered to all three (published at %,d events/s; %s)%n", label, rate,
        (long) (events / ((published - t0) / 1e9)), cpu);
    return rate;
  }

  private static void sustainedQuiet(Outbox outbox, int events) throws Exception {
    Acking[] to = {new Acking(events), new Acking(events), new Acking(events)};
    try (Broadcast b = broadcast(outbox, null, to)) {
      b.start();
      for (int i = 0; i < events; i += CHUNK) {
        List<Change<Fields>> chunk = new ArrayList<>(CHUNK);
        for (int j = i; j < Math.min(events, i + CHUNK); j++) {
          chunk.add(Change.upsert(new Envelope<>("e" + j, j + 1, opportunity(j))));
        }
        b.publishAll(chunk);
      }
      b.awaitDelivered(Duration.ofMinutes(1));
    }
  }

  /** The same events, in the outbox's columns, inserted into one table in batches of the chunk size, one transaction each. */
  private static long rawInserts(HikariDataSource pg, int events, int run) throws Exception {
    try (Connection c = pg.getConnection()) {
      try (Statement s = c.createStatement()) {
        s.execute("DROP TABLE IF EXISTS bench_raw_events");
        s.execute("CREATE TABLE bench_raw_events (seq BIGINT PRIMARY KEY, id VARCHAR(36) NOT NULL, aggregatetype"
            + " VARCHAR(255) NOT NULL, aggregateid VARCHAR(768) NOT NULL, type VARCHAR(16) NOT NULL, version BIGINT NOT NULL,"
            + " payload TEXT NOT NULL, created_at TIMESTAMP(6) NOT NULL)");
      }
      c.setAutoCommit(false);
      double db0 = databaseCpu();
      double main0 = threadCpu("main");
      long t0 = System.nanoTime();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO bench_raw_events (seq, id, aggregatetype, aggregateid,"
          + " type, version, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
        for (int i = 0; i < events; i++) {
          ps.setLong(1, i + 1);
          ps.setString(2, UUID.randomUUID().toString());
          ps.setString(3, "bench");
          ps.setString(4, "e" + i);
          ps.setString(5, "upsert");
          ps.setLong(6, i + 1);
          ps.setString(7, TypedJson.write(opportunity(i)));
          ps.setTimestamp(8, Timestamp.from(Instant.now()));
          ps.addBatch();
          if ((i + 1) % CHUNK == 0 || i == events - 1) {
            ps.executeBatch();
            c.commit();
          }
        }
      }
      long rate = (long) (events / ((System.nanoTime() - t0) / 1e9));
      System.out.printf("raw JDBC, PostgreSQL, run %d: %,d events/s inserted in batches of %d (CPU s: inserting thread %.2f,"
          + " database %.2f)%n", run, rate, CHUNK, threadCpu("main") - main0, databaseCpu() - db0);
      return rate;
    }
  }

  /** RabbitQueue writing batches of the chunk size, against the client publishing the same messages with confirms. */
  private static void rabbit(int events) throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(RABBIT);
    try (com.rabbitmq.client.Connection probe = f.newConnection()) {
      probe.createChannel().queueDelete("bench_raw");
    } catch (Exception e) {
      System.out.println("RabbitMQ: not running here; not measured");
      return;
    }
    List<Change<Fields>> all = new ArrayList<>(events);
    for (int i = 0; i < events; i++) {
      all.add(Change.upsert(new Envelope<>("e" + i, i + 1, opportunity(i))));
    }
    long ours = 0;
    long raw = 0;
    for (int run = 1; run <= 2; run++) {   // the first run warms both; the second is reported
      try (RabbitQueue q = RabbitQueue.builder(RABBIT).queue("bench_ours").build()) {
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i += CHUNK) {
          q.write(all.subList(i, Math.min(events, i + CHUNK)));
        }
        ours = (long) (events / ((System.nanoTime() - t0) / 1e9));
      }
      try (com.rabbitmq.client.Connection c = f.newConnection()) {
        Channel ch = c.createChannel();
        ch.queueDeclare("bench_raw", true, false, false, null);
        ch.confirmSelect();
        long t0 = System.nanoTime();
        for (int i = 0; i < events; i += CHUNK) {
          for (int j = i; j < Math.min(events, i + CHUNK); j++) {   // the same message as RabbitQueue's: body, headers, id
            Change.Upsert<Fields> u = (Change.Upsert<Fields>) all.get(j);
            AMQP.BasicProperties p = new AMQP.BasicProperties.Builder().deliveryMode(2).contentType("application/json")
                .messageId(u.key() + ":" + u.record().version())
                .headers(Map.of("key", u.key(), "type", "upsert", "version", u.record().version(),
                    "types", TypedJson.writeTypes(u.record().payload()))).build();
            ch.basicPublish("", "bench_raw", true, p, TypedJson.writePlain(u.record().payload()).getBytes(StandardCharsets.UTF_8));
          }
          ch.waitForConfirmsOrDie(10_000);
        }
        raw = (long) (events / ((System.nanoTime() - t0) / 1e9));
        ch.queueDelete("bench_raw");
        c.createChannel().queueDelete("bench_ours");
      }
    }
    System.out.printf("RabbitMQ: RabbitQueue %,d messages/s, the client with confirms %,d messages/s: %.2fx (batches of %d,"
        + " persistent)%n", ours, raw, ours / (double) raw, CHUNK);
  }
}
