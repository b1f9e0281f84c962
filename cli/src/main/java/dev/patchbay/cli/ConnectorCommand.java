package dev.patchbay.cli;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;


import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code patchbay connector ...}: a connector configured in a settings file, held to the connector kit. */
@Command(name = "connector", mixinStandardHelpOptions = true, description = "Check a connector configured in a settings file.",
    synopsisSubcommandLabel = "COMMAND")
final class ConnectorCommand {

  @Spec
  CommandSpec spec;

  @Command(name = "check", description = {"Run the connector kit (every check of ConnectorContract) against the connector the "
      + "settings file configures: 'type' names the connector type (jdbc, file, memory, rabbitmq, or one the class path adds),"
      + " the other keys are its settings. Point it at an empty scratch table, file or queue: the kit writes records and "
      + "removes them after each check.", "Exit code 1 where a check fails, 2 where the settings are refused."})
  int check(@Parameters(paramLabel = "SETTINGS", description = "a properties file: type=... and the type's settings") Path file,
      @Option(names = "--page-size", paramLabel = "N", defaultValue = "10",
          description = "how many records the connector reads a page, so the kit crosses pages (default: ${DEFAULT-VALUE})")
      int pageSize) {
    Map<String, String> settings = load(file);
    String type = settings.remove("type");
    PrintWriter out = spec.commandLine().getOut();
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException(file + ": no 'type' (jdbc, file, memory, rabbitmq, ...)");
    }
    ConnectorRegistry registry = ConnectorRegistry.builder().discover(ConnectorCommand.class.getClassLoader()).build();
    try (Connector first = registry.open(type, settings)) {
      out.printf("Checking %s (type %s) against the connector kit%n", first.description().id(), type);
    }
    ConfiguredConnectorContract.configure(() -> registry.open(type, settings), pageSize);
    Results results = new Results();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(ConfiguredConnectorContract.class))
        .build(), results);
    results.lines.forEach((check, line) -> out.println("  " + line));
    out.printf("%d checks: %d passed, %d failed, %d skipped (not declared or not configurable here)%n", results.lines.size(),
        results.passed, results.failed, results.skipped);
    return results.failed == 0 ? 0 : 1;
  }

  /** Each check's outcome, by check, as the kit says it: its first line of failure, its reason for skipping. */
  private static final class Results implements TestExecutionListener {
    final Map<String, String> lines = new TreeMap<>();
    int passed;
    int failed;
    int skipped;

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
      if (test.isTest()) {
        skipped++;
        lines.put(test.getDisplayName(), "SKIPPED " + name(test) + ": " + reason);
      }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
      if (!test.isTest()) {
        return;
      }
      String why = result.getThrowable().map(t -> String.valueOf(t.getMessage()).lines().findFirst().orElse("")).orElse("");
      switch (result.getStatus()) {
        case SUCCESSFUL -> {
          passed++;
          lines.put(test.getDisplayName(), "PASSED  " + name(test));
        }
        case ABORTED -> {
          skipped++;
          lines.put(test.getDisplayName(), "SKIPPED " + name(test) + ": " + why.replaceFirst("^Assumption failed: ", ""));
        }
        default -> {
          failed++;
          lines.put(test.getDisplayName(), "FAILED  " + name(test) + ": " + why);
        }
      }
    }

    private static String name(TestIdentifier test) {
      return test.getDisplayName().replaceAll("\\(.*\\)$", "");
    }
  }

  private static Map<String, String> load(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("cannot read " + file + ": there is no such file", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + ": " + e.getClass().getSimpleName(), e);
    }
    Map<String, String> settings = new TreeMap<>();
    p.stringPropertyNames().forEach(k -> settings.put(k.strip(), p.getProperty(k).strip()));
    return settings;
  }
}
