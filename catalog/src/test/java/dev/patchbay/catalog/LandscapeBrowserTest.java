package dev.patchbay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.HeadlessBrowser;
import dev.patchbay.core.catalog.CatalogEntry;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The landscape of a city of about 150 systems (the demo's catalog, its systems seven times over
 * around shared hubs) in the catalog's HTML report, in headless Chromium: every arrow in the DOM
 * coloured by its integration's worst finding, no console error, drawn in under a second; a
 * screenshot kept at {@code catalog/target/landscape.png}.
 */
class LandscapeBrowserTest {

  private static final Set<String> HUBS = Set.of("crm-contacts", "data-warehouse");

  @TempDir
  Path dir;

  /** The demo city's catalog, its systems (but the hubs) copied into seven districts. */
  static List<CatalogEntry> city150() throws Exception {
    List<CatalogEntry> city;
    try (Reader in = Files.newBufferedReader(Path.of("../examples/src/main/resources/city-catalog.csv"), StandardCharsets.UTF_8)) {
      city = CatalogCsv.read(in).entries();
    }
    List<CatalogEntry> entries = new ArrayList<>();
    for (int d = 1; d <= 7; d++) {
      String district = "-d" + d;
      for (CatalogEntry e : city) {
        String from = HUBS.contains(e.sourceSystem()) ? e.sourceSystem() : e.sourceSystem() + district;
        String to = HUBS.contains(e.targetSystem()) ? e.targetSystem() : e.targetSystem() + district;
        if (!from.equals(to)) {
          entries.add(new CatalogEntry(e.name() + district, e.pattern(), e.status(), e.dataElement(), from, e.sourceOwner(), to,
              e.targetOwner(), e.newPerMonth(), e.changedPerMonth(), e.frequency(), e.syncType(), e.trigger(), e.method(),
              e.security(), e.notes()));
        }
      }
    }
    return entries;
  }

  @Test
  void theCity_drawnInTheReport_everyArrowColouredByItsWorstFinding_inUnderASecond() throws Exception {
    List<CatalogEntry> catalog = city150();
    List<Finding> findings = ReviewRule.review(catalog, Systems.none(), ReviewRule.all());
    Landscape landscape = Landscape.of(catalog, findings);
    assertTrue(landscape.systems().size() >= 140 && landscape.systems().size() <= 160, "about 150 systems: " + landscape.systems().size());
    String html = CatalogReport.html("A city of " + landscape.systems().size() + " systems", catalog, findings, Roadmap.of(findings));
    HeadlessBrowser browser = HeadlessBrowser.require();

    browser.load(dir, "<!DOCTYPE html><html><body>warm up</body></html>", "");   // the browser's own start, not the page's
    // The picture's own time: the report as drawn, less the same report without its picture (the
    // report's tables cost the same either way). Each load is a browser process of its own, whose
    // start varies by hundreds of ms on a busy machine: the fastest of three loads of each.
    int svg = html.indexOf("<svg");
    String withoutPicture = html.substring(0, svg) + html.substring(html.indexOf("</svg>", svg) + "</svg>".length());
    long empty = Long.MAX_VALUE;
    long without = Long.MAX_VALUE;
    long report = Long.MAX_VALUE;
    HeadlessBrowser.Page page = null;
    for (int i = 0; i < 3; i++) {
      long e0 = System.nanoTime();
      browser.load(dir, "<!DOCTYPE html><html><body>empty</body></html>", "");
      empty = Math.min(empty, System.nanoTime() - e0);
      long w0 = System.nanoTime();
      browser.load(dir, withoutPicture, "");
      without = Math.min(without, System.nanoTime() - w0);
      long r0 = System.nanoTime();
      page = browser.load(dir, html, "");
      report = Math.min(report, System.nanoTime() - r0);
    }
    long drawMillis = Math.max(0, (report - without) / 1_000_000);
    System.out.printf("[landscape] %d systems, %d integrations: drawn in %d ms (the report with it less the report without);"
        + " the whole report loads in %d ms more than an empty page%n", landscape.systems().size(), landscape.edges().size(),
        drawMillis, Math.max(0, (report - empty) / 1_000_000));
    assertTrue(drawMillis < 1_000, "drawn in under a second: " + drawMillis + " ms");
    assertEquals(List.of(), page.console().stream().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("error")).toList(),
        "no console error");

    Map<String, String> expected = new HashMap<>();
    landscape.edges().forEach(e -> expected.put(e.entry().name(), e.mark()));
    Map<String, String[]> drawn = new LinkedHashMap<>();
    Matcher line = Pattern.compile("<line class=\"edge\"[^>]*stroke=\"([^\"]+)\"[^>]*data-mark=\"([^\"]+)\" data-integration=\"([^\"]+)\"")
        .matcher(page.dom());
    while (line.find()) {
      drawn.put(HeadlessBrowser.text(line.group(3)), new String[] {line.group(1), line.group(2)});
    }
    assertEquals(expected.keySet(), drawn.keySet(), "an arrow for every integration");
    int security = 0;
    for (Map.Entry<String, String[]> d : drawn.entrySet()) {
      assertEquals(expected.get(d.getKey()), d.getValue()[1], d.getKey() + "'s mark is its worst finding's");
      assertEquals(Landscape.COLOURS.get(d.getValue()[1]), d.getValue()[0], d.getKey() + "'s colour is its mark's");
      security += "security".equals(d.getValue()[1]) ? 1 : 0;
    }
    assertTrue(security > 0 && security < drawn.size(), "security findings and others among the arrows: " + security);
    assertEquals(landscape.systems().size(), Pattern.compile("<g class=\"system\"").matcher(page.dom()).results().count(),
        "a box for every system");
    // readable: no system's box (and so its name) covers another's
    List<double[]> boxes = new ArrayList<>();
    List<String> names = new ArrayList<>();
    Matcher box = Pattern.compile("<g class=\"system\" data-system=\"([^\"]+)\"><rect x=\"([-0-9.]+)\" y=\"([-0-9.]+)\""
        + " width=\"([0-9.]+)\" height=\"([0-9.]+)\"").matcher(page.dom());
    while (box.find()) {
      names.add(box.group(1));
      boxes.add(new double[] {Double.parseDouble(box.group(2)), Double.parseDouble(box.group(3)), Double.parseDouble(box.group(4)),
          Double.parseDouble(box.group(5))});
    }
    assertEquals(landscape.systems().size(), boxes.size());
    List<String> overlapping = new ArrayList<>();
    for (int i = 0; i < boxes.size(); i++) {
      for (int j = i + 1; j < boxes.size(); j++) {
        double[] a = boxes.get(i);
        double[] b = boxes.get(j);
        if (a[0] < b[0] + b[2] && b[0] < a[0] + a[2] && a[1] < b[1] + b[3] && b[1] < a[1] + a[3]) {
          overlapping.add(names.get(i) + " / " + names.get(j));
        }
      }
    }
    assertEquals(List.of(), overlapping, "boxes that cover each other");

    Path png = Path.of("target/landscape.png");
    List<String> console = browser.screenshot(dir, "<!DOCTYPE html><html><body style=\"margin:0\">" + landscape.svg() + "</body></html>",
        png, 1600, 1600);
    assertTrue(Files.size(png) > 20_000, "a screenshot of the city: " + Files.size(png) + " bytes");
    assertEquals(List.of(), console.stream().filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains("error")).toList());
  }
}
