package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.catalog.CatalogCsv;
import dev.patchbay.cli.Patchbay;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Frequency;
import dev.patchbay.core.catalog.CatalogEntry.Status;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The catalog from the code, checked as a CI pipeline would: a sample service's patterns write the
 * catalog rows they describe ({@code catalogEntries}, as the catalog's CSV), and {@code patchbay
 * catalog gate --running} holds them to the catalog the architects keep (committed beside the code,
 * {@code sample-service/catalog.csv}): it passes while the two agree, and fails, naming the
 * integration and the column, once the code drifts from it.
 */
class CatalogFromCodeTest {

  /** The sample service: a contacts sync between its CRM and the permits system, and a one-off migration of legacy cases. */
  static List<CatalogEntry> sampleService(boolean drifted) {
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm-contacts").describedAs("contacts", "Customer services", "email");
    InMemoryStore<Fields> permits = InMemoryStore.<Fields>create("permit-applicants").describedAs("contacts", "Building control");
    InMemoryStore<Fields> legacy = InMemoryStore.<Fields>create("legacy-case-export").describedAs("cases", "Records team");
    InMemoryStore<Fields> cases = InMemoryStore.<Fields>create("case-system").describedAs("cases", "Case management");
    List<CatalogEntry> rows = new ArrayList<>(BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(2), Side.A)).build()
        .catalogEntries(b -> b.status(Status.IN_PRODUCTION).frequency(Frequency.HOURLY)));
    Migration<Fields, Fields> migration = Migration.builder().name("legacy-cases").source(legacy).scope(ScopeCriteria.all())
        .transform(Transform.payload(f -> f)).destination(drifted ? permits : cases).build();   // drifted: the code now writes elsewhere
    rows.add(migration.catalogEntry(b -> b.status(Status.IN_PRODUCTION).frequency(Frequency.ONCE)));
    return rows;
  }

  private static void write(List<CatalogEntry> rows, Path file) throws Exception {
    try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      CatalogCsv.write(rows, out);
    }
  }

  private static List<String> gate(Path catalog, Path running) {
    StringWriter out = new StringWriter();
    int exit = Patchbay.execute(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
        "catalog", "gate", catalog.toString(), "--running", running.toString());
    return List.of(String.valueOf(exit), out.toString());
  }

  @Test
  void theGate_passesWhileTheCodeAndTheCatalogAgree_andFailsNamingTheDrift(@TempDir Path dir) throws Exception {
    Path committed = Path.of("src/test/resources/sample-service/catalog.csv");
    Path running = dir.resolve("running.csv");
    write(sampleService(false), running);
    assertEquals(List.of("0", "gate passed: 4 integrations, 3 running in code, no violation\n"), gate(committed, running),
        "the committed catalog is what the code describes");

    write(sampleService(true), running);
    assertEquals(List.of("1", "gate refused: 1 violation\n"
        + "  - legacy-cases: legacy-case-export → permit-applicants (cases): runs in code but has no catalog entry\n"),
        gate(committed, running));
  }
}
