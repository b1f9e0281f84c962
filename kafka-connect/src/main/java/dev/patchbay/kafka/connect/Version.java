package dev.patchbay.kafka.connect;

/** The plugin's version, as its jar's manifest gives it. */
final class Version {

  static final String OF_PLUGIN = java.util.Objects.requireNonNullElse(Version.class.getPackage().getImplementationVersion(), "dev");

  private Version() {
  }
}
