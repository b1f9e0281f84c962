package dev.patchbay.core;

/** Where in a pattern a record failed. */
public enum Stage {
  /** The source could not read the record (a malformed line, a value that does not parse). */
  READ,
  /** The scope criteria could not decide on the record. */
  SCOPE,
  /** The transform rejected the record. */
  TRANSFORM,
  /** The destination rejected the record. */
  WRITE,
  /**
   * The destination has no place for a field of the record (a field with no column): nothing of
   * the record was written. Where every record of a batch fails so for the same field, the
   * pattern takes it for a setup error (the transform or the destination), not the records'.
   */
  MAPPING
}
