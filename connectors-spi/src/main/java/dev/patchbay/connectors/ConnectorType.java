package dev.patchbay.connectors;

import java.util.List;

/**
 * Makes connectors of one kind ("jdbc", "csv") from settings given as text: the form in which
 * connectors can be listed in a file, or found by {@link java.util.ServiceLoader} when a host asks
 * {@link ConnectorRegistry.Builder#discover(ClassLoader)} for it.
 */
public interface ConnectorType {

  /** The type's name, unique in a registry. */
  String name();

  /** The settings {@link #open} accepts. */
  List<Setting> settings();

  /**
   * A connector made from checked settings.
   *
   * @throws dev.patchbay.core.SetupException if the settings cannot be used (after they were checked)
   */
  Connector open(Settings settings);
}
