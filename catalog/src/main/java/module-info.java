/** The integration catalog: its forms, review, roadmap and compliance gate. */
module dev.patchbay.catalog {
  requires transitive dev.patchbay.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.csv;
  requires org.jgrapht.core;

  exports dev.patchbay.catalog;
}
