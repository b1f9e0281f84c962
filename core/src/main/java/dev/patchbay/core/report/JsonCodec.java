package dev.patchbay.core.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** JSON for reports and progress, written field by field so the format is ours, not reflection's. */
final class JsonCodec {

  private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private JsonCodec() {
  }

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON", e);
    }
  }

  /** The fields every report has, then its details. */
  static ObjectNode report(Report r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("name", r.name());
    n.put("pattern", r.pattern());
    n.put("status", r.status().name());
    n.put("message", r.message());
    n.put("startedAt", r.startedAt().toString());
    n.put("finishedAt", r.finishedAt().toString());
    n.put("durationMillis", r.duration().toMillis());
    n.set("failures", failures(r.failures()));
    ArrayNode findings = n.putArray("findings");
    r.findings().forEach(findings::add);
    ObjectNode endpoints = n.putObject("endpoints");
    r.endpoints().forEach((name, c) -> endpoints.set(name, endpoint(c)));
    r.details().forEach((name, value) -> n.set(name, value(value)));
    return n;
  }

  private static JsonNode value(Object v) {
    if (v instanceof Counts c) {
      return counts(c);
    }
    if (v instanceof java.util.Map<?, ?> m) {
      ObjectNode o = MAPPER.createObjectNode();
      m.forEach((k, x) -> o.set(String.valueOf(k), value(x)));
      return o;
    }
    if (v instanceof java.util.Collection<?> c) {
      ArrayNode a = MAPPER.createArrayNode();
      c.forEach(x -> a.add(value(x)));
      return a;
    }
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return MAPPER.valueToTree(v);
    }
    return MAPPER.getNodeFactory().textNode(v.toString());
  }

  /** A migration's own fields. */
  static java.util.Map<String, Object> details(RunReport r) {
    java.util.Map<String, Object> d = new java.util.LinkedHashMap<>();
    d.put("counts", r.counts());
    d.put("batches", r.batches());
    d.put("retries", r.retries());
    d.put("resumedFrom", r.resumedFrom() == null ? null : r.resumedFrom().position());
    d.put("checkpoint", r.checkpoint() == null ? null : r.checkpoint().position());
    Reconciliation rec = r.reconciliation();
    if (rec == null) {
      d.put("reconciliation", null);
    } else {
      java.util.Map<String, Object> rn = new java.util.LinkedHashMap<>();
      rn.put("holds", rec.holds());
      rn.put("desired", rec.desired());
      rn.put("matched", rec.matched());
      rn.put("missing", rec.missing());
      rn.put("differing", rec.differing());
      rn.put("failedExcluded", rec.failedExcluded());
      rn.put("missingKeys", rec.missingKeys());
      List<Object> diffs = new ArrayList<>();
      for (Reconciliation.Difference diff : rec.differences()) {
        java.util.Map<String, Object> dn = new java.util.LinkedHashMap<>();
        dn.put("key", diff.key());
        dn.put("fields", diff.fields().stream().sorted().toList());
        diffs.add(dn);
      }
      rn.put("differences", diffs);
      d.put("reconciliation", rn);
    }
    return d;
  }

  static ObjectNode progress(Progress p) {
    ObjectNode n = MAPPER.createObjectNode();
    ObjectNode positions = n.putObject("positions");
    p.positions().forEach((endpoint, at) -> positions.put(endpoint, at.position()));
    ObjectNode revisit = n.putObject("revisit");
    p.revisit().forEach((endpoint, keys) -> keys.forEach(revisit.withArray(endpoint)::add));
    n.put("sequence", p.sequence());
    n.set("counts", counts(p.counts()));
    n.set("failures", failures(p.failures()));
    n.put("savedAt", p.savedAt().toString());
    ObjectNode run = n.putObject("run");
    p.run().forEach(run::put);
    return n;
  }

  static Progress readProgress(String json) {
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

  private static ObjectNode counts(Counts c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("read", c.read());
    n.put("created", c.created());
    n.put("updated", c.updated());
    n.put("unchanged", c.unchanged());
    n.put("deleted", c.deleted());
    n.put("skipped", c.skipped());
    n.put("failed", c.failed());
    return n;
  }

  private static ObjectNode endpoint(EndpointCounts c) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("read", c.read());
    n.put("created", c.created());
    n.put("updated", c.updated());
    n.put("deleted", c.deleted());
    n.put("unchanged", c.unchanged());
    n.put("skipped", c.skipped());
    n.put("failed", c.failed());
    return n;
  }

  private static ArrayNode failures(List<Outcome.Failed> failures) {
    ArrayNode a = MAPPER.createArrayNode();
    for (Outcome.Failed f : failures) {
      ObjectNode fn = a.addObject();
      fn.put("key", f.key());
      fn.put("stage", f.stage().name());
      fn.put("field", f.field());
      fn.put("reason", f.reason());
    }
    return a;
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
