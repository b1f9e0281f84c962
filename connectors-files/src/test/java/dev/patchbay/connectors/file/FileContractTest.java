package dev.patchbay.connectors.file;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.testkit.ConnectorContract;
import dev.patchbay.core.Fields;
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
      return JsonLinesFile.of(dir.resolve("kit-" + System.nanoTime() + ".jsonl"), KIT, "export", "contacts", "Data team");
    }
  }
}
