package dev.patchbay.connectors.rabbitmq;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.testkit.ConnectorContract;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The connector kit over a RabbitMQ queue (a destination: the kit's write, outcome, settings and
 * unreachable-broker checks; the rest need reads a queue does not offer). Against the broker on
 * this machine: skipped where it is not running, failed when {@code CI=true}.
 */
class RabbitQueueContractTest implements ConnectorContract {

  private final List<String> queues = new ArrayList<>();
  private Connection admin;

  @BeforeEach
  void broker() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(RabbitQueueTest.URI);
    f.setConnectionTimeout(3_000);
    try {
      admin = f.newConnection();
    } catch (Exception e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("RabbitMQ at 127.0.0.1:5672 is unreachable and CI=true, so its tests must run", e);
      }
      assumeTrue(false, "RabbitMQ is not running here (" + e.getClass().getSimpleName() + "); skipped");
    }
  }

  @AfterEach
  void deleteQueues() throws Exception {
    if (admin != null) {
      try (Channel channel = admin.createChannel()) {
        for (String q : queues) {
          channel.queueDelete(q);
        }
      }
      admin.close();
    }
  }

  @Override
  public Connector newConnector() {
    String queue = "patchbay-kit-" + System.nanoTime();
    queues.add(queue);
    return RabbitQueue.builder("amqp://127.0.0.1:5672").queue(queue)
        .credentials("guest", dev.patchbay.connectors.Secret.of("guest")).build();
  }

  @Override
  public Optional<Connector> unreachable() {
    return Optional.of(RabbitQueue.builder("amqp://guest:guest@127.0.0.1:1").queue("never-declared").build());
  }

  @Override
  public Optional<InvalidSettings> invalidSettings() {
    return Optional.of(new InvalidSettings(new RabbitQueueType(), Map.of("uri", "amqp://127.0.0.1:5672", "confirmTimeoutMs", "0"),
        List.of("queue", "confirmTimeoutMs")));
  }
}
