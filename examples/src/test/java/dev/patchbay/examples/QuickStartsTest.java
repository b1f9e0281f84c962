package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README as a new user reads it: every Java block of its "Quick starts" section, taken from the
 * file itself, compiles as pasted and runs, and each leaves in its systems what the README says
 * it does; the README stays under 300 lines, and no link of it or of docs/ leaves the repository.
 */
class QuickStartsTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void everyQuickStart_compilesAsPasted_runs_andDoesWhatItSays(@TempDir Path dir) throws Exception {
    List<String> classes = compileQuickStarts(dir);
    assertEquals(List.of("QuickMigration", "QuickSync", "QuickCorrelation", "QuickBroadcast", "QuickAggregation"), classes,
        "one quick start per pattern");
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      for (String name : classes) {
        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
          loader.loadClass(name).getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
          System.setOut(out);
        }
        System.out.println("[quick start] " + name + ":\n" + printed);
        assertTrue(printed.toString().contains("COMPLETED") || name.equals("QuickBroadcast"), name + " printed its summary: " + printed);
      }
    }

    assertEquals(Map.of("c1", "ana@example.org|Ana Lima"), rows("mailing", "SELECT id, email || '|' || name FROM subscribers"),
        "the migration: the opted-in contact, its email lowercased; the other out of scope");
    assertEquals(Map.of("c1", "Ana Lima|Wellington", "p7", "Bo Chen|Nelson"), rows("sync", "SELECT id, name || '|' || town FROM permits"),
        "the sync: the CRM's contact created in the permits table");
    assertEquals(Map.of("c1", "Ana Lima|Wellington", "p7", "Bo Chen|Nelson"), rows("sync", "SELECT id, name || '|' || town FROM crm"),
        "and the permit holder in the CRM");
    assertEquals(Map.of("s4", "-", "s9", "021 555 0101"), rows("hospitals", "SELECT id, COALESCE(phone, '-') FROM south"),
        "the correlation: the shared patient's phone synced, nobody created, the other left alone");
    assertEquals(Map.of("o-1", "Harbour Cafe|1200.00"), rows("crm", "SELECT id, account || '|' || amount FROM orders"),
        "the broadcast: the closed-won opportunity an order, the open one not");
    assertEquals(Map.of("A-1", "Harbour Cafe|owner@harbour.example|1500.00", "A-2", "Te Aro Books|books@tearo.example|5000.00"),
        rows("view", "SELECT account_no, name || '|' || email || '|' || credit_limit FROM accounts"),
        "the aggregation: one row per account, the CRM's name, the first email not blank, the ERP's credit limit");
  }

  /** Writes each Java block of the README's "Quick starts" to {@code dir} and compiles it there; the class names, in order. */
  private static List<String> compileQuickStarts(Path dir) throws Exception {
    String readme = Files.readString(ROOT.resolve("README.md"));
    int from = readme.indexOf("\n## Quick starts");
    int to = readme.indexOf("\n## ", from + 1);
    assertTrue(from > 0 && to > from, "the README has a section '## Quick starts'");
    Matcher block = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(readme.substring(from, to));
    List<String> classes = new ArrayList<>();
    while (block.find()) {
      Matcher name = Pattern.compile("public class (\\w+)").matcher(block.group(1));
      assertTrue(name.find(), "each quick start is a whole program (public class ... with main): " + block.group(1));
      classes.add(name.group(1));
      Files.writeString(dir.resolve(name.group(1) + ".java"), block.group(1));
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    DiagnosticCollector<JavaFileObject> problems = new DiagnosticCollector<>();
    try (StandardJavaFileManager files = javac.getStandardFileManager(problems, null, StandardCharsets.UTF_8);
         Stream<Path> sources = Files.list(dir)) {
      boolean compiled = javac.getTask(null, files, problems, List.of("-d", dir.toString(), "-cp", System.getProperty("java.class.path")),
          null, files.getJavaFileObjectsFromPaths(sources.filter(p -> p.toString().endsWith(".java")).toList())).call();
      assertTrue(compiled, "the quick starts compile as pasted: " + problems.getDiagnostics());
    }
    return classes;
  }

  /**
   * The README's module names, run as it says: the migration quick start on the module path with
   * {@code --add-modules} of the patterns and the two connector modules it uses, the H2 driver
   * bound as a service with nothing added for it; without the file connector's module, its classes
   * are not there (the reason the README names each module).
   */
  @Test
  void aQuickStart_runsOnTheModulePath_withTheModulesTheReadmeNames(@TempDir Path dir) throws Exception {
    compileQuickStarts(dir);
    List<String> modulePath = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
      String name = Path.of(entry).getFileName().toString();
      if (name.matches("patchbay-(core|connectors-spi|patterns|connectors-jdbc|connectors-files)-[0-9].*\\.jar")
          || entry.matches(".*/(core|connectors-spi|patterns|connectors-jdbc|connectors-files)/target/classes")
          || name.matches("(jackson-(core|databind|annotations|dataformat-csv)|slf4j-api|resilience4j-(retry|core)|commons-(text|lang3)|h2)-.*\\.jar")) {
        modulePath.add(entry);
      }
    }
    String named = runChild(dir, modulePath, "dev.patchbay.patterns");
    assertTrue(named.contains("migration 'crm-contacts': COMPLETED"), "on the module path, as the README says: " + named);
    String notNamed = runChild(dir, modulePath, "java.sql");
    assertTrue(notNamed.contains("NoClassDefFoundError: dev/patchbay/"), "without it, Patchbay is not there: " + notNamed);
  }

  private static String runChild(Path classes, List<String> modulePath, String addModules) throws Exception {
    Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "--module-path", String.join(java.io.File.pathSeparator, modulePath), "--add-modules", addModules,
        "-cp", classes.toString(), "QuickMigration").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS), "the child JVM ends");
    return out;
  }

  @Test
  void theReadme_isShort_andNoLinkLeavesTheRepository() throws Exception {
    assertTrue(Files.readAllLines(ROOT.resolve("README.md")).size() < 300, "the README is under 300 lines");
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    Pattern link = Pattern.compile("\\]\\(([^)#\\s]*)(#[^)]*)?\\)");
    for (Path page : pages) {
      Matcher m = link.matcher(Files.readString(page));
      while (m.find()) {
        String target = m.group(1).isEmpty() ? page.getFileName().toString() : m.group(1);
        if (target.startsWith("http")) {
          continue;
        }
        Path resolved = page.getParent().resolve(target).normalize();
        if (!resolved.startsWith(ROOT) || !Files.exists(resolved)) {
          broken.add(ROOT.relativize(page) + " -> " + target);
        } else if (m.group(2) != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(m.group(2).substring(1))) {
          broken.add(ROOT.relativize(page) + " -> " + target + m.group(2) + " (no such heading)");
        }
      }
    }
    assertEquals(List.of(), broken, "every link points at a file of the repository");
  }

  /** The anchors a page's headings make, as GitHub makes them (outside code blocks). */
  private static java.util.Set<String> anchors(Path page) throws java.io.IOException {
    java.util.Set<String> anchors = new java.util.HashSet<>();
    boolean code = false;
    for (String line : Files.readAllLines(page)) {
      if (line.startsWith("```")) {
        code = !code;
      } else if (!code && line.matches("#{1,6} .*")) {
        anchors.add(line.replaceFirst("#+ ", "").trim().toLowerCase(java.util.Locale.ROOT)
            .replaceAll("[^\\p{L}\\p{N}_\\- ]", "").replace(' ', '-'));
      }
    }
    return anchors;
  }

  private static Map<String, String> rows(String database, String sql) throws Exception {
    Map<String, String> rows = new TreeMap<>();
    try (Connection c = DriverManager.getConnection("jdbc:h2:mem:" + database, "sa", "");
         ResultSet rs = c.createStatement().executeQuery(sql)) {
      while (rs.next()) {
        rows.put(rs.getString(1), rs.getString(2));
      }
    }
    return rows;
  }
}
