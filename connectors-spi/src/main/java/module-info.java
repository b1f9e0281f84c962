/** The connector SPI: the connector interface, its description, settings and registry. */
module dev.patchbay.connectors {
  requires transitive dev.patchbay.core;

  exports dev.patchbay.connectors;

  uses dev.patchbay.connectors.ConnectorType;
}
