package dev.patchbay.patterns.sync;

/**
 * What a round does with a record that appears again under the key of a pair closed by a delete
 * (a person re-created it, or the key was given to a new record). Never a silent "unchanged".
 */
public enum RecreatedPolicy {
  /**
   * The record is not synced, and every round reports it as a finding until it is deleted again or
   * the policy changes: a deleted pair is never brought back without a person's say.
   */
  REPORT,
  /** The pair is linked anew from the record as it is now, and the record created on the other side. */
  LINK_AGAIN
}
