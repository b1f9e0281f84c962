package dev.patchbay.core.report;

/** How a run of any pattern ended: one closed family for every report. */
public enum RunStatus {
  /** Every record read has an outcome; record-level failures, if any, are listed. */
  COMPLETED,
  /**
   * The run stopped early (failure limit, a system that failed, persistent transient errors); the
   * next run resumes from what was saved.
   */
  FAILED,
  /** Refused before writing anything, for a reason a person should check (a mass delete); nothing was written. */
  BLOCKED,
  /** Done for part of what it reads only: a source that failed is named, and nothing was derived from its unread part. */
  PARTIAL,
  /** A dry run: the report says what a real run would do; nothing was written. */
  PLANNED,
  /**
   * Stopped on request (its thread interrupted) at a checkpoint: what was read before it is
   * settled and saved, and the next run resumes from there. Not a failure.
   */
  STOPPED
}
