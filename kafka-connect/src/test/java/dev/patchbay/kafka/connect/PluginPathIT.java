package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The plugin as an operator installs it: the zip the build made, unpacked into a directory on
 * {@code plugin.path}, with no Patchbay class on the worker's class path (the build leaves them
 * off it for this test), so the connectors, the connector types and their libraries all come from
 * the zip. A file read whole goes through Connect into another file.
 */
class PluginPathIT {

  @TempDir
  Path dir;

  @Test
  void theZip_unpackedOnThePluginPath_isFoundByConnect_andRunsAMigrationBetweenFiles() throws Exception {
    assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.patchbay.kafka.connect.PatchbaySinkConnector"),
        "no Patchbay class on the class path: what runs must come from the plugin");
    Path plugins = Files.createDirectories(dir.resolve("plugins"));
    try (InputStream in = Files.newInputStream(Path.of(System.getProperty("patchbay.plugin.zip"))); ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Path to = plugins.resolve(e.getName()).normalize();
        if (e.isDirectory()) {
          Files.createDirectories(to);
        } else {
          Files.createDirectories(to.getParent());
          Files.copy(zip, to);
        }
      }
    }
    Path from = dir.resolve("legacy.csv");
    StringBuilder csv = new StringBuilder("\ufeffid,name,amount\n");   // with a byte order mark, as spreadsheets write it
    for (int k = 0; k < 500; k++) {
      csv.append("k").append(k).append(",\"Name, ").append(k).append(" \ud83d\ude00\",").append(k * 3).append('\n');
    }
    Files.writeString(from, csv, StandardCharsets.UTF_8);
    Path to = dir.resolve("copy.jsonl");

    try (ConnectCluster cluster = ConnectCluster.start("plugin", 1, plugins.toString())) {
      String plugins1 = cluster.connect().requestGet(cluster.connect().endpointForResource("connector-plugins")).getEntity().toString();
      assertTrue(plugins1.contains("dev.patchbay.kafka.connect.PatchbaySinkConnector")
          && plugins1.contains("dev.patchbay.kafka.connect.PatchbaySourceConnector"), plugins1);
      assertTrue(plugins1.contains("0.1.0-SNAPSHOT"), "the version the plugin's jar manifest gives: " + plugins1);
      cluster.connect().kafka().createTopic("files", 2);
      String[] file = {"patchbay.type", "file", "patchbay.file.key", "id", "patchbay.file.fields", "name, amount:whole",
          "patchbay.file.system", "legacy", "patchbay.file.dataElement", "accounts"};
      cluster.run("to-file", connector("dev.patchbay.kafka.connect.PatchbaySinkConnector", file, "topics", "files",
          "patchbay.file.path", to.toString(), "patchbay.file.format", "jsonl"), 1);
      cluster.run("from-file", connector("dev.patchbay.kafka.connect.PatchbaySourceConnector", file,
          "patchbay.file.path", from.toString(), "patchbay.topic", "files", "patchbay.read", "all"), 1);
      ConnectCluster.await("500 lines copied", Duration.ofSeconds(60),
          () -> Files.exists(to) && lines(to).size() == 500);
    }
    List<String> lines = lines(to);
    for (int k = 0; k < 500; k++) {
      String key = "\"k" + k + "\"";
      String line = lines.stream().filter(l -> l.contains(key)).findFirst().orElseThrow(() -> new AssertionError(key + " is copied"));
      assertTrue(line.contains("\"Name, " + k + " \ud83d\ude00\"") && line.contains("\"amount\":" + (k * 3)), line);
    }
  }

  private static List<String> lines(Path p) {
    try {
      return Files.readAllLines(p, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static Map<String, String> connector(String type, String[] common, String... more) {
    Map<String, String> m = new java.util.HashMap<>();
    m.put("connector.class", type);
    m.put("tasks.max", "1");
    for (String[] s : List.of(common, more)) {
      for (int i = 0; i < s.length; i += 2) {
        m.put(s[i], s[i + 1]);
      }
    }
    return m;
  }
}
