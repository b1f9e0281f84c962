package dev.patchbay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each command over the demo's city catalog and registry: what it prints and its exit code. */
class CliTest {

  static final Path CITY = Path.of("../examples/src/main/resources/city-catalog.csv");
  static final Path SYSTEMS = Path.of("../examples/src/main/resources/city-systems.csv");

  /** What a run printed, and its exit code. */
  record Run(int exit, String out, String err) {
  }

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Patchbay.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(exit, out.toString(), err.toString());
  }

  @Test
  void validate_listsTheRowThatCannotBeRead_andExitsOne() {
    Run r = run("catalog", "validate", CITY.toString());
    assertEquals(1, r.exit(), r.out());
    assertEquals("city-catalog.csv: 31 integrations read, 1 row refused\n"
        + "  line 33: Status 'live' is none of Proposed, In production, Retired\n", r.out());
  }

  /** The same findings the demo prints from the same catalog and registry (CityCatalog). */
  @Test
  void review_withTheRegistry_findsWhatTheDemoFinds() {
    Run r = run("catalog", "review", CITY.toString(), "--systems", SYSTEMS.toString());
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("48 findings, 8 of them security: {file-where-api-offered=7, missing-owner=8,"
        + " not-from-system-of-record=12, redundant-flow=13, sensitive-data-unencrypted=8}\n"), r.out());
    assertTrue(r.out().contains("CRITICAL sensitive-data-unencrypted [rates-to-finance: rates → finance (rates)]"), r.out());
  }

  @Test
  void roadmap_putsSecurityFirst_andTakesALimit() {
    Run r = run("catalog", "roadmap", CITY.toString(), "--systems", SYSTEMS.toString(), "--limit", "3");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    assertEquals("Roadmap: 48 items, the first 3", lines.get(0));
    assertEquals(4, lines.size(), r.out());
    assertTrue(lines.get(1).startsWith("  1. ") && lines.get(1).contains("sensitive-data-unencrypted"), r.out());
  }

  @Test
  void gate_failsOnAPlantedViolation_andPassesWithoutIt(@TempDir Path dir) throws Exception {
    String header = Files.readAllLines(CITY).get(0);
    String clean = "permits-to-gis,Migration,In production,permits,permit-applicants,Building control,gis,GIS team,100,10,Daily,"
        + "Delta,Schedule,API,encrypted,\n";
    Path catalog = Files.writeString(dir.resolve("catalog.csv"), header + "\n" + clean);
    Run passed = run("catalog", "gate", catalog.toString(), "--systems", SYSTEMS.toString());
    assertEquals(0, passed.exit(), passed.out() + passed.err());
    assertEquals("gate passed: 1 integrations, 0 running in code, no violation\n", passed.out());

    Path planted = Files.writeString(dir.resolve("planted.csv"), header + "\n" + clean
        + "hr-export,Migration,In production,employees,hr,People & culture,data-warehouse,Analytics,50,5,Daily,Full copy,"
        + "Schedule,File,sensitive: tax number,\n");
    Run refused = run("catalog", "gate", planted.toString(), "--systems", SYSTEMS.toString());
    assertEquals(1, refused.exit(), refused.out());
    assertTrue(refused.out().startsWith("gate refused: "), refused.out());
    assertTrue(refused.out().contains("- hr-export: hr → data-warehouse (employees): breaks sensitive-data-unencrypted"), refused.out());
  }

  @Test
  void gate_refusesAnIntegrationRunningInCode_thatTheCatalogDescribesOtherwise(@TempDir Path dir) throws Exception {
    String header = Files.readAllLines(CITY).get(0);
    Path catalog = Files.writeString(dir.resolve("catalog.csv"), header + "\n"
        + "crm-permits,Bi-directional sync,Proposed,contacts,crm-contacts,Customer services,permit-applicants,Building control,"
        + "300,1200,Hourly,Delta,Schedule,File,encrypted,\n");
    Path running = Files.writeString(dir.resolve("running.csv"), header + "\n"
        + "crm-permits,Bi-directional sync,Proposed,contacts,crm-contacts,Customer services,permit-applicants,Building control,"
        + "300,1200,Hourly,Delta,Schedule,API,encrypted,\n"
        + "legacy-cases,Migration,Proposed,cases,legacy-case-export,Records team,case-system,Case management,2000,0,Once,"
        + "Full copy,On demand,API,,\n");
    Run r = run("catalog", "gate", catalog.toString(), "--running", running.toString());
    assertEquals(1, r.exit(), r.out());
    assertEquals("gate refused: 2 violations\n"
        + "  - crm-permits: crm-contacts → permit-applicants (contacts): the catalog entry differs from the code in integration"
        + " method (code: API, catalog: FILE)\n"
        + "  - legacy-cases: legacy-case-export → case-system (cases): runs in code but has no catalog entry\n", r.out());
  }

  @Test
  void report_writesTheHtmlPage(@TempDir Path dir) throws Exception {
    Path page = dir.resolve("catalog.html");
    Run r = run("catalog", "report", CITY.toString(), "--systems", SYSTEMS.toString(), "-o", page.toString(), "--title", "City");
    assertEquals(0, r.exit(), r.err());
    assertEquals("report of 31 integrations and 48 findings: " + page + "\n", r.out());
    assertTrue(Files.readString(page).contains("<title>City</title>"));
  }

  @Test
  void diff_namesWhatWasAddedRemovedAndChanged_columnByColumn(@TempDir Path dir) throws Exception {
    List<String> lines = Files.readAllLines(CITY);
    Path before = Files.write(dir.resolve("before.csv"), lines.subList(0, 4));
    List<String> after = new java.util.ArrayList<>(lines.subList(0, 3));
    after.set(2, after.get(2).replace(",Hourly,", ",Daily,"));
    after.add(lines.get(5));
    Files.write(dir.resolve("after.csv"), after);
    Run r = run("catalog", "diff", before.toString(), dir.resolve("after.csv").toString());
    assertEquals(1, r.exit(), r.out());
    List<String> out = r.out().lines().toList();
    assertEquals("1 added, 1 removed, 1 changed", out.get(0));
    assertTrue(out.stream().anyMatch(l -> l.startsWith("  ~ crm-permits (crm-contacts -> permit-applicants): Update Frequency 'Hourly' -> 'Daily'")),
        r.out());
    assertEquals(0, run("catalog", "diff", before.toString(), before.toString()).exit(), "a catalog and itself: no difference");
  }

  @Test
  void aFileThatIsNotThere_isExitCodeThree_namingIt_andAMisusedCommandTwo() {
    Run missing = run("catalog", "validate", "no-such-catalog.csv");
    assertEquals(3, missing.exit());
    assertTrue(missing.err().contains("cannot read no-such-catalog.csv: there is no such file"), missing.err());
    Run misused = run("catalog", "gate");
    assertEquals(2, misused.exit());
    assertTrue(misused.err().contains("Missing required parameter: 'CATALOG'"), misused.err());
  }

  @Test
  void help_listsTheExitCodes_andCompletionIsGenerated() {
    Run help = run("--help");
    assertEquals(0, help.exit());
    assertTrue(help.out().contains("Exit codes:") && help.out().contains("3   a file that cannot be read or written"), help.out());
    Run completion = run("generate-completion");
    assertEquals(0, completion.exit());
    assertTrue(completion.out().contains("complete -F _complete_patchbay") && completion.out().contains("catalog"), completion.out());
  }

  @Test
  void connectorCheck_runsTheKit_overAConnectorConfiguredInASettingsFile(@TempDir Path dir) throws Exception {
    Path settings = Files.writeString(dir.resolve("scratch.properties"), "type=memory\nsystem=scratch\ndataElement=records\n");
    Run r = run("connector", "check", settings.toString());
    assertEquals(0, r.exit(), r.out() + r.err());
    assertTrue(r.out().startsWith("Checking scratch/records (type memory) against the connector kit\n"), r.out());
    assertTrue(r.out().contains("  PASSED  pagedRead_resumedAfterCrashesMidPage_hasNoGapAndNoOverlap\n"), r.out());
    assertTrue(r.out().contains("  SKIPPED aSystemThatCannotBeReached_failsEachCallWithATransientException: no unreachable connector"),
        r.out());
    assertTrue(r.out().endsWith("20 checks: 11 passed, 0 failed, 9 skipped (not declared or not configurable here)\n"), r.out());
  }

  @Test
  void connectorCheck_failsAMisconfiguredTable_namingTheValueAndItsType(@TempDir Path dir) throws Exception {
    String url = "jdbc:h2:mem:cli-check;DB_CLOSE_DELAY=-1";
    try (java.sql.Connection c = java.sql.DriverManager.getConnection(url, "sa", "")) {
      c.createStatement().execute("CREATE TABLE scratch (id VARCHAR(40) PRIMARY KEY, name VARCHAR(400), email VARCHAR(400),"
          + " amount VARCHAR(40))");   // the amount held as text: the kit writes whole numbers
    }
    Path settings = Files.writeString(dir.resolve("h2.properties"), "type=jdbc\nurl=" + url + "\nuser=sa\nsystem=crm\n"
        + "dataElement=contacts\ntable=scratch\nkey=id\ncolumns=name, email, amount\n");
    Run r = run("connector", "check", settings.toString());
    assertEquals(1, r.exit(), r.out() + r.err());
    assertTrue(r.out().contains("  FAILED  absentEmptyAndHardValues_roundTripExactly_orAsDocumented: by key, as written: hard-01; amount:"
        + " expected 0 (Long) but read \"0\" (String)"), r.out());
    Run refused = run("connector", "check", Files.writeString(dir.resolve("bad.properties"), "type=jdbc\ntable=scratch\n").toString());
    assertEquals(2, refused.exit(), refused.out());
    assertTrue(refused.err().contains("url is required"), refused.err());
  }

  @Test
  void landscape_drawsTheCity_inEachForm(@TempDir Path dir) throws Exception {
    Run mermaid = run("catalog", "landscape", CITY.toString(), "--systems", SYSTEMS.toString());
    assertEquals(0, mermaid.exit(), mermaid.err());
    assertTrue(mermaid.out().startsWith("flowchart LR\n"), mermaid.out());
    assertEquals(31, mermaid.out().lines().filter(l -> l.contains(" -->|")).count(), "an edge per integration read");
    Path dot = dir.resolve("city.dot");
    Run written = run("catalog", "landscape", CITY.toString(), "--systems", SYSTEMS.toString(), "-f", "dot", "-o", dot.toString());
    assertEquals(0, written.exit(), written.err());
    assertTrue(written.out().startsWith("landscape of "), written.out());
    assertTrue(Files.readString(dot).contains("\"rates\" -> \"finance\" [label=\"rates-to-finance (rates)\", color=\"#c62828\""),
        "a security finding's edge is red");
    Run refused = run("catalog", "landscape", CITY.toString(), "-f", "png");
    assertEquals(2, refused.exit());
    assertTrue(refused.err().contains("expected one of [mermaid, dot, structurizr]"), refused.err());
  }
}
