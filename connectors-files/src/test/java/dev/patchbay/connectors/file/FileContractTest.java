package dev.patchbay.connectors.file;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.testkit.ConnectorContract;
import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;

/** The file connectors keep the contract for what they declare: paged reads and idempotent upserts. */
class FileContractTest {

  static final FileSchema KIT = FileSchema.keyedBy("id").text("name").text("email").wholeNumber("amount").build();

  @TempDir
  Path dir;

  @Nested
  class Csv implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return CsvFile.of(dir.resolve("kit-" + System.nanoTime() + ".csv"), KIT, "export", "contacts", "Data team");
    }
  }

  @Nested
  class JsonLines implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return JsonLinesFile.of(dir.resolve("kit-" + System.nanoTime() + ".jsonl"), KIT, "export", "contacts", "Data team");
    }
  }
}
