/** The five elements, records, outcomes, checkpoints, reports and catalog entries. */
module dev.patchbay.core {
  requires com.fasterxml.jackson.databind;

  exports dev.patchbay.core;
  exports dev.patchbay.core.catalog;
  exports dev.patchbay.core.report;
  exports dev.patchbay.core.state;
  // an append-only journal the in-memory connector and the file link store keep: not API
  exports dev.patchbay.core.journal to dev.patchbay.connectors.memory, dev.patchbay.patterns;
}
