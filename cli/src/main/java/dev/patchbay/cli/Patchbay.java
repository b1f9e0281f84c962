package dev.patchbay.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.AutoComplete.GenerateCompletion;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * The {@code patchbay} command. Its exit codes: 0 done (for {@code gate}: no violation), 1 what
 * the command looks for was found (rows that cannot be read, violations, differences), 2 a command
 * or option misused, 3 a file that cannot be read or written.
 */
@Command(name = "patchbay", mixinStandardHelpOptions = true, versionProvider = Patchbay.Version.class,
    description = "Patchbay's tools for the people who keep an integration catalog, and for checking a connector.",
    subcommands = {CatalogCommand.class, ConnectorCommand.class, GenerateCompletion.class},
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done; for gate, no violation", "1:found what the command looks for: rows that cannot be read (validate),"
        + " violations (gate), differences (diff)", "2:a command or option misused", "3:a file that cannot be read or written"})
public final class Patchbay implements Runnable {

  /** Exit code: a file that cannot be read or written. */
  static final int UNREADABLE = 3;

  @Spec
  CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  public static void main(String[] args) {
    System.exit(execute(new PrintWriter(System.out, true, StandardCharsets.UTF_8), new PrintWriter(System.err, true, StandardCharsets.UTF_8),
        args));
  }

  /**
   * Runs the command with {@code args} in this JVM, writing to {@code out} and {@code err}: for a
   * build step or a test that gates a catalog without a process of its own.
   *
   * @return the exit code the command would end with
   */
  public static int execute(PrintWriter out, PrintWriter err, String... args) {
    CommandLine line = new CommandLine(new Patchbay());
    line.setOut(out);
    line.setErr(err);
    line.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println(cmd.getColorScheme().errorText(e.getMessage()));
      return e instanceof java.io.UncheckedIOException || e instanceof java.io.IOException ? UNREADABLE : 2;   // refused settings: 2
    });
    line.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);   // listed: it is documented
    return line.execute(args);
  }

  /** The version of the jar, as its manifest says. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Patchbay.class.getPackage().getImplementationVersion();
      return new String[] {"patchbay " + (v == null ? "(development build)" : v)};
    }
  }
}
