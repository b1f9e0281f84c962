package dev.patchbay.core.catalog;

/** How an integration reaches a system, as an integration catalog records it. */
public enum IntegrationMethod {
  /** A service interface: REST, SOAP, GraphQL. */
  API,
  /** Reading or writing the system's database directly. */
  DATABASE,
  /** Files exported and imported: CSV, fixed width, SFTP drops. */
  FILE,
  /** A queue or event stream. */
  MESSAGE
}
