package dev.patchbay.core.report;

/** How a run ended. */
public enum RunStatus {
  /** Every record read has an outcome; record-level failures, if any, are listed. */
  COMPLETED,
  /** The run stopped early (failure limit, source error, persistent transient error); it resumes from its checkpoint. */
  FAILED,
  /** A dry run: the report says what a real run would do; nothing was written. */
  PLANNED
}
