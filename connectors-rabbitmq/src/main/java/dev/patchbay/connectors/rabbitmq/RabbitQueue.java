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
import dev.patchbay.core.TransientException;
import dev.patchbay.core.codec.TypedJson;
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
 * plain JSON (empty for a delete); its headers carry {@code key}, {@code type} ({@code upsert} or
 * {@code delete}), {@code version} and {@code types} (each field's Java type, for a Java consumer:
 * {@code TypedJson.read(body, types)}), and its message id is {@code key:version}, so that a
 * consumer can drop a redelivered or older message. A batch the broker did not confirm in time, or
 * refused, or that met a lost connection, fails whole with a {@link TransientException}: the
 * pattern sends it again (a consumer may see some messages twice), on a connection opened anew.
 *
 * <p>"Accepted" means the queue holds the message: messages are published {@code mandatory}, and
 * one the broker returns as unroutable (the queue was deleted) fails the batch like a nack, so a
 * queue that is gone is a destination that is down, never a black hole. The queue is declared
 * (durable) by the first connection only; a connection opened later checks that it still exists
 * (a passive declare) and does not declare it again behind an operator who deleted it. Nothing
 * connects when the queue is built: the first write does, so a broker down at start-up is one
 * destination down, not a host that cannot start. A record whose fields cannot be written as JSON
 * is that record's failure, never the batch's.
 *
 * <pre>{@code
 * RabbitQueue fulfilment = RabbitQueue.builder("amqp://guest:guest@127.0.0.1:5672")
 *     .queue("fulfilment").describedAs("warehouse", "orders").build();
 * }</pre>
 */
public final class RabbitQueue implements Connector, Destination<Fields> {

  private final ConnectionFactory factory;
  private final String queue;
  private final Duration confirmTimeout;
  private final ConnectorDescription description;
  private Connection connection;
  private Channel channel;
  private boolean closed;
  /** Whether a connection of this object declared the queue: later ones only check that it exists. */
  private boolean declared;
  /** Messages of the batch in flight the broker returned as unroutable (counted on the connection's thread, before their confirms). */
  private final java.util.concurrent.atomic.AtomicInteger returned = new java.util.concurrent.atomic.AtomicInteger();

  RabbitQueue(Builder b, ConnectionFactory factory) {
    this.queue = b.queue;
    this.confirmTimeout = b.confirmTimeout;
    this.factory = factory;
    this.description = ConnectorDescription.builder(b.system, b.dataElement).method(IntegrationMethod.MESSAGE)
        .encryptedTransport(b.uri.startsWith("amqps:")).capabilities(Capability.UPSERT, Capability.DELETE).build();
    try {
      factory.setUri(b.uri);
      if (b.user != null) {
        factory.setUsername(b.user);
        factory.setPassword(b.password.reveal());
      }
      factory.setConnectionTimeout(5_000);
      factory.setAutomaticRecoveryEnabled(false);   // a lost connection is opened anew by the next write
    } catch (java.net.URISyntaxException | java.security.GeneralSecurityException | IllegalArgumentException e) {
      throw new SetupException("RabbitMQ queue '" + b.queue + "': the URI is not one to connect with ("
          + e.getClass().getSimpleName() + ")", e);
    }
  }

  /** A connection and a confirming channel; the queue declared by the first, checked by the others. */
  private void open() throws IOException, TimeoutException {
    connection = factory.newConnection("patchbay-" + queue);
    channel = connection.createChannel();
    if (declared) {
      channel.queueDeclarePassive(queue);   // closes the channel where the queue is gone: the destination is down
    } else {
      channel.queueDeclare(queue, true, false, false, null);   // durable, not exclusive, not auto-deleted
      declared = true;
    }
    channel.addReturnListener(r -> returned.incrementAndGet());
    channel.confirmSelect();
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
   * {@link Outcome.Updated} (an upsert) or {@link Outcome.Deleted} once the broker holds it.
   *
   * @throws TransientException where the broker nacked any, did not confirm them in time, or the
   *     connection was lost (the next write opens a new one): the whole batch is to be sent again
   * @throws IllegalStateException after {@link #close()}
   */
  @Override
  public synchronized List<Outcome> write(List<Change<Fields>> batch) {
    if (closed) {
      throw new IllegalStateException("RabbitQueue '" + queue + "' is closed");
    }
    Outcome[] outcomes = new Outcome[batch.size()];
    List<byte[]> bodies = new ArrayList<>(batch.size());
    List<AMQP.BasicProperties> properties = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {   // written first: a record that cannot be is its own failure
      Change<Fields> change = batch.get(i);
      boolean delete = change instanceof Change.Delete<Fields>;
      long version = delete ? ((Change.Delete<Fields>) change).version() : ((Change.Upsert<Fields>) change).record().version();
      Fields payload = delete ? Fields.empty() : ((Change.Upsert<Fields>) change).record().payload();
      try {
        bodies.add(TypedJson.writePlain(payload).getBytes(StandardCharsets.UTF_8));
        properties.add(new AMQP.BasicProperties.Builder()
            .deliveryMode(2).contentType("application/json").messageId(change.key() + ":" + version)
            .headers(Map.of("key", change.key(), "type", delete ? "delete" : "upsert", "version", version,
                "types", TypedJson.writeTypes(payload)))
            .build());
        outcomes[i] = delete ? new Outcome.Deleted(change.key()) : new Outcome.Updated(change.key());
      } catch (IllegalArgumentException e) {
        bodies.add(null);
        properties.add(null);
        outcomes[i] = new Outcome.Failed(change.key(), dev.patchbay.core.Stage.WRITE, null, e.getMessage());
      }
    }
    int published = 0;
    try {
      if (channel == null || !channel.isOpen()) {
        drop();
        open();
      }
      returned.set(0);
      for (int i = 0; i < batch.size(); i++) {
        if (bodies.get(i) != null) {
          channel.basicPublish("", queue, true, properties.get(i), bodies.get(i));
          published++;
        }
      }
      channel.waitForConfirmsOrDie(confirmTimeout.toMillis());
    } catch (com.rabbitmq.client.AuthenticationFailureException e) {
      drop();
      throw new SetupException("RabbitMQ queue '" + queue + "': the broker refused the login (" + e.getMessage()
          + "); check the user and password", e);
    } catch (IOException | TimeoutException | InterruptedException | RuntimeException e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      drop();
      throw new TransientException("RabbitMQ queue '" + queue + "': the broker did not confirm the batch of "
          + batch.size() + " (" + refusal(e) + "); it is to be sent again", e);
    }
    int unroutable = returned.get();
    if (unroutable > 0) {   // confirmed, but not held by the queue: it is gone
      drop();
      throw new TransientException("RabbitMQ queue '" + queue + "': " + unroutable + " of the batch's " + published
          + " messages were returned unroutable (the queue does not exist); it is to be sent again");
    }
    return List.of(outcomes);
  }

  /** What went wrong, in the broker's words where it closed the channel or connection with a reason. */
  private static String refusal(Exception e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof com.rabbitmq.client.ShutdownSignalException signal && signal.getReason() != null) {
        return e.getClass().getSimpleName() + ": the broker closed the " + (signal.isHardError() ? "connection" : "channel")
            + ", " + signal.getReason().protocolMethodName() + " " + replyText(signal.getReason());
      }
    }
    return e.getClass().getSimpleName();
  }

  private static String replyText(com.rabbitmq.client.Method reason) {
    if (reason instanceof AMQP.Channel.Close close) {
      return close.getReplyCode() + " " + close.getReplyText();
    }
    if (reason instanceof AMQP.Connection.Close close) {
      return close.getReplyCode() + " " + close.getReplyText();
    }
    return "";
  }

  /** The connection, to be let go of (a failed batch), quietly. */
  private void drop() {
    Connection c = connection;
    connection = null;
    channel = null;
    if (c != null) {
      try {
        c.abort(1_000);
      } catch (RuntimeException e) {
        // already gone
      }
    }
  }

  /** For tests in this package: the connection in use, to be lost on purpose. */
  synchronized Connection connection() {
    return connection;
  }

  @Override
  public synchronized void close() {
    closed = true;
    drop();
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
    private String user;
    private dev.patchbay.connectors.Secret password;

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

    /** The user and password to connect as, in place of any the URI holds: a password kept out of the URI's text. */
    public Builder credentials(String user, dev.patchbay.connectors.Secret password) {
      this.user = Objects.requireNonNull(user, "user");
      this.password = Objects.requireNonNull(password, "password");
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
     * The queue, not connected yet: its first write connects (and declares it).
     *
     * @throws SetupException where no queue was named, or the URI is not one to connect with
     */
    public RabbitQueue build() {
      if (queue == null || queue.isBlank()) {
        throw new SetupException("RabbitMQ queue needs a queue name");
      }
      return new RabbitQueue(this, new ConnectionFactory());
    }
  }
}
