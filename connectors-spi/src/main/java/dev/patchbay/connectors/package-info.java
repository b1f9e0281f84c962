/**
 * The connector SPI: what a host implements to plug one of its systems into Patchbay.
 *
 * <p>A {@link dev.patchbay.connectors.Connector} names its system and data element and describes
 * itself ({@link dev.patchbay.connectors.ConnectorDescription}: owner, integration method,
 * encryption, sensitive fields, {@link dev.patchbay.connectors.Capability capabilities}). What it
 * can do it shows by the element interfaces it implements: {@link dev.patchbay.core.Source} (read
 * in pages), {@link dev.patchbay.core.ChangeFeed} (read changes since a checkpoint),
 * {@link dev.patchbay.core.Lookup} (read by keys), {@link dev.patchbay.core.Destination} (upsert,
 * delete). The test kit checks that what it declares is what it does.
 *
 * <p>Connectors are made in code and registered explicitly in a
 * {@link dev.patchbay.connectors.ConnectorRegistry}; {@code ServiceLoader} discovery of
 * {@link dev.patchbay.connectors.ConnectorType}s is there when a host asks for it. Settings given
 * as text (a file, a command line) are checked against the type's declared
 * {@link dev.patchbay.connectors.Setting}s, and every error is reported at once. Secret values
 * are {@link dev.patchbay.connectors.Secret}s, which print as {@code [hidden]}.
 *
 * <p>The SPI grows only by {@code default} methods.
 */
package dev.patchbay.connectors;
