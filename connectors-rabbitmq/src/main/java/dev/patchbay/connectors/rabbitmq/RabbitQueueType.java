package dev.patchbay.connectors.rabbitmq;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.connectors.Setting;
import dev.patchbay.connectors.Settings;
import java.time.Duration;
import java.util.List;

/**
 * The connector type {@code rabbitmq}: a {@link RabbitQueue} from settings given as text, the
 * password a secret apart from the URI. Registered for {@link java.util.ServiceLoader} discovery.
 */
public final class RabbitQueueType implements ConnectorType {

  @Override
  public String name() {
    return "rabbitmq";
  }

  @Override
  public List<Setting> settings() {
    return List.of(
        Setting.required("uri", Setting.Kind.TEXT, "the broker's AMQP URI, without credentials (amqp://host:5672/vhost)"),
        Setting.required("queue", Setting.Kind.TEXT, "the queue to publish to, declared durable if absent"),
        Setting.optional("user", Setting.Kind.TEXT, "the user to connect as"),
        Setting.optional("password", Setting.Kind.SECRET, "the user's password"),
        Setting.optional("system", Setting.Kind.TEXT, "the system's name").withDefault("rabbitmq"),
        Setting.optional("dataElement", Setting.Kind.TEXT, "the kind of record held").withDefault("messages"),
        Setting.optional("confirmTimeoutMs", Setting.Kind.WHOLE_NUMBER, "how long a batch waits for the broker's confirms")
            .withDefault("10000").atLeast(1));
  }

  @Override
  public Connector open(Settings s) {
    RabbitQueue.Builder b = RabbitQueue.builder(s.text("uri").orElseThrow()).queue(s.text("queue").orElseThrow())
        .describedAs(s.text("system").orElseThrow(), s.text("dataElement").orElseThrow())
        .confirmTimeout(Duration.ofMillis(s.number("confirmTimeoutMs").orElseThrow()));
    s.text("user").ifPresent(u -> b.credentials(u, s.secret("password").orElse(dev.patchbay.connectors.Secret.of(""))));
    return b.build();
  }
}
