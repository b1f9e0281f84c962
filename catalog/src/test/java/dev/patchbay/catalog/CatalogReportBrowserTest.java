package dev.patchbay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Pattern;
import dev.patchbay.core.catalog.CatalogEntry.Security;
import dev.patchbay.core.catalog.CatalogEntry.Status;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report in a real headless browser (Debian's chromium, installed here when absent; the
 * test is skipped only where it cannot be installed, and fails instead when {@code CI=true}).
 */
class CatalogReportBrowserTest {

  private static String chromium;

  @TempDir
  Path dir;

  @BeforeAll
  static void browser() throws Exception {
    chromium = find();
    if (chromium == null) {
      run(List.of("apt-get", "install", "-y", "-q", "chromium"), 600);
      chromium = find();
    }
    if (chromium == null && "true".equals(System.getenv("CI"))) {
      fail("CI=true and chromium is absent and could not be installed (apt-get install chromium)");
    }
    assumeTrue(chromium != null, "chromium is absent and could not be installed");
  }

  private static String find() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  /** What a headless browser made of a page: its DOM after scripts ran, and the console lines it logged. */
  private record Loaded(String dom, List<String> console) {
  }

  /** Runs {@code command}: what it wrote to stdout and to stderr (the latter through a file, so neither pipe fills). */
  private static String[] run(List<String> command, int seconds) throws IOException, InterruptedException {
    Path err = Files.createTempFile("patchbay-browser", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
      byte[] out = p.getInputStream().readAllBytes();   // until the process closes it: the DOM, once scripts ran
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail(command.get(0) + " did not finish in " + seconds + " s");
      }
      return new String[] {new String(out, StandardCharsets.UTF_8),
          new String(Files.readAllBytes(err), StandardCharsets.UTF_8)};
    } finally {
      Files.deleteIfExists(err);
    }
  }

  private Loaded load(String html, String fragment) throws Exception {
    Path page = dir.resolve("report-" + System.nanoTime() + ".html");
    Files.writeString(page, html);
    String[] result = run(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime()), "--enable-logging=stderr", "--v=0",
        "--virtual-time-budget=3000", "--dump-dom", page.toUri() + fragment), 120);
    List<String> console = result[1].lines().filter(l -> l.contains(":CONSOLE")).toList();
    return new Loaded(result[0], console);
  }

  /** The rows of table {@code id} in a dumped DOM, each as its cells' text, with whether it is hidden. */
  private static List<String> rows(String dom, String id, boolean hidden) {
    int start = dom.indexOf("<table id=\"" + id + "\"");
    String table = dom.substring(start, dom.indexOf("</table>", start));
    String body = table.substring(table.indexOf("<tbody>"));
    List<String> rows = new ArrayList<>();
    java.util.regex.Matcher m = java.util.regex.Pattern.compile("<tr([^>]*)>(.*?)</tr>", java.util.regex.Pattern.DOTALL).matcher(body);
    while (m.find()) {
      if (m.group(1).contains(" hidden") == hidden) {
        rows.add(text(m.group(2).replaceAll("<td>", "").replaceAll("</td>", "|")));
      }
    }
    return rows;
  }

  /** A dumped DOM's text, its entities read back. */
  private static String text(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
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

    Loaded page = load(report(catalog), "");

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

    Loaded page = load(report(catalog), "#system=gis");

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

    Loaded page = load(report(catalog), "#sort=New%20Records%20Per%20Month");

    assertEquals(List.of(), page.console());
    List<String> volumes = rows(page.dom(), "catalog", false).stream().map(r -> r.split("\\|", -1)[8]).toList();
    List<String> expected = catalog.stream().map(e -> e.newPerMonth().toString())
        .sorted(java.util.Comparator.comparingLong(Long::parseLong)).toList();
    assertEquals(expected, volumes, "0, 1000, 2000, ... 11000: not 0, 1000, 10000, 11000, 2000");
    assertTrue(page.dom().contains("aria-sort=\"ascending\""));
  }

  @Test
  void theConsoleCheck_seesAScriptError() throws Exception {
    Loaded broken = load("<!DOCTYPE html><html><body><script>undefinedFunction();</script></body></html>", "");
    assertEquals(1, broken.console().size(), String.join("\n", broken.console()));
    assertTrue(broken.console().get(0).contains("undefinedFunction"), broken.console().get(0));
  }
}
