/** The in-memory connector. */
module dev.patchbay.connectors.memory {
  requires transitive dev.patchbay.connectors;
  requires com.fasterxml.jackson.databind;

  exports dev.patchbay.connectors.memory;

  provides dev.patchbay.connectors.ConnectorType with dev.patchbay.connectors.memory.InMemoryStoreType;
}
