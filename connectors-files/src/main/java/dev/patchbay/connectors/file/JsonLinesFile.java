package dev.patchbay.connectors.file;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Source;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A JSON Lines file (one JSON object per line, UTF-8) as a source and an appended destination.
 * A line that is not valid UTF-8, holds a NUL byte, is not a JSON object, lacks the key or has a
 * value that does not fit the {@link FileSchema} is reported as {@code file:line} with the reason,
 * and the next line is read. Blank lines are skipped. Fields the schema does not name are ignored.
 */
public final class JsonLinesFile implements Connector, Source<Fields>, Destination<Fields>, Lookup<Fields> {

  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final int MAX_LINE_BYTES = 1 << 20;

  private final Path file;
  private final String name;
  private final FileSchema schema;
  private final ConnectorDescription description;
  private final AppendLog log;
  private final LineIndex lineIndex = new LineIndex();

  private JsonLinesFile(Path file, FileSchema schema, ConnectorDescription description) {
    this.file = file;
    this.name = String.valueOf(file.getFileName());
    this.schema = schema;
    this.description = description;
    this.log = new AppendLog(file, this::readLines, this::line, null);
  }

  /**
   * The JSON Lines file at {@code file}, read and written as {@code schema} describes, as the data
   * element {@code dataElement} of {@code system}.
   */
  public static JsonLinesFile of(Path file, FileSchema schema, String system, String dataElement, String owner) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(schema, "schema");
    ConnectorDescription d = ConnectorDescription.builder(system, dataElement).owner(owner).method(IntegrationMethod.FILE)
        .capabilities(Capability.READ_PAGES, Capability.READ_BY_KEYS, Capability.UPSERT, Capability.IDEMPOTENT_WRITES)
        .build();
    return new JsonLinesFile(file, schema, d);
  }

  @Override
  public ConnectorDescription description() {
    return description;
  }

  @Override
  public void close() {
  }

  /**
   * The records after {@code after}, in file order; a key met again is reported at its line unless
   * the schema says {@link FileSchema.Builder#laterLineWins()}.
   *
   * @throws dev.patchbay.core.SetupException if the file does not exist or cannot be opened
   */
  @Override
  public Cursor<Fields> read(Checkpoint after) {
    return schema.laterLineWins() ? readLines(after) : FileCursor.keysOnce(name, this::readLines, after);
  }

  private FileCursor readLines(Checkpoint after) {
    Lines lines = new Lines(file, FileCursor.linesConsumed(name, after), MAX_LINE_BYTES, lineIndex);
    return new FileCursor(() -> nextItem(lines), lines, after);
  }

  private FileCursor.Item nextItem(Lines lines) {
    for (Lines.Line line = lines.next(); line != null; line = lines.next()) {
      if (line.problem() != null) {
        return problem(line.number(), DataException.record("line " + line.problem()));
      }
      if (line.text().isBlank()) {
        continue;
      }
      try {
        return new FileCursor.Item(record(line.text()), null, line.number(), line.number());
      } catch (DataException e) {
        return problem(line.number(), e);
      }
    }
    return null;
  }

  private FileCursor.Item problem(long line, DataException e) {
    return new FileCursor.Item(null, e.forKey(name + ":" + line), line, line);
  }

  private Envelope<Fields> record(String text) {
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw DataException.record("is not valid JSON (" + Lines.firstLine(e.getOriginalMessage()) + ")");
    }
    if (node == null || !node.isObject()) {
      throw DataException.record("is not a JSON object");
    }
    JsonNode key = node.get(schema.key());
    if (key == null || key.isNull() || key.asText().isBlank()) {
      throw DataException.missingField(schema.key());
    }
    Map<String, Object> values = new LinkedHashMap<>();
    for (String field : schema.fields().keySet()) {
      JsonNode v = node.get(field);
      if (v != null && !v.isNull()) {
        if (v.isContainerNode()) {
          throw DataException.field(field, "is a JSON " + (v.isArray() ? "array" : "object") + ", not a value");
        }
        // JSON tells an empty text from an absent one: a text field keeps it.
        Object parsed = v.isTextual() && v.asText().isEmpty() && schema.fields().get(field) == FileSchema.Type.TEXT
            ? "" : schema.parse(field, v.asText());
        if (parsed != null) {
          values.put(field, parsed);
        }
      }
    }
    String k = (String) schema.parse(schema.key(), key.asText());
    return Envelope.of(k, Fields.from(values));
  }

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    return log.write(batch);
  }

  /** The latest line of each key asked, read from near where it starts (the file is indexed once, on first use). */
  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    return log.lookup(keys);
  }

  private String line(Envelope<Fields> record) {
    ObjectNode node = JSON.createObjectNode().put(schema.key(), record.key());
    for (String field : schema.fields().keySet()) {
      Object v = record.payload().get(field);
      if (v instanceof Long l) {
        node.put(field, l);
      } else if (v instanceof Integer i) {
        node.put(field, i);
      } else if (v instanceof BigDecimal d) {
        node.put(field, d);
      } else if (v instanceof Boolean b) {
        node.put(field, b);
      } else if (v != null) {
        node.put(field, v.toString());
      }
    }
    try {
      return JSON.writeValueAsString(node) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "JsonLinesFile[" + description.id() + ", " + file + "]";
  }
}
