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
import dev.patchbay.core.codec.CountsJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** JSON for reports, written field by field so the format is ours, not reflection's. */
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
    n.set("failures", CountsJson.failures(r.failures()));
    ArrayNode findings = n.putArray("findings");
    r.findings().forEach(findings::add);
    ObjectNode endpoints = n.putObject("endpoints");
    r.endpoints().forEach((name, c) -> endpoints.set(name, endpoint(c)));
    r.details().forEach((name, value) -> n.set(name, value(value)));
    return n;
  }

  private static JsonNode value(Object v) {
    if (v instanceof Counts c) {
      return CountsJson.counts(c);
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
}
