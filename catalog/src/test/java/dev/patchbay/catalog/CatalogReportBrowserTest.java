package dev.patchbay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Pattern;
import dev.patchbay.core.catalog.CatalogEntry.Security;
import dev.patchbay.core.catalog.CatalogEntry.Status;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.connectors.testkit.HeadlessBrowser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTML report in a real headless browser ({@link HeadlessBrowser}). */
class CatalogReportBrowserTest {

  private static HeadlessBrowser browser;

  @TempDir
  Path dir;

  @BeforeAll
  static void browser() throws Exception {
    browser = HeadlessBrowser.require();
  }

  private HeadlessBrowser.Page load(String html, String fragment) throws Exception {
    return browser.load(dir, html, fragment);
  }

  private static List<String> rows(String dom, String id, boolean hidden) {
    return HeadlessBrowser.rows(dom, id, hidden);
  }

  private static List<CatalogEntry> catalog() {
    List<CatalogEntry> entries = new ArrayList<>();
    String[][] flows = {{"crm", "permits"}, {"crm", "gis"}, {"finance", "crm"}, {"permits", "gis"}, {"gis", "finance"}};
    for (int i = 0; i < 12; i++) {
      String[] flow = flows[i % flows.length];
      entries.add(CatalogEntry.builder(i == 3 ? "<script>alert('x')</script> & co" : "flow " + i, "element " + (i % 4))
          .pattern(i % 2 == 0 ? Pattern.MIGRATION : Pattern.OTHER).status(i % 3 == 0 ? Status.PROPOSED : Status.IN_PRODUCTION)
          .from(flow[0], i % 5 == 0 ? null : "owner " + i).to(flow[1], "owner")
          .volumes((long) i * 1_000, null).method(i % 2 == 0 ? IntegrationMethod.FILE : IntegrationMethod.API)
          .security(new Security(i % 4 == 0 ? Set.of("email") : Set.of(), i % 3 == 0 ? Boolean.FALSE : null, "")).build());
    }
    return entries;
  }

  private static String report(List<CatalogEntry> catalog) {
    Systems systems = Systems.none().with("crm", "Ana", Set.of("element 0"), IntegrationMethod.API)
        .with("gis", null, Set.of(), IntegrationMethod.API);
    List<Finding> findings = ReviewRule.review(catalog, systems, ReviewRule.all());
    return CatalogReport.html("City integrations", catalog, findings, Roadmap.of(findings));
  }

  @Test
  void theReport_loadsWithoutConsoleErrors_showsEveryEntry_andEscapesTheCatalogsText() throws Exception {
    List<CatalogEntry> catalog = catalog();

    HeadlessBrowser.Page page = load(report(catalog), "");

    assertEquals(List.of(), page.console(), "no console messages");
    List<String> shown = rows(page.dom(), "catalog", false);
    assertEquals(catalog.size(), shown.size());
    for (int i = 0; i < catalog.size(); i++) {
      assertTrue(shown.get(i).startsWith(catalog.get(i).name() + "|"), shown.get(i));
    }
    assertFalse(page.dom().contains("<script>alert"), "catalog text is never markup");
    assertTrue(page.dom().contains("12 of 12 integrations shown"), "the script ran");
  }

  @Test
  void filteringBySystem_showsExactlyTheIntegrationsThatTouchIt_inEveryTable() throws Exception {
    List<CatalogEntry> catalog = catalog();

    HeadlessBrowser.Page page = load(report(catalog), "#system=gis");

    assertEquals(List.of(), page.console());
    List<String> expected = catalog.stream().filter(e -> e.sourceSystem().equals("gis") || e.targetSystem().equals("gis"))
        .map(CatalogEntry::name).toList();
    assertEquals(expected, rows(page.dom(), "catalog", false).stream().map(r -> r.substring(0, r.indexOf('|'))).toList());
    assertEquals(catalog.size() - expected.size(), rows(page.dom(), "catalog", true).size());
    assertTrue(page.dom().contains(expected.size() + " of 12 integrations shown"));
    for (String finding : rows(page.dom(), "findings", false)) {
      assertTrue(expected.contains(finding.substring(0, finding.indexOf('|'))), finding);
    }
  }

  @Test
  void sortingByAColumn_ordersTheCatalog_numbersAsNumbers() throws Exception {
    List<CatalogEntry> catalog = new ArrayList<>(catalog());
    java.util.Collections.reverse(catalog);   // 11,000 new records a month first

    HeadlessBrowser.Page page = load(report(catalog), "#sort=New%20Records%20Per%20Month");

    assertEquals(List.of(), page.console());
    List<String> volumes = rows(page.dom(), "catalog", false).stream().map(r -> r.split("\\|", -1)[8]).toList();
    List<String> expected = catalog.stream().map(e -> e.newPerMonth().toString())
        .sorted(java.util.Comparator.comparingLong(Long::parseLong)).toList();
    assertEquals(expected, volumes, "0, 1000, 2000, ... 11000: not 0, 1000, 10000, 11000, 2000");
    assertTrue(page.dom().contains("aria-sort=\"ascending\""));
  }

  @Test
  void theConsoleCheck_seesAScriptError() throws Exception {
    HeadlessBrowser.Page broken = load("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>", "");
    assertEquals(1, broken.console().size(), String.join("\n", broken.console()));
    assertTrue(broken.console().get(0).contains("undefinedFunction"), broken.console().get(0));
  }
}
