/** A RabbitMQ queue as a destination. */
module dev.patchbay.connectors.rabbitmq {
  requires transitive dev.patchbay.connectors;
  requires com.rabbitmq.client;

  exports dev.patchbay.connectors.rabbitmq;

  provides dev.patchbay.connectors.ConnectorType with dev.patchbay.connectors.rabbitmq.RabbitQueueType;
}
