/**
 * Patchbay on Kafka Connect: {@link dev.patchbay.kafka.connect.PatchbaySourceConnector} and
 * {@link dev.patchbay.kafka.connect.PatchbaySinkConnector}, the {@link dev.patchbay.kafka.connect.PatternFactory}
 * a team implements for its own scope and transform, and {@link dev.patchbay.kafka.connect.ConnectValues}.
 */
module dev.patchbay.kafka.connect {
  requires transitive dev.patchbay.patterns;
  requires static connect.api;
  requires static kafka.clients;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires static dev.patchbay.connectors.jdbc;
  requires static com.zaxxer.hikari;

  exports dev.patchbay.kafka.connect;

  uses dev.patchbay.connectors.ConnectorType;

  provides org.apache.kafka.connect.sink.SinkConnector with dev.patchbay.kafka.connect.PatchbaySinkConnector;
  provides org.apache.kafka.connect.source.SourceConnector with dev.patchbay.kafka.connect.PatchbaySourceConnector;
}
