package dev.patchbay.connectors.file;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorRegistry;
import dev.patchbay.connectors.testkit.ConnectorContract;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The file connectors keep the contract for what they declare: paged reads and idempotent upserts. */
class FileContractTest {

  static final FileSchema KIT = FileSchema.keyedBy("id").text("name").text("email").wholeNumber("amount").build();

  static final FileSchema TYPED = FileSchema.keyedBy("id").text("t").wholeNumber("n").decimal("d").date("day").bool("b")
      .maxFieldLength(200_000).build();

  @TempDir
  Path dir;

  /** Each kit connector's file, for the kit's unreadable-record check. */
  private final Map<Connector, Path> files = new java.util.IdentityHashMap<>();

  /** Replaces the line of {@code key} in {@code connector}'s file with what {@code broken} makes of it. */
  private boolean plant(Connector connector, String key, java.util.function.UnaryOperator<String> broken) {
    Path file = files.get(connector);
    try {
      List<String> lines = new java.util.ArrayList<>(java.nio.file.Files.readAllLines(file));
      lines.replaceAll(line -> line.contains(key) ? broken.apply(line) : line);
      java.nio.file.Files.write(file, lines);
      return true;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Records at the edges of each type a file schema has. */
  static List<Envelope<Fields>> typedRecords() {
    String nonBmp = "\ud83d\ude00\ud834\udd1e";
    return List.of(
        Envelope.of("typed-0", Fields.of("t", (nonBmp + " \"quoted, comma\"\r\nline\u2028 \u00e9 ").repeat(40),
            "n", Long.MAX_VALUE, "d", new BigDecimal("-12345678901234567890.123456789"), "day", LocalDate.of(1900, 1, 1),
            "b", true)),
        Envelope.of("typed-1", Fields.of("t", "", "n", Long.MIN_VALUE, "d", new BigDecimal("0.0001"),
            "day", LocalDate.of(2999, 12, 31), "b", false)),
        Envelope.of("typed-2", Fields.of("n", 0L)),
        Envelope.of("typed-3", Fields.of("t", ConnectorContract.longText(0))),
        Envelope.of("typed-4", Fields.of("t", ConnectorContract.longText(1))));
  }

  /** The CSV file of the kit, opened as a host that configures it from text would: through the type the service loader finds. */
  @Nested
  class Csv implements ConnectorContract {
    @Override
    public Connector newConnector() {
      Path file = dir.resolve("kit-" + System.nanoTime() + ".csv");
      Connector c = ConnectorRegistry.builder().discover(FileType.class.getClassLoader()).build().open("file", Map.of(
          "path", file.toString(), "key", "id",
          "fields", "name, email:text, amount:whole", "system", "export", "dataElement", "contacts", "owner", "Data team"));
      files.put(c, file);
      return c;
    }

    /** The amount of the key's line no whole number (a person's edit in a spreadsheet). */
    @Override
    public boolean plantUnreadable(Connector connector, String key) {
      return plant(connector, key, line -> line.substring(0, line.lastIndexOf(',') + 1) + "twelve");
    }

    @Override
    public Optional<InvalidSettings> invalidSettings() {
      return Optional.of(new InvalidSettings(new FileType(), Map.of("format", "xml", "laterLineWins", "maybe", "colour", "blue"),
          List.of("path", "key", "fields", "system", "dataElement", "format", "laterLineWins", "colour")));
    }

    @Override
    public Optional<TypedData> typedData() {
      return Optional.of(new TypedData(CsvFile.of(dir.resolve("typed-" + System.nanoTime() + ".csv"), TYPED, "export", "samples",
          "Data team"), typedRecords()));
    }

    /** CSV has no way to tell an empty value from an absent one: an empty text is read as absent (documented). */
    @Override
    public Fields normalized(Fields written) {
      Fields out = written;
      for (String name : written.names()) {
        if ("".equals(written.get(name))) {
          out = out.without(name);
        }
      }
      return out;
    }
  }

  @Nested
  class JsonLines implements ConnectorContract {
    @Override
    public Connector newConnector() {
      Path file = dir.resolve("kit-" + System.nanoTime() + ".jsonl");
      Connector c = JsonLinesFile.of(file, KIT, "export", "contacts", "Data team");
      files.put(c, file);
      return c;
    }

    /** The key's line cut short: no longer JSON (a write that died half way, by another program). */
    @Override
    public boolean plantUnreadable(Connector connector, String key) {
      return plant(connector, key, line -> line.substring(0, line.length() / 2));
    }

    @Override
    public Optional<TypedData> typedData() {
      return Optional.of(new TypedData(JsonLinesFile.of(dir.resolve("typed-" + System.nanoTime() + ".jsonl"), TYPED, "export",
          "samples", "Data team"), typedRecords()));
    }
  }
}
