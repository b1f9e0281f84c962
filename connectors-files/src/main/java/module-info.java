/** CSV and JSON Lines files as connectors. */
module dev.patchbay.connectors.file {
  requires transitive dev.patchbay.connectors;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.csv;

  exports dev.patchbay.connectors.file;

  provides dev.patchbay.connectors.ConnectorType with dev.patchbay.connectors.file.FileType;
}
