package dev.patchbay.connectors;

/** What a connector can do; declared in its {@link ConnectorDescription} and checked by the test kit. */
public enum Capability {
  /** Reads all its records in key order, in pages, resuming after a checkpoint ({@link dev.patchbay.core.Source}). */
  READ_PAGES,
  /** Reads the records changed since a checkpoint ({@link dev.patchbay.core.ChangeFeed}). */
  READ_CHANGES,
  /** Reads records by key ({@link dev.patchbay.core.Lookup}). */
  READ_BY_KEYS,
  /** Inserts or replaces records by key ({@link dev.patchbay.core.Destination}). */
  UPSERT,
  /** Removes records by key ({@link dev.patchbay.core.Destination}). */
  DELETE,
  /** Applies a batch all or nothing. */
  TRANSACTIONAL_BATCH,
  /** Writing the same change twice leaves the same state as writing it once. */
  IDEMPOTENT_WRITES,
  /** A delete shows in the change feed as a {@link dev.patchbay.core.Change.Delete}, not only as an absence. */
  DELETES_VISIBLE,
  /**
   * Takes {@code write} calls from several threads at once (batches of different keys), each on a
   * connection of its own, while its own or another connector's cursor reads: a migration then
   * reads ahead and writes with several writers unless told otherwise. A connector that takes its
   * connections from the host (a JDBC {@code DataSource}) declares it only where each call gets one
   * of its own; the host must not hand it one shared connection.
   */
  CONCURRENT_WRITES
}
