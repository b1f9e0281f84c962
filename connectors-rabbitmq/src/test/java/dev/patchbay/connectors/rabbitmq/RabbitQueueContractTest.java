package dev.patchbay.connectors.rabbitmq;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
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
    admin = RabbitQueueTest.brokerOrSkip();
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
