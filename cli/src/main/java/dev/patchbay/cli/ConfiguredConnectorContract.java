package dev.patchbay.cli;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.testkit.ConnectorContract;
import java.util.function.Supplier;

/**
 * The connector kit over the connector {@code patchbay connector check} opens from its settings:
 * JUnit's launcher runs this class; the command sets what it opens before each run.
 */
final class ConfiguredConnectorContract implements ConnectorContract {

  private static volatile Supplier<Connector> opened;
  private static volatile int pages = 10;

  /** What the next run checks: {@code open} gives a connector over the configured data element, each call a new one. */
  static void configure(Supplier<Connector> open, int pageSize) {
    opened = open;
    pages = pageSize;
  }

  @Override
  public Connector newConnector() {
    return opened.get();
  }

  @Override
  public int pageSize() {
    return pages;
  }
}
