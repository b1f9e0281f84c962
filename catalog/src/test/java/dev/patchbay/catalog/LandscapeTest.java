package dev.patchbay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.catalog.CatalogEntry;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The landscape's forms: every system a node, every integration an edge marked by its worst finding, names quoted safely. */
class LandscapeTest {

  private static final String HEADER = String.join(",", CatalogCsv.COLUMNS) + "\n";

  private static List<CatalogEntry> catalog() {
    return CatalogCsv.read(new StringReader(HEADER
        + "hr-to-payroll,Migration,In production,employees,hr,People,payroll \"v2\",Pay,10,1,Daily,Full copy,Schedule,Database,"
        + "sensitive: tax number,\n"
        + "gis-to-crm,Migration,In production,parcels,gis,GIS,crm,Sales,10,1,Daily,Full copy,Schedule,API,encrypted,\n")).entries();
  }

  @Test
  void eachIntegration_isAnEdgeMarkedByItsWorstFinding_inEveryForm() {
    List<CatalogEntry> catalog = catalog();
    Landscape landscape = Landscape.of(catalog, ReviewRule.review(catalog, Systems.none(), ReviewRule.all()));
    assertEquals(List.of("crm", "gis", "hr", "payroll \"v2\""), landscape.systems());
    assertEquals(List.of("security", "ok"), landscape.edges().stream().map(Landscape.Edge::mark).toList());
    assertEquals("""
        flowchart LR
          s1["crm"]
          s2["gis"]
          s3["hr"]
          s4["payroll #quot;v2#quot;"]
          s3 -->|"hr-to-payroll (employees)"| s4
          s2 -->|"gis-to-crm (parcels)"| s1
          linkStyle 0 stroke:#c62828,stroke-width:2px
          linkStyle 1 stroke:#9e9e9e,stroke-width:2px
        """, landscape.mermaid());
    assertEquals("""
        digraph landscape {
          rankdir=LR;
          node [shape=box, style=rounded];
          "crm";
          "gis";
          "hr";
          "payroll \\"v2\\"";
          "hr" -> "payroll \\"v2\\"" [label="hr-to-payroll (employees)", color="#c62828", tooltip="sensitive-data-unencrypted: \
        sensitive fields (tax number) travel over a transport not known to be encrypted by DATABASE"];
          "gis" -> "crm" [label="gis-to-crm (parcels)", color="#9e9e9e"];
        }
        """, landscape.dot());
    String dsl = landscape.structurizr();
    assertEquals(true, dsl.contains("    s4 = softwareSystem \"payroll 'v2'\"\n"), dsl);
    assertEquals(true, dsl.contains("    s3 -> s4 \"hr-to-payroll (employees)\" \"DATABASE\" \"security\"\n"), dsl);
    assertEquals(true, dsl.contains("      relationship \"security\" {\n        color #c62828\n      }\n"), dsl);
  }
}
