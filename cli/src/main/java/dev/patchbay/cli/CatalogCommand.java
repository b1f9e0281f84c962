package dev.patchbay.cli;

import dev.patchbay.catalog.CatalogCsv;
import dev.patchbay.catalog.CatalogJson;
import dev.patchbay.catalog.CatalogRead;
import dev.patchbay.catalog.CatalogReport;
import dev.patchbay.catalog.ComplianceGate;
import dev.patchbay.catalog.Finding;
import dev.patchbay.catalog.Landscape;
import dev.patchbay.catalog.ReviewRule;
import dev.patchbay.catalog.Roadmap;
import dev.patchbay.catalog.Systems;
import dev.patchbay.catalog.SystemsCsv;
import dev.patchbay.core.catalog.CatalogEntry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code patchbay catalog ...}: the integration catalog's commands, each over a catalog file (CSV, or JSON by its name). */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Validate, review, plan, gate, report, draw and compare a catalog.",
    synopsisSubcommandLabel = "COMMAND")
final class CatalogCommand {

  @Spec
  CommandSpec spec;

  /** The options every command that reviews shares. */
  static final class Registry {
    @Option(names = "--systems", paramLabel = "FILE",
        description = "The systems registry (CSV: System, Owner, System Of Record For, Offers): owners, systems of record, "
            + "what each offers. Without it, the rules that need it find nothing.")
    Path systems;

    Systems read() {
      return systems == null ? Systems.none() : open(systems, SystemsCsv::read);
    }
  }

  @Command(name = "validate", description = "Read the catalog; list each row that cannot be read, with its line and reason. "
      + "Exit code 1 where there is one.")
  int validate(@Parameters(paramLabel = "CATALOG", description = "the catalog (CSV, or .json)") Path catalog) {
    CatalogRead read = read(catalog);
    PrintWriter out = out();
    out.printf("%s: %d integrations read, %d %s refused%n", catalog.getFileName(), read.entries().size(), read.problems().size(),
        read.problems().size() == 1 ? "row" : "rows");
    read.problems().forEach(p -> out.println("  " + p));
    return read.problems().isEmpty() ? 0 : 1;
  }

  @Command(name = "review", description = "Review the catalog: sensitive data sent unencrypted, redundant flows, data not from "
      + "its system of record, files where an API is offered, systems with no owner, volumes far from those declared.")
  int review(@Parameters(paramLabel = "CATALOG") Path catalog, @picocli.CommandLine.Mixin Registry registry) {
    List<Finding> findings = ReviewRule.review(read(catalog).entries(), registry.read(), ReviewRule.all());
    PrintWriter out = out();
    Map<String, Integer> byRule = new TreeMap<>();
    findings.forEach(f -> byRule.merge(f.rule(), 1, Integer::sum));
    out.printf("%d findings, %d of them security: %s%n", findings.size(), findings.stream().filter(Finding::security).count(), byRule);
    findings.forEach(f -> out.println("  " + f));
    return 0;
  }

  @Command(name = "roadmap", description = "The review's findings as a roadmap: security first, then records affected, "
      + "frequency and effort.")
  int roadmap(@Parameters(paramLabel = "CATALOG") Path catalog, @picocli.CommandLine.Mixin Registry registry,
      @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "how many items (default: ${DEFAULT-VALUE})")
      int limit) {
    List<Roadmap.Item> items = Roadmap.of(ReviewRule.review(read(catalog).entries(), registry.read(), ReviewRule.all()));
    PrintWriter out = out();
    out.printf("Roadmap: %d items%s%n", items.size(), items.size() > limit ? ", the first " + limit : "");
    items.stream().limit(limit).forEach(i -> out.println("  " + i));
    return 0;
  }

  @Command(name = "gate", description = "The compliance gate, for a CI pipeline: every integration in production must keep the "
      + "standards, and every integration running in code (--running) must be in the catalog as the code describes it. "
      + "Exit code 1 where there is a violation.")
  int gate(@Parameters(paramLabel = "CATALOG") Path catalog, @picocli.CommandLine.Mixin Registry registry,
      @Option(names = "--running", paramLabel = "FILE", description = "the catalog rows the code's patterns describe (CSV, or .json)")
      Path running) {
    List<CatalogEntry> entries = read(catalog).entries();
    List<CatalogEntry> code = running == null ? List.of() : read(running).entries();
    List<String> violations = ComplianceGate.of(entries, registry.read(), ReviewRule.all()).violations(code);
    PrintWriter out = out();
    if (violations.isEmpty()) {
      out.printf("gate passed: %d integrations, %d running in code, no violation%n", entries.size(), code.size());
      return 0;
    }
    out.printf("gate refused: %d %s%n", violations.size(), violations.size() == 1 ? "violation" : "violations");
    violations.forEach(v -> out.println("  - " + v));
    return 1;
  }

  @Command(name = "report", description = "The catalog as one HTML page: the integrations, the findings, the roadmap.")
  int report(@Parameters(paramLabel = "CATALOG") Path catalog, @picocli.CommandLine.Mixin Registry registry,
      @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "where the page goes") Path page,
      @Option(names = "--title", defaultValue = "Integration catalog", description = "the page's title (default: ${DEFAULT-VALUE})")
      String title) {
    List<CatalogEntry> entries = read(catalog).entries();
    List<Finding> findings = ReviewRule.review(entries, registry.read(), ReviewRule.all());
    try {
      Files.writeString(page, CatalogReport.html(title, entries, findings, Roadmap.of(findings)), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + page + ": " + e.getClass().getSimpleName(), e);
    }
    out().printf("report of %d integrations and %d findings: %s%n", entries.size(), findings.size(), page);
    return 0;
  }

  /** The forms the landscape is written in. */
  enum Form { mermaid, dot, structurizr }

  @Command(name = "landscape", description = "The landscape: each system a node, each integration an edge marked by its worst "
      + "finding (security first), as Mermaid, Graphviz DOT or the Structurizr DSL.")
  int landscape(@Parameters(paramLabel = "CATALOG") Path catalog, @picocli.CommandLine.Mixin Registry registry,
      @Option(names = {"-f", "--format"}, defaultValue = "mermaid", description = "mermaid, dot or structurizr (default: ${DEFAULT-VALUE})")
      Form form,
      @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "where it goes (default: printed)") Path file) {
    List<CatalogEntry> entries = read(catalog).entries();
    Landscape landscape = Landscape.of(entries, ReviewRule.review(entries, registry.read(), ReviewRule.all()));
    String text = switch (form) {
      case mermaid -> landscape.mermaid();
      case dot -> landscape.dot();
      case structurizr -> landscape.structurizr();
    };
    if (file == null) {
      out().print(text);
      out().flush();
      return 0;
    }
    try {
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getClass().getSimpleName(), e);
    }
    out().printf("landscape of %d systems and %d integrations (%s): %s%n", landscape.systems().size(), landscape.edges().size(), form, file);
    return 0;
  }

  @Command(name = "diff", description = "What changed between two versions of the catalog: integrations added, removed, and "
      + "changed (with each column that differs). Exit code 1 where they differ.")
  int diff(@Parameters(index = "0", paramLabel = "OLD") Path before, @Parameters(index = "1", paramLabel = "NEW") Path after) {
    Map<String, CatalogEntry> old = byIntegration(read(before).entries());
    Map<String, CatalogEntry> now = byIntegration(read(after).entries());
    List<String> lines = new ArrayList<>();
    now.forEach((id, e) -> {
      if (!old.containsKey(id)) {
        lines.add("+ " + id);
      }
    });
    old.forEach((id, e) -> {
      if (!now.containsKey(id)) {
        lines.add("- " + id);
      }
    });
    now.forEach((id, e) -> {
      CatalogEntry was = old.get(id);
      if (was != null && !was.equals(e)) {
        lines.add("~ " + id + ": " + String.join("; ", changes(was, e)));
      }
    });
    PrintWriter out = out();
    out.printf("%d added, %d removed, %d changed%n", lines.stream().filter(l -> l.startsWith("+")).count(),
        lines.stream().filter(l -> l.startsWith("-")).count(), lines.stream().filter(l -> l.startsWith("~")).count());
    lines.forEach(l -> out.println("  " + l));
    return lines.isEmpty() ? 0 : 1;
  }

  /** Each column whose value differs, with both values, by the catalog's own column names. */
  private static List<String> changes(CatalogEntry was, CatalogEntry now) {
    Map<String, String> b = CatalogCsv.values(now);
    List<String> changes = new ArrayList<>();
    CatalogCsv.values(was).forEach((column, value) -> {
      if (!Objects.equals(value, b.get(column))) {
        changes.add(column + " '" + value + "' -> '" + b.get(column) + "'");
      }
    });
    return changes;
  }

  /** The entries by integration: name, from system, to system (an integration's identity in the catalog). */
  private static Map<String, CatalogEntry> byIntegration(List<CatalogEntry> entries) {
    Map<String, CatalogEntry> by = new TreeMap<>();
    entries.forEach(e -> by.put(e.name() + " (" + e.sourceSystem() + " -> " + e.targetSystem() + ")", e));
    return by;
  }

  private PrintWriter out() {
    return spec.commandLine().getOut();
  }

  private static CatalogRead read(Path file) {
    return open(file, file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".json")
        ? CatalogJson::read : CatalogCsv::read);
  }

  /** {@code file} read by {@code reader}; a file that cannot be read an {@link UncheckedIOException} naming it. */
  private static <T> T open(Path file, java.util.function.Function<Reader, T> reader) {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return reader.apply(in);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + file + ": there is no such file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }
}
