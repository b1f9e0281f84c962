package dev.patchbay.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.csv.CsvGenerator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.patchbay.core.catalog.CatalogEntry;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The catalog's spreadsheet form: CSV with a header line of exactly the catalog's columns
 * ({@link #COLUMNS}, in any order), one entry a row. Read and written through Jackson's CSV
 * module; every cell is written quoted, so values may hold commas, quotes and line breaks (a bare
 * carriage return too, which Jackson would otherwise leave unquoted).
 *
 * <p>Managers open this file in spreadsheet programs, which run a cell that begins with {@code =},
 * {@code +}, {@code -}, {@code @}, a tab or a carriage return as a formula (CSV injection). Such a
 * cell is written with a leading apostrophe, which the spreadsheet shows as text, and read back
 * without it: what is read equals what was written, and nothing a system or a person typed into an
 * entry is ever run as a formula.
 */
public final class CatalogCsv {

  /** The column headers, in the order {@link #write} puts them. */
  public static final List<String> COLUMNS = Columns.ALL;

  static final CsvMapper CSV = (CsvMapper) new CsvMapper().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private CatalogCsv() {
  }

  /**
   * Reads a catalog. A row that cannot be read is a problem naming its line and every reason, and
   * the other rows are read all the same; blank lines are passed over.
   *
   * @throws IllegalArgumentException if the header line is missing, lacks a column, repeats one
   *     or has one the catalog does not know (all of them named at once)
   * @throws UncheckedIOException if {@code in} cannot be read, or is not CSV
   */
  public static CatalogRead read(Reader in) {
    try (CsvParser p = CSV.getFactory().createParser(in)) {
      p.setSchema(CsvSchema.emptySchema());
      if (p.nextToken() != JsonToken.START_ARRAY) {
        throw new IllegalArgumentException("catalog CSV: empty; the first line must name the columns: "
            + String.join(", ", COLUMNS));
      }
      List<String> header = row(p);
      header(header);
      List<CatalogEntry> entries = new ArrayList<>();
      List<CatalogRead.Problem> problems = new ArrayList<>();
      for (JsonToken t = p.nextToken(); t == JsonToken.START_ARRAY; t = p.nextToken()) {
        // A row's start is reported where the row before it ended: the line after is the row's.
        long line = p.currentTokenLocation().getLineNr() + 1;
        List<String> values = row(p);
        if (values.size() == 1 && values.get(0).isBlank()) {
          continue;   // a blank line
        }
        if (values.size() != header.size()) {
          problems.add(new CatalogRead.Problem(line, "has " + values.size() + " values, the header " + header.size()));
          continue;
        }
        Map<String, String> byColumn = new HashMap<>();
        for (int i = 0; i < header.size(); i++) {
          byColumn.put(header.get(i), values.get(i));
        }
        try {
          entries.add(Columns.entry(byColumn));
        } catch (IllegalArgumentException e) {
          problems.add(new CatalogRead.Problem(line, e.getMessage()));
        }
      }
      return new CatalogRead(entries, problems);
    } catch (IOException e) {
      throw new UncheckedIOException("catalog CSV cannot be read: " + e.getMessage(), e);
    }
  }

  /** The values of the row {@code p} is at, each as the spreadsheet form holds it. */
  static List<String> row(CsvParser p) throws IOException {
    List<String> values = new ArrayList<>();
    for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY && t != null; t = p.nextToken()) {
      values.add(unguarded(p.getValueAsString("")));
    }
    return values;
  }

  /** Whether a spreadsheet would run {@code v} as a formula. */
  private static boolean formula(String v) {
    if (v.isEmpty()) {
      return false;
    }
    char c = v.charAt(0);
    return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r';
  }

  /**
   * {@code v} as written: behind one more apostrophe where, past its leading apostrophes, it begins
   * as a formula; so that {@link #unguarded} takes exactly that one away again, whatever the value.
   */
  static String guarded(String v) {
    return formula(v.substring(leading(v))) ? "'" + v : v;
  }

  /** What {@link #guarded} was given. */
  static String unguarded(String v) {
    return v.startsWith("'") && formula(v.substring(leading(v))) ? v.substring(1) : v;
  }

  private static int leading(String v) {
    int i = 0;
    while (i < v.length() && v.charAt(i) == '\'') {
      i++;
    }
    return i;
  }

  private static void header(List<String> header) {
    List<String> errors = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (String h : header) {
      String name = h.replace("\uFEFF", "").strip();   // a byte order mark a spreadsheet wrote is no part of the first name
      if (!COLUMNS.contains(name)) {
        errors.add("'" + name + "' is not a catalog column");
      } else if (!seen.add(name)) {
        errors.add("'" + name + "' appears twice");
      }
    }
    COLUMNS.stream().filter(c -> !seen.contains(c)).forEach(c -> errors.add("'" + c + "' is missing"));
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException("catalog CSV header, line 1: " + String.join("; ", errors));
    }
    header.replaceAll(h -> h.replace("\uFEFF", "").strip());
  }

  /** An entry's values by column, in the order of {@link #COLUMNS}, as this form writes them (a diff compares these). */
  public static Map<String, String> values(CatalogEntry entry) {
    return java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(Columns.of(entry)));
  }

  /** Writes {@code entries} with a header line, columns in the order of {@link #COLUMNS}; {@code out} is left open. */
  public static void write(Collection<CatalogEntry> entries, Writer out) {
    CsvSchema schema = CsvSchema.emptySchema().withLineSeparator("\n");
    try (CsvGenerator g = CSV.getFactory().createGenerator(out)) {
      g.setSchema(schema);
      g.enable(CsvGenerator.Feature.ALWAYS_QUOTE_STRINGS);   // a bare carriage return stays in its cell
      writeRow(g, COLUMNS);
      for (CatalogEntry e : entries) {
        writeRow(g, new ArrayList<>(Columns.of(e).values()));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("catalog CSV cannot be written: " + e.getMessage(), e);
    }
  }

  private static void writeRow(CsvGenerator g, List<String> values) throws IOException {
    g.writeStartArray();
    for (String v : values) {
      g.writeString(guarded(v));
    }
    g.writeEndArray();
  }
}
