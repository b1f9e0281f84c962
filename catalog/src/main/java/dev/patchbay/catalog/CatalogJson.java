package dev.patchbay.catalog;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.catalog.CatalogEntry;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The catalog as JSON: an array of objects whose member names are the catalog's columns
 * ({@link CatalogCsv#COLUMNS}) and whose values are the same text the CSV form holds.
 */
public final class CatalogJson {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
      .disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);

  private CatalogJson() {
  }

  /**
   * Reads a catalog. An element that cannot be read is a problem naming its position (from 1) and
   * every reason; the others are read all the same.
   *
   * @throws IllegalArgumentException if the text is not a JSON array
   * @throws UncheckedIOException if {@code in} cannot be read
   */
  public static CatalogRead read(Reader in) {
    JsonNode root;
    try {
      root = JSON.readTree(in);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("catalog JSON is not valid JSON: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException("catalog JSON cannot be read: " + e.getMessage(), e);
    }
    if (root == null || !root.isArray()) {
      throw new IllegalArgumentException("catalog JSON must be an array of entries");
    }
    List<CatalogEntry> entries = new ArrayList<>();
    List<CatalogRead.Problem> problems = new ArrayList<>();
    for (int i = 0; i < root.size(); i++) {
      JsonNode element = root.get(i);
      try {
        entries.add(Columns.entry(columns(element)));
      } catch (IllegalArgumentException e) {
        problems.add(new CatalogRead.Problem(i + 1, e.getMessage()));
      }
    }
    return new CatalogRead(entries, problems);
  }

  private static Map<String, String> columns(JsonNode element) {
    if (!element.isObject()) {
      throw new IllegalArgumentException("is not an object");
    }
    Map<String, String> row = new HashMap<>();
    List<String> errors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = element.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> member = it.next();
      JsonNode v = member.getValue();
      if (!Columns.ALL.contains(member.getKey())) {
        errors.add("'" + member.getKey() + "' is not a catalog column");
      } else if (v.isNull()) {
        row.put(member.getKey(), "");
      } else if (v.isTextual() || v.isIntegralNumber()) {
        row.put(member.getKey(), v.asText());
      } else {
        errors.add(member.getKey() + " must be text");
      }
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return row;
  }

  /** Writes {@code entries} as an array, members in column order, unknown values empty; {@code out} is left open. */
  public static void write(Collection<CatalogEntry> entries, Writer out) {
    ArrayNode array = JSON.createArrayNode();
    for (CatalogEntry e : entries) {
      ObjectNode o = array.addObject();
      Columns.of(e).forEach(o::put);
    }
    try {
      JSON.writeValue(out, array);
    } catch (IOException e) {
      throw new UncheckedIOException("catalog JSON cannot be written: " + e.getMessage(), e);
    }
  }
}
