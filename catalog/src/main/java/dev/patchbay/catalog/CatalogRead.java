package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import java.util.List;

/**
 * What reading a catalog gave: the entries that could be read, and a problem for each row that
 * could not (the rest of the rows are read all the same).
 *
 * @param entries  the entries, in the order of the rows
 * @param problems one for each row that was left out, in row order
 */
public record CatalogRead(List<CatalogEntry> entries, List<Problem> problems) {

  public CatalogRead {
    entries = List.copyOf(entries);
    problems = List.copyOf(problems);
  }

  /**
   * A row that could not be read.
   *
   * @param line   the line the row starts on (CSV, counting the header as 1) or the entry's position (JSON, from 1)
   * @param reason every reason the row was left out
   */
  public record Problem(long line, String reason) {
    @Override
    public String toString() {
      return "line " + line + ": " + reason;
    }
  }
}
