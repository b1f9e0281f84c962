package dev.patchbay.examples;

import dev.patchbay.connectors.file.FileSchema;
import dev.patchbay.connectors.file.JsonLinesFile;
import dev.patchbay.connectors.jdbc.JdbcOutbox;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.jdbc.SimpleDataSource;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.rabbitmq.RabbitQueue;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.BroadcastStatus;
import dev.patchbay.patterns.broadcast.Route;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;

/**
 * The demo's broadcast scene: an opportunity marked closed-won in the CRM becomes an order in the
 * ERP (a table), a message on the fulfilment queue (RabbitMQ where it runs here, else an in-memory
 * queue, said so) and a pick-list line in the warehouse's file. The CRM's service publishes each
 * change in its own request, into an outbox table (in Debezium's layout) in an embedded H2
 * database. Then the queue goes down for a while: the ERP and the warehouse stay current, the
 * queue falls behind in the outbox, and catches up when it is back.
 */
final class ClosedWon {

  static final String RABBIT = "amqp://guest:guest@127.0.0.1:5672";
  private static final ScopeCriteria<Fields> WON = ScopeCriteria.where("closed-won",
      r -> "closed-won".equals(r.payload().get("stage")));

  /** A destination that can be taken down: its writes fail as an unreachable broker's do. */
  static final class Unplugged implements Destination<Fields> {
    private final Destination<Fields> inner;
    volatile boolean down;

    Unplugged(Destination<Fields> inner) {
      this.inner = inner;
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      if (down) {
        throw new TransientException("the fulfilment broker is unreachable", null);
      }
      return inner.write(batch);
    }

    @Override
    public String toString() {
      return inner.toString();
    }
  }

  final DataSource erpDb;
  final JdbcTable erp;
  final JsonLinesFile warehouse;
  final Path warehouseFile;
  final Destination<Fields> queue;
  final Unplugged plug;
  final InMemoryStore<Fields> memoryQueue;
  final String queueName;
  final Broadcast broadcast;

  ClosedWon(Path work) throws SQLException {
    erpDb = SimpleDataSource.of("jdbc:h2:" + work.resolve("erp").toAbsolutePath() + ";AUTO_SERVER=FALSE", null, null);
    try (Connection c = erpDb.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE IF NOT EXISTS erp_orders (order_id VARCHAR(40) PRIMARY KEY, account VARCHAR(80),"
          + " amount DECIMAL(12, 2))");
    }
    erp = JdbcTable.builder(erpDb).describedAs("erp", "orders").table("erp_orders").key("order_id")
        .column("account").column("amount").build();
    warehouseFile = work.resolve("warehouse-picklist.jsonl");
    warehouse = JsonLinesFile.of(warehouseFile, FileSchema.keyedBy("opportunity").text("account").laterLineWins().build(),
        "warehouse", "pick list", "Warehouse");
    queueName = "patchbay-demo-fulfilment-" + ProcessHandle.current().pid();
    if (brokerRuns()) {
      queue = RabbitQueue.builder(RABBIT).queue(queueName).describedAs("fulfilment", "orders").build();
      memoryQueue = null;
    } else {
      memoryQueue = InMemoryStore.create("fulfilment-queue");
      queue = memoryQueue;
    }
    plug = new Unplugged(queue);
    broadcast = Broadcast.builder().name("closed-won").aggregateType("opportunity")
        .outbox(JdbcOutbox.of(erpDb, "crm_outbox"))
        .state(StateStore.directory(work.resolve("state")))
        .pollInterval(Duration.ofMillis(200))
        .destination(Route.to("erp").scope(WON).transform(r -> new Envelope<>("SO-" + r.key(), r.version(),
            Fields.of("account", r.payload().get("account"), "amount", r.payload().get("amount")))).into(erp))
        .destination(Route.to("fulfilment").scope(WON).eachChange()
            .retry(RetryPolicy.exponential(3, Duration.ofMillis(50), Duration.ofMillis(200))).parkAfter(1_000).into(plug))
        .destination(Route.to("warehouse").scope(WON).deletes(DeletePolicy.IGNORE)
            .transform(r -> r.withPayload(Fields.of("account", r.payload().get("account")))).into(warehouse))
        .build();
  }

  /** Whether RabbitMQ answers at 127.0.0.1 (port 5672, or {@code -Dpatchbay.demo.rabbitPort}) within 300 ms. */
  static boolean brokerRuns() {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", Integer.getInteger("patchbay.demo.rabbitPort", 5672)), 300);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  static Change<Fields> opportunity(String key, long version, String account, String amount, String stage) {
    return Change.upsert(new Envelope<>(key, version, Fields.of("account", account, "amount", new BigDecimal(amount),
        "stage", stage)));
  }

  void run() throws Exception {
    System.out.println(memoryQueue == null ? "Fulfilment queue: RabbitMQ at 127.0.0.1:5672, queue " + queueName
        : "Fulfilment queue: RabbitMQ is not running here, so an in-memory queue stands in for it");
    broadcast.start();
    try {
      broadcast.publishAll(List.of(opportunity("o-1", 1, "Harbour Cafe", "1200.00", "closed-won"),
          opportunity("o-2", 1, "Te Aro Books", "480.00", "negotiation"),
          opportunity("o-3", 1, "Kelburn Dental", "3150.00", "closed-won")));
      broadcast.publish(opportunity("o-2", 2, "Te Aro Books", "520.00", "closed-won"));
      System.out.println("The CRM publishes 4 changes: o-1 and o-3 closed-won, o-2 in negotiation and then closed-won.");
      awaitAll();
      System.out.println(broadcast.status().summary());
      System.out.println("ERP orders: " + orders());

      plug.down = true;
      System.out.println();
      System.out.println("The fulfilment queue goes down. The CRM closes two more: o-4, and o-1 again with a new amount.");
      broadcast.publishAll(List.of(opportunity("o-4", 1, "Island Bay Surf", "860.00", "closed-won"),
          opportunity("o-1", 2, "Harbour Cafe", "1350.00", "closed-won")));
      Thread.sleep(1_000);
      BroadcastStatus meanwhile = broadcast.status();
      System.out.println("A second later:");
      System.out.println(meanwhile.summary().replaceAll(", last error .*", ", last error: the broker unreachable"));
      System.out.println("ERP orders: " + orders());
      System.out.println("Warehouse pick list: " + Files.readAllLines(warehouseFile).size() + " lines");
      System.out.println("The outbox row of o-4, in the columns Debezium's outbox router reads: " + outboxRow("o-4"));

      plug.down = false;
      long t0 = System.nanoTime();
      awaitAll();
      System.out.println();
      System.out.printf("The queue is back and catches up from the outbox in %d ms:%n", (System.nanoTime() - t0) / 1_000_000);
      System.out.println(broadcast.status().summary());
    } finally {
      broadcast.close();
    }
    if (queue instanceof RabbitQueue rabbit) {
      rabbit.close();
      deleteQueue();
    } else {
      System.out.println("In-memory queue holds: " + memoryQueue.snapshot().keySet());
    }
  }

  private void awaitAll() {
    if (!broadcast.awaitDelivered(Duration.ofSeconds(30))) {
      throw new IllegalStateException("not delivered in 30 s: " + broadcast.status().summary());
    }
  }

  String orders() throws SQLException {
    StringBuilder out = new StringBuilder();
    try (Connection c = erpDb.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT order_id, account, amount FROM erp_orders ORDER BY order_id")) {
      while (rs.next()) {
        out.append(out.length() == 0 ? "" : ", ").append(rs.getString(1)).append(" ").append(rs.getString(2)).append(" ")
            .append(rs.getBigDecimal(3));
      }
    }
    return out.toString();
  }

  private String outboxRow(String key) throws SQLException {
    try (Connection c = erpDb.getConnection(); Statement s = c.createStatement();
         ResultSet rs = s.executeQuery("SELECT aggregatetype, aggregateid, type, payload FROM crm_outbox WHERE aggregateid = '"
             + key + "'")) {
      return rs.next() ? "aggregatetype=" + rs.getString(1) + ", aggregateid=" + rs.getString(2) + ", type=" + rs.getString(3)
          + ", payload=" + rs.getString(4) : "(purged)";
    }
  }

  private void deleteQueue() {
    com.rabbitmq.client.ConnectionFactory f = new com.rabbitmq.client.ConnectionFactory();
    try {
      f.setUri(RABBIT);
      try (com.rabbitmq.client.Connection c = f.newConnection()) {
        System.out.println("The queue held " + c.createChannel().queueDelete(queueName).getMessageCount()
            + " messages (each change of a closed-won opportunity); deleted, as the demo's.");
      }
    } catch (Exception e) {
      throw new SetupException("could not delete the demo's queue " + queueName, e);
    }
  }
}
