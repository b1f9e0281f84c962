/** The patterns: migration, bi-directional sync, correlation (with its match rules), broadcast and aggregation. The engine, in {@code internal}, is not API. */
module dev.patchbay.patterns {
  requires transitive dev.patchbay.core;
  requires transitive dev.patchbay.connectors;
  requires transitive java.sql;
  requires io.github.resilience4j.retry;
  requires io.github.resilience4j.core;
  requires org.slf4j;
  requires com.fasterxml.jackson.databind;
  requires org.apache.commons.text;

  exports dev.patchbay.patterns;
  exports dev.patchbay.patterns.migration;
  exports dev.patchbay.patterns.sync;
  exports dev.patchbay.patterns.correlation;
  exports dev.patchbay.patterns.matching;
  exports dev.patchbay.patterns.broadcast;
  exports dev.patchbay.patterns.aggregation;
  exports dev.patchbay.patterns.internal to dev.patchbay.kafka.connect;
}
