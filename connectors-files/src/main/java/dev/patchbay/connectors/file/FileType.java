package dev.patchbay.connectors.file;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.connectors.Setting;
import dev.patchbay.connectors.Settings;
import dev.patchbay.core.SetupException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The connector type {@code file}: a {@link CsvFile} or a {@link JsonLinesFile} from settings given
 * as text. {@code fields} lists the fields after the key as {@code name:type}, comma-separated, the
 * type one of {@code text}, {@code whole}, {@code decimal}, {@code date}, {@code boolean}
 * ({@code name} alone is text). Registered for {@link java.util.ServiceLoader} discovery.
 */
public final class FileType implements ConnectorType {

  @Override
  public String name() {
    return "file";
  }

  @Override
  public List<Setting> settings() {
    return List.of(
        Setting.required("path", Setting.Kind.TEXT, "the file"),
        Setting.optional("format", Setting.Kind.TEXT, "csv or jsonl").withDefault("csv").oneOf("csv", "jsonl"),
        Setting.required("key", Setting.Kind.TEXT, "the key field"),
        Setting.required("fields", Setting.Kind.TEXT, "the other fields as name:type, comma-separated"),
        Setting.required("system", Setting.Kind.TEXT, "the system's name"),
        Setting.required("dataElement", Setting.Kind.TEXT, "the kind of record held"),
        Setting.optional("owner", Setting.Kind.TEXT, "who is accountable for the system"),
        Setting.optional("separator", Setting.Kind.TEXT, "the CSV separator, one character").withDefault(","),
        Setting.optional("laterLineWins", Setting.Kind.BOOLEAN, "whether a key met again replaces the earlier line")
            .withDefault("false"));
  }

  @Override
  public Connector open(Settings s) {
    FileSchema.Builder schema = FileSchema.keyedBy(s.text("key").orElseThrow());
    for (String declared : s.text("fields").orElseThrow().split(",")) {
      String d = declared.trim();
      if (d.isEmpty()) {
        continue;
      }
      int colon = d.indexOf(':');
      String name = colon < 0 ? d : d.substring(0, colon).trim();
      String type = colon < 0 ? "text" : d.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
      schema.field(name, switch (type) {
        case "text" -> FileSchema.Type.TEXT;
        case "whole" -> FileSchema.Type.WHOLE_NUMBER;
        case "decimal" -> FileSchema.Type.DECIMAL;
        case "date" -> FileSchema.Type.DATE;
        case "boolean" -> FileSchema.Type.BOOLEAN;
        default -> throw new SetupException("Connector type 'file': field '" + name + "' has type '" + type
            + "'; the types are text, whole, decimal, date, boolean");
      });
    }
    if (s.flag("laterLineWins").orElseThrow()) {
      schema.laterLineWins();
    }
    Path path = Path.of(s.text("path").orElseThrow());
    String system = s.text("system").orElseThrow();
    String element = s.text("dataElement").orElseThrow();
    String owner = s.text("owner").orElse(null);
    if (s.text("format").orElseThrow().equalsIgnoreCase("jsonl")) {
      return JsonLinesFile.of(path, schema.build(), system, element, owner);
    }
    String separator = s.text("separator").orElseThrow();
    if (separator.length() != 1) {
      throw new SetupException("Connector type 'file': separator must be one character, was '" + separator + "'");
    }
    return CsvFile.of(path, schema.build(), separator.charAt(0), system, element, owner);
  }
}
