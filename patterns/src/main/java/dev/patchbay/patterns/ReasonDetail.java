package dev.patchbay.patterns;

/**
 * How much of a system's own error text a pattern's reports keep. Logs at INFO and above never
 * carry it, whatever this says: only the exception's class and SQLState.
 */
public enum ReasonDetail {
  /** Report messages carry the first line of the system's message (it may quote record values). */
  SYSTEM_MESSAGE,
  /** Report messages carry the exception's class and SQLState only, for hosts that must not store values in reports. */
  CLASS_AND_STATE
}
