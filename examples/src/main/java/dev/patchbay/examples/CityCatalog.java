package dev.patchbay.examples;

import dev.patchbay.catalog.CatalogCsv;
import dev.patchbay.catalog.CatalogRead;
import dev.patchbay.catalog.CatalogReport;
import dev.patchbay.catalog.ComplianceGate;
import dev.patchbay.catalog.Finding;
import dev.patchbay.catalog.ReviewRule;
import dev.patchbay.catalog.Roadmap;
import dev.patchbay.catalog.Systems;
import dev.patchbay.catalog.SystemsCsv;
import dev.patchbay.core.catalog.CatalogEntry;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The demo's catalog scene: the city's integrations as its spreadsheet lists them (a CSV beside
 * this class), with the systems registry, reviewed; the roadmap; the patterns running in the demo
 * held to the catalog by the compliance gate; and the report as one HTML page.
 */
final class CityCatalog {

  /** Who owns what, what each system is the system of record for, and what it offers: the registry's spreadsheet. */
  static final Systems SYSTEMS = resource("/city-systems.csv", SystemsCsv::read);

  private CityCatalog() {
  }

  /** Reads the city's catalog spreadsheet. */
  static CatalogRead read() {
    return resource("/city-catalog.csv", CatalogCsv::read);
  }

  private static <T> T resource(String name, java.util.function.Function<Reader, T> reader) {
    try (Reader in = new InputStreamReader(Objects.requireNonNull(CityCatalog.class.getResourceAsStream(name),
        name + " on the class path"), StandardCharsets.UTF_8)) {
      return reader.apply(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The scene: prints the review, the roadmap and the gate's verdict on {@code running}; writes the report to {@code html}. */
  static void show(List<CatalogEntry> running, Path html) throws IOException {
    CatalogRead read = read();
    System.out.println("Read " + read.entries().size() + " integrations from city-catalog.csv; "
        + read.problems().size() + " row refused:");
    read.problems().forEach(p -> System.out.println("  " + p));

    List<Finding> findings = ReviewRule.review(read.entries(), SYSTEMS, ReviewRule.all());
    Map<String, Integer> byRule = new TreeMap<>();
    findings.forEach(f -> byRule.merge(f.rule(), 1, Integer::sum));
    System.out.println("Review: " + findings.size() + " findings, " + findings.stream().filter(Finding::security).count()
        + " of them security: " + byRule);

    List<Roadmap.Item> roadmap = Roadmap.of(findings, Map.of("crm-to-newsletter", Finding.Effort.SMALL));
    System.out.println("Roadmap, the first 8 of " + roadmap.size() + ":");
    roadmap.stream().limit(8).forEach(item -> System.out.println("  " + item));

    List<String> violations = ComplianceGate.of(read.entries(), SYSTEMS, ReviewRule.all()).violations(running);
    System.out.println("Compliance gate for the " + running.size() + " catalog entries of the patterns in this demo: "
        + violations.size() + " violations across the catalog. Those of the demo's own patterns are there on purpose:"
        + " the city's catalog records its CRM-permits sync as a file transfer, and the city sends contacts to its CRM"
        + " from five systems; the gate names each:");
    violations.stream().filter(v -> running.stream().anyMatch(e -> v.startsWith(e.describe())))
        .forEach(v -> System.out.println("  - " + v));

    Files.writeString(html, CatalogReport.html("City of Wellington: integration catalog", read.entries(), findings, roadmap));
    System.out.println("Report: " + html);
  }
}
