package dev.patchbay.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The command as people run it, after {@code package}: the launcher script over the runnable jar
 * (nothing of the build's class path), on the demo's city catalog; outputs and exit codes.
 */
class CliProcessIT {

  private static final Path LAUNCHER = Path.of("src/main/dist/patchbay");

  /** Exit code, then everything printed. */
  private static List<String> patchbay(String... args) throws Exception {
    assertTrue(Files.exists(Path.of(System.getProperty("patchbay.cli.jar"))), "the runnable jar was built");
    List<String> command = new ArrayList<>(List.of("sh", LAUNCHER.toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    Process p = builder.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the command ends");
    return List.of(String.valueOf(p.exitValue()), out);
  }

  @Test
  void theLauncher_runsEachCommandOnTheCityCatalog_withItsExitCodes(@TempDir Path dir) throws Exception {
    String city = CliTest.CITY.toString();
    String systems = CliTest.SYSTEMS.toString();
    assertEquals(List.of("1", "city-catalog.csv: 31 integrations read, 1 row refused\n"
        + "  line 33: Status 'live' is none of Proposed, In production, Retired\n"), patchbay("catalog", "validate", city));
    List<String> review = patchbay("catalog", "review", city, "--systems", systems);
    assertEquals("0", review.get(0));
    assertTrue(review.get(1).startsWith("48 findings, 8 of them security:"), review.get(1));
    List<String> gate = patchbay("catalog", "gate", city, "--systems", systems);
    assertEquals("1", gate.get(0), "the city runs integrations in production that break the standards");
    assertTrue(gate.get(1).startsWith("gate refused: "), gate.get(1));
    Path page = dir.resolve("city.html");
    assertEquals("0", patchbay("catalog", "report", city, "--systems", systems, "--out", page.toString()).get(0));
    assertTrue(Files.readString(page).contains("rates-to-finance"));
    List<String> missing = patchbay("catalog", "roadmap", "nowhere.csv");
    assertEquals("3", missing.get(0));
    assertTrue(missing.get(1).contains("cannot read nowhere.csv: there is no such file"), missing.get(1));
    Path settings = Files.writeString(dir.resolve("scratch.properties"), "type=memory\nsystem=scratch\ndataElement=records\n");
    List<String> check = patchbay("connector", "check", settings.toString());
    assertEquals("0", check.get(0), check.get(1));
    assertTrue(check.get(1).endsWith("20 checks: 11 passed, 0 failed, 9 skipped (not declared or not configurable here)\n"), check.get(1));
    List<String> version = patchbay("--version");
    assertEquals(List.of("0", "patchbay " + System.getProperty("patchbay.cli.version") + "\n"), version);
  }
}
