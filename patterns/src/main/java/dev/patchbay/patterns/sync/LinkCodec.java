package dev.patchbay.patterns.sync;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Links and positions as JSON text for the persistent link stores. A base keeps each value's type
 * (text, whole number, decimal, boolean, date, date-time), so that it compares equal to what a side
 * holds after a restart.
 */
final class LinkCodec {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LinkCodec() {
  }

  static String base(Fields base) {
    if (base == null) {
      return null;
    }
    ObjectNode out = JSON.createObjectNode();
    for (String name : base.names()) {
      Object v = base.get(name);
      ArrayNode typed = out.putArray(name);
      if (v instanceof String s) {
        typed.add("s").add(s);
      } else if (v instanceof Long || v instanceof Integer || v instanceof Short) {
        typed.add("l").add(((Number) v).longValue());
      } else if (v instanceof BigDecimal d) {
        typed.add("d").add(d.toPlainString());
      } else if (v instanceof Boolean b) {
        typed.add("b").add(b);
      } else if (v instanceof LocalDate d) {
        typed.add("D").add(d.toString());
      } else if (v instanceof LocalDateTime t) {
        typed.add("T").add(t.toString());
      } else if (v instanceof Double || v instanceof Float) {
        typed.add("f").add(((Number) v).doubleValue());
      } else {
        throw new SetupException("a persistent link store keeps text, numbers, booleans, dates and date-times;"
            + " field '" + name + "' holds a " + v.getClass().getName());
      }
    }
    return out.toString();
  }

  static Fields base(String json) {
    if (json == null) {
      return null;
    }
    Fields out = Fields.empty();
    JsonNode node = read(json);
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String tag = e.getValue().get(0).asText();
      JsonNode v = e.getValue().get(1);
      Object value = switch (tag) {
        case "s" -> v.asText();
        case "l" -> v.asLong();
        case "d" -> new BigDecimal(v.asText());
        case "b" -> v.asBoolean();
        case "D" -> LocalDate.parse(v.asText());
        case "T" -> LocalDateTime.parse(v.asText());
        case "f" -> v.asDouble();
        default -> throw new IllegalStateException("unknown value type '" + tag + "' in a stored base");
      };
      out = out.with(e.getKey(), value);
    }
    return out;
  }

  static String position(SyncPosition p) {
    ObjectNode out = JSON.createObjectNode().put("a", p.a().position()).put("b", p.b().position());
    ArrayNode againA = out.putArray("againA");
    p.againA().forEach(againA::add);
    ArrayNode againB = out.putArray("againB");
    p.againB().forEach(againB::add);
    return out.toString();
  }

  static SyncPosition position(String json) {
    JsonNode node = read(json);
    return new SyncPosition(Checkpoint.at(node.get("a").asText()), Checkpoint.at(node.get("b").asText()),
        keys(node.get("againA")), keys(node.get("againB")));
  }

  private static Set<String> keys(JsonNode array) {
    Set<String> out = new LinkedHashSet<>();
    if (array != null) {
      array.forEach(k -> out.add(k.asText()));
    }
    return out;
  }

  private static JsonNode read(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a stored link or position is not valid JSON: " + e.getOriginalMessage(), e);
    }
  }
}
