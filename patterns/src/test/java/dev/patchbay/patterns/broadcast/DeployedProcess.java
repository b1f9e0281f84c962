package dev.patchbay.patterns.broadcast;

import dev.patchbay.connectors.file.FileSchema;
import dev.patchbay.connectors.file.JsonLinesFile;
import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.jdbc.SimpleDataSource;
import dev.patchbay.connectors.rabbitmq.RabbitQueue;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.sql.DataSource;

/**
 * A process of {@link BroadcastDeploymentTest}'s deployment: one PostgreSQL outbox table shared by
 * two broadcasts, {@code won} (aggregate type {@code opportunity}: destinations {@code erp}, a
 * PostgreSQL table; {@code queue}, a RabbitMQ queue, each change; {@code file}, a JSON Lines file)
 * and {@code billing} (aggregate type {@code invoice}: destination {@code ledger}, a PostgreSQL
 * table); ledgers in a PostgreSQL state store with a lease grace of 1.5 s. Each destination's
 * records carry {@code by}, the pid of the process that wrote them.
 *
 * <p>Arguments: {@code dir name role destinations haltAfterMs [count]}. Role {@code run} runs the
 * named destinations (comma separated; a broadcast whose destination is taken elsewhere is tried
 * again every 200 ms, as a standby instance does), then idles, or with {@code final} waits for
 * every event and prints the summaries. Role {@code publish} publishes {@code count} opportunities
 * (keys {@code <destinations>0..299}, versions rising) and a tenth as many invoices, in chunks.
 * A positive {@code haltAfterMs} halts a running process that long after it is running ({@code Runtime.halt}).
 */
public final class DeployedProcess {

  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String RABBIT = "amqp://guest:guest@127.0.0.1:5672";
  static final Duration GRACE = Duration.ofMillis(1_500);
  static final int KEYS = 300;
  static final int HALTED = 137;

  private DeployedProcess() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String name = args[1];
    String role = args[2];
    Set<String> destinations = Set.of(args[3].split(","));
    long haltAfter = Long.parseLong(args[4]);
    DataSource pg = SimpleDataSource.of(PG, "postgres", null);
    StateStore state = JdbcStateStore.of(pg, name + "_state", GRACE);
    long pid = ProcessHandle.current().pid();
    Transform<Fields, Fields> stamped = r -> r.withPayload(r.payload().with("by", pid));
    RetryPolicy retry = RetryPolicy.exponential(8, Duration.ofMillis(50), Duration.ofMillis(500));
    Broadcast.Builder won = Broadcast.builder().name("won").aggregateType("opportunity")
        .outbox(JdbcOutbox.of(pg, name + "_outbox")).state(state).pollInterval(Duration.ofMillis(50));
    Broadcast.Builder billing = Broadcast.builder().name("billing").aggregateType("invoice")
        .outbox(JdbcOutbox.of(pg, name + "_outbox")).state(state).pollInterval(Duration.ofMillis(50));
    if (role.equals("publish")) {
      Broadcast w = won.destination(Route.to("erp").into(InMemoryNothing.INSTANCE)).build();
      Broadcast b = billing.destination(Route.to("ledger").into(InMemoryNothing.INSTANCE)).build();
      String prefix = args[3];
      int count = Integer.parseInt(args[5]);
      for (int i = 0; i < count; i += 20) {
        List<Change<Fields>> chunk = new ArrayList<>();
        for (int j = i; j < Math.min(count, i + 20); j++) {
          chunk.add(Change.upsert(new Envelope<>(prefix + (j % KEYS), j + 1, Fields.of("v", (long) j + 1))));
        }
        w.publishAll(chunk);
        if (i % 200 == 0) {
          b.publish(Change.upsert(new Envelope<>(prefix + "-inv" + (i / 200 % 50), i + 1, Fields.of("v", (long) i + 1))));
        }
        Thread.sleep(25);
      }
      System.out.println("published " + count);
      System.exit(0);
    }
    List<Broadcast> running = new ArrayList<>();
    boolean anyWon = false;
    if (destinations.contains("erp")) {
      JdbcTable erp = JdbcTable.builder(pg).describedAs("erp", "orders").table(name + "_erp").key("id").column("v")
          .column("by", "pid").build();
      won.destination(Route.to("erp").transform(stamped).retry(retry).into(erp));
      anyWon = true;
    }
    if (destinations.contains("queue")) {
      RabbitQueue queue = RabbitQueue.builder(RABBIT).queue(name + "_q").build();
      won.destination(Route.to("queue").transform(stamped).eachChange().retry(retry).parkAfter(1_000).into(queue));
      anyWon = true;
    }
    if (destinations.contains("file")) {
      JsonLinesFile file = JsonLinesFile.of(dir.resolve("file.jsonl"), FileSchema.keyedBy("id").wholeNumber("v")
          .wholeNumber("by").laterLineWins().build(), "warehouse", "orders", null);
      won.destination(Route.to("file").transform(stamped).into(file));
      anyWon = true;
    }
    if (anyWon) {
      running.add(won.build());
    }
    if (destinations.contains("ledger")) {
      JdbcTable ledger = JdbcTable.builder(pg).describedAs("finance", "invoices").table(name + "_ledger").key("id")
          .column("v").column("by", "pid").build();
      running.add(billing.destination(Route.to("ledger").transform(stamped).retry(retry).into(ledger)).build());
    }
    List<Thread> starting = new ArrayList<>();
    for (Broadcast b : running) {
      String[] refused = {null};
      Thread t = new Thread(() -> {
        while (true) {
          try {
            b.start();
            System.out.println("started " + b.name() + " in " + pid);
            return;
          } catch (SetupException e) {   // held by another instance: a standby tries again
            if (!e.getMessage().equals(refused[0])) {
              refused[0] = e.getMessage();
              System.out.println("refused: " + e.getMessage());
            }
            try {
              Thread.sleep(200);
            } catch (InterruptedException x) {
              return;
            }
          }
        }
      });
      t.start();
      starting.add(t);
    }
    if (!role.equals("final")) {
      for (Thread t : starting) {
        t.join();
      }
      System.out.println("running");
      if (haltAfter > 0) {   // counted from here, whatever the JVM's start took
        Thread.sleep(haltAfter);
        Runtime.getRuntime().halt(HALTED);
      }
      Thread.sleep(Long.MAX_VALUE);
    }
    for (Thread t : starting) {
      t.join(60_000);
    }
    boolean all = true;
    for (Broadcast b : running) {
      all &= b.awaitDelivered(Duration.ofSeconds(120));
      System.out.println(b.status().summary());
      b.close();
    }
    System.exit(all ? 0 : 2);
  }

  /** What a publishing process's broadcast names as its destination: it never runs it. */
  enum InMemoryNothing implements dev.patchbay.core.Destination<Fields> {
    INSTANCE;

    @Override
    public List<dev.patchbay.core.Outcome> write(List<Change<Fields>> batch) {
      throw new IllegalStateException("a publishing process delivers nothing");
    }
  }
}
