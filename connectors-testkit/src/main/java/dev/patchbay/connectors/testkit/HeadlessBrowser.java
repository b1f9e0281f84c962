package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A self-contained HTML page (a report) loaded in a real headless browser: Debian's chromium,
 * installed when absent; a test using it is skipped only where it cannot be installed, and fails
 * instead when {@code CI=true}. What a test gets back is the DOM after the page's scripts ran and
 * every line the console logged.
 */
public final class HeadlessBrowser {

  private final String chromium;

  private HeadlessBrowser(String chromium) {
    this.chromium = chromium;
  }

  /** What the browser made of a page: its DOM after scripts ran, and the console lines it logged. */
  public record Page(String dom, List<String> console) {
  }

  /**
   * The browser, installed first where absent.
   *
   * @throws org.opentest4j.TestAbortedException where it cannot be installed (the test is skipped), unless {@code CI=true}
   */
  public static HeadlessBrowser require() throws IOException, InterruptedException {
    String found = find();
    if (found == null) {
      run(List.of("apt-get", "install", "-y", "-q", "chromium"), 600);
      found = find();
    }
    if (found == null && "true".equals(System.getenv("CI"))) {
      fail("CI=true and chromium is absent and could not be installed (apt-get install chromium)");
    }
    assumeTrue(found != null, "chromium is absent and could not be installed");
    return new HeadlessBrowser(found);
  }

  private static String find() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
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
    } catch (IOException e) {
      return new String[] {"", String.valueOf(e.getMessage())};   // no such program: as if it printed nothing
    } finally {
      Files.deleteIfExists(err);
    }
  }

  /** Loads {@code html}, written to a file in {@code dir}, at {@code fragment} ("" or "#q=..."). */
  public Page load(Path dir, String html, String fragment) throws IOException, InterruptedException {
    String[] result = browse(dir, html, fragment, "--virtual-time-budget=3000", "--dump-dom");
    return new Page(result[0], console(result[1]));
  }

  /**
   * Loads {@code html}, written to a file in {@code dir}, in a window {@code width} by {@code height}
   * and saves what it shows as a PNG at {@code png}; the console lines it logged.
   */
  public List<String> screenshot(Path dir, String html, Path png, int width, int height) throws IOException, InterruptedException {
    return console(browse(dir, html, "", "--hide-scrollbars", "--window-size=" + width + "," + height,
        "--screenshot=" + png.toAbsolutePath())[1]);
  }

  /** Writes {@code html} to a file in {@code dir} and opens it at {@code fragment} in a fresh headless profile with {@code options}. */
  private String[] browse(Path dir, String html, String fragment, String... options) throws IOException, InterruptedException {
    Path page = dir.resolve("page-" + System.nanoTime() + ".html");
    Files.writeString(page, html);
    List<String> command = new ArrayList<>(List.of(chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
        "--user-data-dir=" + dir.resolve("profile-" + System.nanoTime()), "--enable-logging=stderr", "--v=0"));
    command.addAll(List.of(options));
    command.add(page.toUri() + fragment);
    return run(command, 120);
  }

  private static List<String> console(String stderr) {
    return stderr.lines().filter(l -> l.contains(":CONSOLE")).toList();
  }

  /** The rows of table {@code id} in a dumped DOM, each as its cells' text joined by '|', the hidden ones or the shown ones. */
  public static List<String> rows(String dom, String id, boolean hidden) {
    int start = dom.indexOf("<table id=\"" + id + "\"");
    String table = dom.substring(start, dom.indexOf("</table>", start));
    String body = table.substring(table.indexOf("<tbody>"));
    List<String> rows = new ArrayList<>();
    Matcher m = Pattern.compile("<tr([^>]*)>(.*?)</tr>", Pattern.DOTALL).matcher(body);
    while (m.find()) {
      if (m.group(1).contains(" hidden") == hidden) {
        rows.add(text(m.group(2).replaceAll("<td[^>]*>", "").replaceAll("</td>", "|").replaceAll("<[^>]+>", " ")));
      }
    }
    return rows;
  }

  /** A dumped DOM's text, its entities read back. */
  public static String text(String html) {
    return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
        .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
  }
}
