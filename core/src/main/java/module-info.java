/** The five elements and the capabilities beside them, records, outcomes, reports, the state store, the outbox and catalog entries. */
module dev.patchbay.core {
  requires com.fasterxml.jackson.databind;

  exports dev.patchbay.core;
  exports dev.patchbay.core.catalog;
  exports dev.patchbay.core.report;
  exports dev.patchbay.core.state;
  exports dev.patchbay.core.outbox;
  // the checksummed journal under the directory state store, which the in-memory connector's journal shares: not API
  exports dev.patchbay.core.journal to dev.patchbay.connectors.memory;
  // the typed JSON of saved values and the HTML escaping reports share: the library's own, not API
  exports dev.patchbay.core.codec to dev.patchbay.connectors.jdbc, dev.patchbay.connectors.memory, dev.patchbay.connectors.rabbitmq, dev.patchbay.catalog,
      dev.patchbay.patterns;
}
