package dev.patchbay.patterns.sync;

/**
 * What a delete on one side does to the other. Either way the pair is then closed: a later round
 * never brings the record back. (To keep deleted records as flagged rows, give the side a
 * connector that deletes softly, such as a {@code JdbcTable} with a soft-delete column, and
 * propagate.)
 */
public enum DeletePolicy {
  /** The other side's record is deleted too. */
  PROPAGATE,
  /** The other side's record stays as it is, no longer synced. */
  IGNORE
}
