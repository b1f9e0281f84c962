package dev.patchbay.patterns.broadcast;

import dev.patchbay.connectors.file.FileSchema;
import dev.patchbay.connectors.file.JsonLinesFile;
import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.jdbc.SimpleDataSource;
import dev.patchbay.connectors.rabbitmq.RabbitQueue;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.RetryPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The child JVM of {@link BroadcastKillTest}: publishes events {@code from outbox end} to
 * {@code total} (event i: key {@code k(i mod keys)}, version i + 1) in chunks, through a
 * broadcast over a PostgreSQL outbox to a PostgreSQL table, a JSON Lines file and a RabbitMQ
 * queue, ledgers in a state directory; halts itself ({@code Runtime.halt}) after the given
 * milliseconds, or, given 0, waits for every destination to have everything and exits 0.
 */
public final class KillableBroadcast {

  static final String PG = "jdbc:postgresql://127.0.0.1:5432/test";
  static final String RABBIT = "amqp://guest:guest@127.0.0.1:5672";
  static final int KEYS = 5_000;
  static final int CHUNK = 50;

  private KillableBroadcast() {
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String name = args[1];
    int total = Integer.parseInt(args[2]);
    long haltAfter = Long.parseLong(args[3]);
    DataSource pg = SimpleDataSource.of(PG, "postgres", null);
    Outbox outbox = JdbcOutbox.of(pg, name + "_outbox");
    JdbcTable orders = JdbcTable.builder(pg).describedAs("erp", "orders").table(name + "_orders").key("id").column("v").build();
    JsonLinesFile file = JsonLinesFile.of(dir.resolve("warehouse.jsonl"),
        FileSchema.keyedBy("id").wholeNumber("v").laterLineWins().build(), "warehouse", "orders", null);
    RabbitQueue queue = RabbitQueue.builder(RABBIT).queue(name + "_fulfilment").build();
    Broadcast b = Broadcast.builder().name(name).outbox(outbox).state(StateStore.directory(dir.resolve("state")))
        .pollInterval(Duration.ofMillis(50))
        .destination(Route.to("erp").retry(RetryPolicy.exponential(10, Duration.ofMillis(50), Duration.ofSeconds(1)))
            .into(orders))
        .destination(Route.to("warehouse").into(file))
        .destination(Route.to("fulfilment").eachChange().into(queue))
        .build();
    b.start();
    if (haltAfter > 0) {
      Thread halt = new Thread(() -> {
        try {
          Thread.sleep(haltAfter);
        } catch (InterruptedException e) {
          return;
        }
        Runtime.getRuntime().halt(KillableBroadcast.HALTED);
      });
      halt.setDaemon(true);
      halt.start();
    }
    for (int i = (int) outbox.end(); i < total; ) {
      List<Change<Fields>> chunk = new ArrayList<>();
      for (int j = 0; j < CHUNK && i < total; j++, i++) {
        chunk.add(Change.upsert(new Envelope<>("k" + (i % KEYS), i + 1, Fields.of("v", (long) i + 1))));
      }
      b.publishAll(chunk);
    }
    System.out.println("published " + outbox.end());
    if (!b.awaitDelivered(Duration.ofSeconds(240))) {
      System.out.println(b.status().summary());
      System.exit(2);
    }
    System.out.println(b.status().summary());
    b.close();
    queue.close();
    System.exit(0);
  }

  static final int HALTED = 137;
}
