package dev.patchbay.patterns;

/**
 * What a record deleted where it came from does where it went: in a sync, on the other side; in a
 * delta migration, in the destination. (To keep deleted records as flagged rows, give the
 * destination a connector that deletes softly, such as a {@code JdbcTable} with a soft-delete
 * column, and propagate.)
 */
public enum DeletePolicy {
  /**
   * The record is deleted there too. A sync closes the pair, so a later round never brings it back;
   * a delta migration deletes the record it wrote for that source record, and only that.
   */
  PROPAGATE,
  /** The record there stays as it is (a sync's pair is closed all the same); the delete is counted as skipped. */
  IGNORE
}
