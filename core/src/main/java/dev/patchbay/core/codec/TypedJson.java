package dev.patchbay.core.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
  /** Reads numbers as written: decimals exactly, their scale kept. */
  private static final ObjectMapper EXACT = new ObjectMapper()
      .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

  private TypedJson() {
  }

  /**
   * {@code fields} as one line of JSON.
   *
   * @throws IllegalArgumentException naming the field, where a value is of a type not listed above
   */
  public static String write(Fields fields) {
    java.io.StringWriter out = new java.io.StringWriter();
    try (com.fasterxml.jackson.core.JsonGenerator g = JSON.getFactory().createGenerator(out)) {
      write(g, fields, "");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);   // a StringWriter does not fail
    }
    return out.toString();
  }

  /** Writes {@code fields} as {@link #write} gives them, streamed: no tree built first (a state store writes many). */
  private static void write(com.fasterxml.jackson.core.JsonGenerator g, Fields fields, String path) throws java.io.IOException {
    g.writeStartObject();
    for (String name : fields.names()) {
      Object v = fields.get(name);
      String tag = tag(v, path + name);
      g.writeArrayFieldStart(name);
      g.writeString(tag);
      switch (tag) {
        case "s" -> g.writeString((String) v);
        case "i" -> g.writeNumber((Integer) v);
        case "l" -> g.writeNumber((Long) v);
        case "b" -> g.writeBoolean((Boolean) v);
        case "f" -> g.writeString(Double.toString((Double) v));
        case "F" -> write(g, (Fields) v, path + name + ".");
        default -> g.writeString(v.toString());   // BigDecimal with its scale, and the java.time values in ISO-8601
      }
      g.writeEndArray();
    }
    g.writeEndObject();
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

  /**
   * {@code fields} as plain JSON, the way another system reads them: text, numbers (decimals
   * exactly as held, doubles as numbers unless not finite), booleans, the java.time values as
   * ISO-8601 text, nested fields as objects. {@link #writeTypes} gives what it takes to read them
   * back with their Java types.
   *
   * @throws IllegalArgumentException naming the field, where a value is of a type not listed above
   */
  public static String writePlain(Fields fields) {
    return plain(fields, "").toString();
  }

  /**
   * The type tag of each field of {@code fields}, as JSON ({@code {"amount":"d","address":{"town":"s"}}}):
   * with {@link #writePlain}'s JSON, what {@link #read(String, String)} reads the fields back from.
   */
  public static String writeTypes(Fields fields) {
    return types(fields, "").toString();
  }

  /**
   * The fields {@link #writePlain} and {@link #writeTypes} wrote, each value of the type it had.
   *
   * @throws IllegalArgumentException naming the field, where the two do not agree
   */
  public static Fields read(String plain, String types) {
    try {
      JsonNode values = EXACT.readTree(plain);
      JsonNode tags = JSON.readTree(types);
      if (values == null || !values.isObject() || tags == null || !tags.isObject()) {
        throw new IllegalArgumentException("stored fields or their types are not a JSON object");
      }
      return fields(values, tags, "");
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("stored fields are not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  private static ObjectNode plain(Fields fields, String path) {
    ObjectNode out = JSON.createObjectNode();
    for (String name : fields.names()) {
      Object v = fields.get(name);
      switch (tag(v, path + name)) {
        case "s" -> out.put(name, (String) v);
        case "i" -> out.put(name, (Integer) v);
        case "l" -> out.put(name, (Long) v);
        case "d" -> out.put(name, (BigDecimal) v);
        case "f" -> {
          double d = (Double) v;
          if (Double.isFinite(d)) {
            out.put(name, d);
          } else {
            out.put(name, Double.toString(d));
          }
        }
        case "b" -> out.put(name, (Boolean) v);
        case "F" -> out.set(name, plain((Fields) v, path + name + "."));
        default -> out.put(name, v.toString());   // the java.time values in ISO-8601
      }
    }
    return out;
  }

  private static ObjectNode types(Fields fields, String path) {
    ObjectNode out = JSON.createObjectNode();
    for (String name : fields.names()) {
      Object v = fields.get(name);
      String tag = tag(v, path + name);
      if (tag.equals("F")) {
        out.set(name, types((Fields) v, path + name + "."));
      } else {
        out.put(name, tag);
      }
    }
    return out;
  }

  private static Fields fields(JsonNode values, JsonNode tags, String path) {
    Fields out = Fields.empty();
    for (Iterator<Map.Entry<String, JsonNode>> it = values.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = path + e.getKey();
      JsonNode tag = tags.get(e.getKey());
      JsonNode v = e.getValue();
      if (tag == null) {
        throw new IllegalArgumentException("stored field '" + name + "' has no type");
      }
      out = out.with(e.getKey(), tag.isObject() ? fields(v, tag, name + ".") : value(tag.asText(), v, name));
    }
    return out;
  }

  /**
   * Refuses, as {@link #write} does, fields holding a value of a type not kept; builds nothing.
   *
   * @throws IllegalArgumentException naming the field and its type
   */
  public static void check(Fields fields) {
    check(fields, "");
  }

  private static void check(Fields fields, String path) {
    for (String name : fields.names()) {
      Object v = fields.get(name);
      if (tag(v, path + name).equals("F")) {
        check((Fields) v, path + name + ".");
      }
    }
  }

  /** The type tag a value is kept under. */
  private static String tag(Object v, String field) {
    if (v instanceof String) {
      return "s";
    } else if (v instanceof Integer) {
      return "i";
    } else if (v instanceof Long) {
      return "l";
    } else if (v instanceof BigDecimal) {
      return "d";
    } else if (v instanceof Double) {
      return "f";
    } else if (v instanceof Boolean) {
      return "b";
    } else if (v instanceof LocalDate) {
      return "D";
    } else if (v instanceof LocalDateTime) {
      return "T";
    } else if (v instanceof LocalTime) {
      return "t";
    } else if (v instanceof Instant) {
      return "I";
    } else if (v instanceof OffsetDateTime) {
      return "O";
    } else if (v instanceof Fields) {
      return "F";
    }
    throw new IllegalArgumentException("field '" + field + "' holds a " + v.getClass().getName()
        + "; stored fields hold text, Integer, Long, BigDecimal, Double, Boolean, LocalDate, LocalDateTime,"
        + " LocalTime, Instant, OffsetDateTime and Fields");
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
      String tag = pair.get(0).asText();
      out = out.with(e.getKey(), tag.equals("F") ? fields(v, name + ".") : value(tag, v, name));
    }
    return out;
  }

  /**
   * The value {@code v} holds under {@code tag} (not a nested one): from the tagged form, where
   * numbers and times are text, or the plain form, where numbers are numbers.
   */
  private static Object value(String tag, JsonNode v, String name) {
    return switch (tag) {
      case "s" -> v.asText();
      case "i" -> v.asInt();
      case "l" -> v.asLong();
      case "d" -> v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText());
      case "f" -> v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText());
      case "b" -> v.asBoolean();
      case "D" -> LocalDate.parse(v.asText());
      case "T" -> LocalDateTime.parse(v.asText());
      case "t" -> LocalTime.parse(v.asText());
      case "I" -> Instant.parse(v.asText());
      case "O" -> OffsetDateTime.parse(v.asText());
      default -> throw new IllegalArgumentException("stored field '" + name + "' has the unknown type '" + tag + "'");
    };
  }
}
