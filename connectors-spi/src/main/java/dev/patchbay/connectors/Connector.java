package dev.patchbay.connectors;

/**
 * One system's data element, plugged into Patchbay. A connector also implements the element
 * interfaces for what it can do ({@link dev.patchbay.core.Source}, {@link dev.patchbay.core.ChangeFeed},
 * {@link dev.patchbay.core.Lookup}, {@link dev.patchbay.core.Destination}) and declares them in
 * {@link #description()}.
 *
 * <p>{@link Object#toString()} and the description never contain a secret. {@link #close()} releases
 * what the connector opened (never what the host handed it, such as a {@code DataSource}) and may
 * be called more than once.
 */
public interface Connector extends AutoCloseable {

  /** What this connector is and can do. */
  ConnectorDescription description();

  /** Releases resources; idempotent; throws no checked exception. */
  @Override
  void close();
}
