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
  WRITE
}
