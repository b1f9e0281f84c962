/** The contract every connector is checked against, test databases and fault injection. */
module dev.patchbay.connectors.testkit {
  requires transitive dev.patchbay.connectors;
  requires transitive org.junit.jupiter.api;
  requires transitive java.sql;

  exports dev.patchbay.connectors.testkit;
}
