/**
 * Files as connectors: {@link dev.patchbay.connectors.file.CsvFile} and
 * {@link dev.patchbay.connectors.file.JsonLinesFile}, each a source (read in file order, resuming
 * after a line) and a destination (appended, keyed), typed by a
 * {@link dev.patchbay.connectors.file.FileSchema}. A line that cannot be read is reported with
 * file, line and reason, and the rest of the file is read.
 */
package dev.patchbay.connectors.file;
