/** The patchbay command: an application, exporting nothing. */
module dev.patchbay.cli {
  requires dev.patchbay.catalog;
  requires dev.patchbay.connectors.testkit;
  requires org.junit.platform.launcher;
  requires info.picocli;

  opens dev.patchbay.cli to info.picocli, org.junit.platform.commons;
}
