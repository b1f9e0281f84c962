package dev.patchbay.catalog;

/** How much a finding matters, most first. */
public enum Severity {
  /** Data exposed, or the catalog cannot be trusted for it: fix first. */
  CRITICAL,
  /** Data wrong or duplicated. */
  HIGH,
  /** Costly or fragile. */
  MEDIUM,
  /** Worth tidying. */
  LOW
}
