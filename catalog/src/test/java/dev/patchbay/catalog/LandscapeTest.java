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

  @Test
  void boxesCrowdedAroundABusySystem_areSeparated_onTheCanvas() {
    java.util.List<double[]> boxes = new java.util.ArrayList<>();
    java.util.Random random = new java.util.Random(7);
    for (int i = 0; i < 40; i++) {   // forty names of growing length, crowded into a tenth of the canvas's width and height
      boxes.add(new double[] {360 + 80 * random.nextDouble(), 360 + 80 * random.nextDouble(), 20 + i, 12});
    }
    Landscape.separate(boxes, 800);
    for (int i = 0; i < boxes.size(); i++) {
      double[] a = boxes.get(i);
      org.junit.jupiter.api.Assertions.assertTrue(a[0] - a[2] >= 0 && a[0] + a[2] <= 800 && a[1] - a[3] >= 0 && a[1] + a[3] <= 800,
          "box " + i + " on the canvas");
      for (int j = i + 1; j < boxes.size(); j++) {
        double[] b = boxes.get(j);
        org.junit.jupiter.api.Assertions.assertFalse(Math.abs(a[0] - b[0]) < a[2] + b[2] && Math.abs(a[1] - b[1]) < a[3] + b[3],
            "boxes " + i + " and " + j + " overlap");
      }
    }
  }
}
