package dev.patchbay.catalog;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The systems registry as a spreadsheet, one system a row, lists separated by {@code ;}:
 *
 * <pre>
 * System,Owner,System Of Record For,Offers
 * crm-contacts,Customer services,contacts,API; File
 * gis,,parcels,API
 * </pre>
 */
public final class SystemsCsv {

  /** The columns, in this order. */
  public static final List<String> COLUMNS = List.of("System", "Owner", "System Of Record For", "Offers");

  private SystemsCsv() {
  }

  /**
   * Reads a registry.
   *
   * @throws IllegalArgumentException naming the line and the reason for every row that cannot be
   *     read (all at once), or where the header is not {@link #COLUMNS}
   * @throws UncheckedIOException if {@code in} cannot be read
   */
  public static Systems read(Reader in) {
    try (CsvParser p = CatalogCsv.CSV.getFactory().createParser(in)) {
      p.setSchema(CsvSchema.emptySchema());
      if (p.nextToken() != JsonToken.START_ARRAY
          || !CatalogCsv.row(p).stream().map(h -> h.replace("\uFEFF", "").strip()).toList().equals(COLUMNS)) {
        throw new IllegalArgumentException("systems CSV: the first line must name the columns " + String.join(", ", COLUMNS));
      }
      Systems systems = Systems.none();
      List<String> errors = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      for (JsonToken t = p.nextToken(); t == JsonToken.START_ARRAY; t = p.nextToken()) {
        long line = p.currentTokenLocation().getLineNr() + 1;
        List<String> v = CatalogCsv.row(p);
        if (v.size() == 1 && v.get(0).isBlank()) {
          continue;
        }
        if (v.size() != COLUMNS.size()) {
          errors.add("line " + line + ": has " + v.size() + " values, the header " + COLUMNS.size());
          continue;
        }
        String name = v.get(0).strip();
        if (name.isEmpty() || !seen.add(name)) {
          errors.add("line " + line + ": " + (name.isEmpty() ? "no system name" : "system '" + name + "' is listed twice"));
          continue;
        }
        try {
          systems = systems.with(new SystemInfo(name, v.get(1), list(v.get(2)), methods(v.get(3))));
        } catch (IllegalArgumentException e) {
          errors.add("line " + line + ": " + e.getMessage());
        }
      }
      if (!errors.isEmpty()) {
        throw new IllegalArgumentException("systems CSV: " + errors.size() + " rows cannot be read: " + String.join("; ", errors));
      }
      return systems;
    } catch (IOException e) {
      throw new UncheckedIOException("systems CSV cannot be read: " + e.getMessage(), e);
    }
  }

  private static Set<String> list(String text) {
    Set<String> items = new LinkedHashSet<>();
    Arrays.stream(text.split(";")).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
    return items;
  }

  private static Set<IntegrationMethod> methods(String text) {
    Set<IntegrationMethod> methods = EnumSet.noneOf(IntegrationMethod.class);
    for (String m : list(text)) {
      try {
        methods.add(IntegrationMethod.valueOf(m.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("Offers: '" + m + "' is not one of " + Arrays.toString(IntegrationMethod.values()));
      }
    }
    return methods;
  }
}
