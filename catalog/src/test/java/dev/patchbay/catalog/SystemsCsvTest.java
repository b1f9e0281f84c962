package dev.patchbay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.StringReader;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The systems registry's spreadsheet form: read as a spreadsheet writes it, every bad row named at once. */
class SystemsCsvTest {

  @Test
  void aRegistry_writtenByASpreadsheet_withAByteOrderMark_readsWithItsListsAndMethods() {
    Systems systems = SystemsCsv.read(new StringReader("\uFEFFSystem,Owner,System Of Record For,Offers\r\n"
        + "finance,Treasury,invoices; payments,API; file\r\n\r\ngis,,parcels,API\r\n"));
    assertEquals(Optional.of(new SystemInfo("finance", "Treasury", Set.of("invoices", "payments"),
        Set.of(IntegrationMethod.API, IntegrationMethod.FILE))), systems.get("finance"));
    assertEquals(Optional.of(new SystemInfo("gis", null, Set.of("parcels"), Set.of(IntegrationMethod.API))), systems.get("gis"));
    assertEquals("finance", systems.systemOfRecord("payments").orElseThrow().name());
  }

  @Test
  void badRows_areRefusedTogether_eachNamedByLineAndReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SystemsCsv.read(new StringReader(
        "System,Owner,System Of Record For,Offers\nfinance,Treasury,,Carrier pigeon\nfinance,Treasury,,API\n,x,,API\nhr,People\n")));
    assertEquals("systems CSV: 4 rows cannot be read: line 2: Offers: 'Carrier pigeon' is not one of [API, DATABASE, FILE, MESSAGE];"
        + " line 3: system 'finance' is listed twice; line 4: no system name; line 5: has 2 values, the header 4", e.getMessage());
    assertEquals("systems CSV: the first line must name the columns System, Owner, System Of Record For, Offers",
        assertThrows(IllegalArgumentException.class, () -> SystemsCsv.read(new StringReader("Name,Owner\n"))).getMessage());
  }

  @Test
  void aCatalog_withAByteOrderMark_reads() {
    String csv = "\uFEFF" + String.join(",", CatalogCsv.COLUMNS) + "\n"
        + "legacy-cases,Migration,In production,cases,export,Records team,case-system,Case management,2000,0,Once,Full copy,"
        + "On demand,API,,\n";
    CatalogRead read = CatalogCsv.read(new StringReader(csv));
    assertEquals(java.util.List.of(), read.problems());
    assertEquals("legacy-cases", read.entries().get(0).name());
  }
}
