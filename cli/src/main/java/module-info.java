/** The patchbay command: an application, exporting nothing. */
module dev.patchbay.cli {
  requires dev.patchbay.catalog;
  requires info.picocli;

  opens dev.patchbay.cli to info.picocli;
}
