package dev.patchbay.core.codec;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;
import java.util.List;

/** The JSON of counts and failures, which reports and saved progress share: the library's own, not API. */
public final class CountsJson {

  private CountsJson() {
  }

  /** A run's counts, each by name. */
  public static ObjectNode counts(Counts c) {
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    n.put("read", c.read());
    n.put("created", c.created());
    n.put("updated", c.updated());
    n.put("unchanged", c.unchanged());
    n.put("deleted", c.deleted());
    n.put("skipped", c.skipped());
    n.put("failed", c.failed());
    return n;
  }

  /** Failed outcomes, each with its key, stage, field and reason. */
  public static ArrayNode failures(List<Outcome.Failed> failures) {
    ArrayNode a = JsonNodeFactory.instance.arrayNode();
    for (Outcome.Failed f : failures) {
      ObjectNode fn = a.addObject();
      fn.put("key", f.key());
      fn.put("stage", f.stage().name());
      fn.put("field", f.field());
      fn.put("reason", f.reason());
    }
    return a;
  }
}
