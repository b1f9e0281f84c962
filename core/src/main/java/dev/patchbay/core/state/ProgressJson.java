package dev.patchbay.core.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.codec.CountsJson;
import dev.patchbay.core.report.Counts;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Saved progress as JSON, written field by field so the format is ours, not reflection's. */
final class ProgressJson {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private ProgressJson() {
  }

  static String write(Progress p) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode positions = n.putObject("positions");
    p.positions().forEach((endpoint, at) -> positions.put(endpoint, at.position()));
    ObjectNode revisit = n.putObject("revisit");
    p.revisit().forEach((endpoint, keys) -> keys.forEach(revisit.withArray(endpoint)::add));
    n.put("sequence", p.sequence());
    n.set("counts", CountsJson.counts(p.counts()));
    n.set("failures", CountsJson.failures(p.failures()));
    n.put("savedAt", p.savedAt().toString());
    ObjectNode run = n.putObject("run");
    p.run().forEach(run::put);
    try {
      return MAPPER.writeValueAsString(n);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  static Progress read(String json) {
    JsonNode n;
    try {
      n = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("progress is not valid JSON: " + e.getOriginalMessage(), e);
    }
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("progress is not a JSON object");
    }
    JsonNode c = required(n, "counts");
    Counts counts = new Counts(number(c, "read"), number(c, "created"), number(c, "updated"),
        number(c, "unchanged"), number(c, "deleted"), number(c, "skipped"), number(c, "failed"));
    List<Outcome.Failed> failures = new ArrayList<>();
    for (JsonNode f : required(n, "failures")) {
      JsonNode field = f.get("field");
      failures.add(new Outcome.Failed(text(f, "key"), Stage.valueOf(text(f, "stage")),
          field == null || field.isNull() ? null : field.asText(), text(f, "reason")));
    }
    java.util.Map<String, String> run = new java.util.TreeMap<>();
    JsonNode r = n.get("run");
    if (r != null && r.isObject()) {
      r.fields().forEachRemaining(e -> run.put(e.getKey(), e.getValue().asText()));
    }
    java.util.Map<String, Checkpoint> positions = new java.util.TreeMap<>();
    JsonNode at = n.get("positions");
    if (at != null && at.isObject()) {
      at.fields().forEachRemaining(e -> positions.put(e.getKey(), Checkpoint.at(e.getValue().asText())));
    } else {
      positions.put(Progress.SOURCE, Checkpoint.at(text(n, "position")));   // saved before endpoints
    }
    java.util.Map<String, java.util.Set<String>> revisit = new java.util.TreeMap<>();
    JsonNode again = n.get("revisit");
    if (again != null && again.isObject()) {
      again.fields().forEachRemaining(e -> {
        java.util.Set<String> keys = new java.util.LinkedHashSet<>();
        e.getValue().forEach(k -> keys.add(k.asText()));
        revisit.put(e.getKey(), keys);
      });
    }
    return new Progress(positions, revisit, number(n, "sequence"), counts, failures,
        Instant.parse(text(n, "savedAt")), run);
  }

  private static JsonNode required(JsonNode n, String name) {
    JsonNode v = n.get(name);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("progress has no '" + name + "'");
    }
    return v;
  }

  private static String text(JsonNode n, String name) {
    JsonNode v = required(n, name);
    if (!v.isTextual()) {
      throw new IllegalArgumentException("progress field '" + name + "' is not text");
    }
    return v.asText();
  }

  private static long number(JsonNode n, String name) {
    JsonNode v = required(n, name);
    if (!v.canConvertToLong()) {
      throw new IllegalArgumentException("progress field '" + name + "' is not a whole number");
    }
    return v.asLong();
  }
}
