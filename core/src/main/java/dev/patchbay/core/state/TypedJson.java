package dev.patchbay.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.Fields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Iterator;
import java.util.Map;

/**
 * {@link Fields} as JSON text that keeps each value's Java type, for state stores that keep text:
 * what {@link #read} returns equals what {@link #write} was given, value by value and class by
 * class. Holds text ({@code String}), {@code Integer}, {@code Long}, {@code BigDecimal} (scale
 * kept), {@code Double}, {@code Boolean}, {@code LocalDate}, {@code LocalDateTime},
 * {@code LocalTime}, {@code Instant}, {@code OffsetDateTime} and nested {@code Fields}.
 */
public final class TypedJson {

  private static final ObjectMapper JSON = new ObjectMapper();

  private TypedJson() {
  }

  /**
   * {@code fields} as one line of JSON.
   *
   * @throws IllegalArgumentException naming the field, where a value is of a type not listed above
   */
  public static String write(Fields fields) {
    return object(fields, "").toString();
  }

  /**
   * What {@link #write} wrote.
   *
   * @throws IllegalArgumentException where the text is not what {@link #write} writes
   */
  public static Fields read(String json) {
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored fields are not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("stored fields are not a JSON object");
    }
    return fields(node, "");
  }

  private static ObjectNode object(Fields fields, String path) {
    ObjectNode out = JSON.createObjectNode();
    for (String name : fields.names()) {
      Object v = fields.get(name);
      ArrayNode typed = out.putArray(name);
      if (v instanceof String s) {
        typed.add("s").add(s);
      } else if (v instanceof Integer i) {
        typed.add("i").add(i);
      } else if (v instanceof Long l) {
        typed.add("l").add(l);
      } else if (v instanceof BigDecimal d) {
        typed.add("d").add(d.toString());
      } else if (v instanceof Double d) {
        typed.add("f").add(Double.toString(d));
      } else if (v instanceof Boolean b) {
        typed.add("b").add(b);
      } else if (v instanceof LocalDate d) {
        typed.add("D").add(d.toString());
      } else if (v instanceof LocalDateTime t) {
        typed.add("T").add(t.toString());
      } else if (v instanceof LocalTime t) {
        typed.add("t").add(t.toString());
      } else if (v instanceof Instant t) {
        typed.add("I").add(t.toString());
      } else if (v instanceof OffsetDateTime t) {
        typed.add("O").add(t.toString());
      } else if (v instanceof Fields f) {
        typed.add("F").add(object(f, path + name + "."));
      } else {
        throw new IllegalArgumentException("field '" + path + name + "' holds a " + v.getClass().getName()
            + "; stored fields hold text, Integer, Long, BigDecimal, Double, Boolean, LocalDate, LocalDateTime,"
            + " LocalTime, Instant, OffsetDateTime and Fields");
      }
    }
    return out;
  }

  private static Fields fields(JsonNode node, String path) {
    Fields out = Fields.empty();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = path + e.getKey();
      JsonNode pair = e.getValue();
      if (!pair.isArray() || pair.size() != 2) {
        throw new IllegalArgumentException("stored field '" + name + "' is not a [type, value] pair");
      }
      JsonNode v = pair.get(1);
      Object value = switch (pair.get(0).asText()) {
        case "s" -> v.asText();
        case "i" -> v.asInt();
        case "l" -> v.asLong();
        case "d" -> new BigDecimal(v.asText());
        case "f" -> Double.parseDouble(v.asText());
        case "b" -> v.asBoolean();
        case "D" -> LocalDate.parse(v.asText());
        case "T" -> LocalDateTime.parse(v.asText());
        case "t" -> LocalTime.parse(v.asText());
        case "I" -> Instant.parse(v.asText());
        case "O" -> OffsetDateTime.parse(v.asText());
        case "F" -> fields(v, name + ".");
        default -> throw new IllegalArgumentException("stored field '" + name + "' has the unknown type '"
            + pair.get(0).asText() + "'");
      };
      out = out.with(e.getKey(), value);
    }
    return out;
  }
}
