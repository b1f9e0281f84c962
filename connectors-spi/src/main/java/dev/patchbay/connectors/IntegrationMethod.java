package dev.patchbay.connectors;

/** How a connector reaches its system, as an integration catalog records it. */
public enum IntegrationMethod {
  API, DATABASE, FILE, MESSAGE
}
