package dev.patchbay.connectors.rabbitmq;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.state.TypedJson;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeoutException;

/**
 * A RabbitMQ queue as a {@link Destination}: each change a persistent message (delivery mode 2)
 * on a durable queue, published with publisher confirms, so that a write returns "accepted" only
 * for the messages the broker has confirmed it holds. A message's body is the record's fields as
 * typed JSON (empty for a delete); its headers carry {@code key}, {@code type} ({@code upsert} or
 * {@code delete}) and {@code version}, and its message id is {@code key:version}, so that a
 * consumer can drop a redelivered or older message. A batch the broker did not confirm in time,
 * or refused, fails whole: every change of it is reported failed, to be sent again.
 *
 * <pre>{@code
 * RabbitQueue fulfilment = RabbitQueue.builder("amqp://guest:guest@127.0.0.1:5672")
 *     .queue("fulfilment").describedAs("warehouse", "orders").build();
 * }</pre>
 */
public final class RabbitQueue implements Connector, Destination<Fields> {

  private final Connection connection;
  private final Channel channel;
  private final String queue;
  private final Duration confirmTimeout;
  private final ConnectorDescription description;

  private RabbitQueue(Builder b) {
    this.queue = b.queue;
    this.confirmTimeout = b.confirmTimeout;
    this.description = ConnectorDescription.builder(b.system, b.dataElement).method(IntegrationMethod.MESSAGE)
        .encryptedTransport(b.uri.startsWith("amqps:")).capabilities(Capability.UPSERT, Capability.DELETE).build();
    try {
      ConnectionFactory factory = new ConnectionFactory();
      factory.setUri(b.uri);
      factory.setConnectionTimeout(5_000);
      this.connection = factory.newConnection("patchbay-" + b.queue);
      this.channel = connection.createChannel();
      channel.queueDeclare(queue, true, false, false, null);   // durable, not exclusive, not auto-deleted
      channel.confirmSelect();
    } catch (IOException | TimeoutException | java.net.URISyntaxException | java.security.GeneralSecurityException e) {
      throw new SetupException("RabbitMQ queue '" + b.queue + "': cannot connect or declare the queue ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  public static Builder builder(String uri) {
    return new Builder(uri);
  }

  /** The queue's name. */
  public String queue() {
    return queue;
  }

  @Override
  public ConnectorDescription description() {
    return description;
  }

  /**
   * Publishes each change, in order, then waits for the broker's confirms: every change is
   * {@link Outcome.Updated} (an upsert) or {@link Outcome.Deleted} once the broker holds it; where
   * it nacks any or does not confirm them in time, every change of the batch is
   * {@link Outcome.Failed}, and the batch is to be sent again (a consumer may see some twice).
   */
  @Override
  public synchronized List<Outcome> write(List<Change<Fields>> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    try {
      for (Change<Fields> change : batch) {
        boolean delete = change instanceof Change.Delete<Fields>;
        long version = delete ? ((Change.Delete<Fields>) change).version() : ((Change.Upsert<Fields>) change).record().version();
        Fields payload = delete ? Fields.empty() : ((Change.Upsert<Fields>) change).record().payload();
        AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
            .deliveryMode(2).contentType("application/json").messageId(change.key() + ":" + version)
            .headers(Map.of("key", change.key(), "type", delete ? "delete" : "upsert", "version", version))
            .build();
        channel.basicPublish("", queue, true, properties, TypedJson.write(payload).getBytes(StandardCharsets.UTF_8));
      }
      channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
      for (Change<Fields> change : batch) {
        outcomes.add(change instanceof Change.Delete<Fields> ? new Outcome.Deleted(change.key()) : new Outcome.Updated(change.key()));
      }
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      outcomes.clear();
      for (Change<Fields> change : batch) {
        outcomes.add(new Outcome.Failed(change.key(), Stage.WRITE, null, "the broker did not confirm the batch ("
            + e.getClass().getSimpleName() + "); it is to be sent again"));
      }
    }
    return outcomes;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
      // closing: nothing left to do with it
    }
  }

  @Override
  public String toString() {
    return "RabbitQueue[" + queue + "]";
  }

  /** Builds a {@link RabbitQueue}; {@link #build()} names what is missing. */
  public static final class Builder {
    private final String uri;
    private String queue;
    private String system = "rabbitmq";
    private String dataElement = "messages";
    private Duration confirmTimeout = Duration.ofSeconds(10);

    private Builder(String uri) {
      this.uri = Objects.requireNonNull(uri, "uri");
    }

    /** The queue to publish to, declared durable if absent; required. */
    public Builder queue(String queue) {
      this.queue = Objects.requireNonNull(queue, "queue");
      return this;
    }

    /** The system and the kind of record, for the integration catalog; by default "rabbitmq" and "messages". */
    public Builder describedAs(String system, String dataElement) {
      this.system = Objects.requireNonNull(system, "system");
      this.dataElement = Objects.requireNonNull(dataElement, "dataElement");
      return this;
    }

    /** How long a batch waits for the broker's confirms before it fails; by default 10 seconds. */
    public Builder confirmTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new SetupException("RabbitMQ queue: the confirm timeout must be positive, was " + timeout);
      }
      this.confirmTimeout = timeout;
      return this;
    }

    /**
     * The connected queue.
     *
     * @throws SetupException where no queue was named, or the broker cannot be reached
     */
    public RabbitQueue build() {
      if (queue == null || queue.isBlank()) {
        throw new SetupException("RabbitMQ queue needs a queue name");
      }
      return new RabbitQueue(this);
    }
  }
}
