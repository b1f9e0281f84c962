package dev.patchbay.kafka.connect;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import java.util.Map;

/** A team's transform, named by class: refuses every record whose amount ends in the digit {@code refuse} (a setting). */
public final class FailingFactory implements PatternFactory {
  @Override
  public Transform<Fields, Fields> transform(Map<String, String> settings) {
    long refuse = Long.parseLong(settings.getOrDefault("refuse", "7"));
    return r -> {
      Object amount = r.payload().get("amount");
      if (amount instanceof Number n && n.longValue() % 10 == refuse) {
        throw DataException.field("amount", "the test's factory refuses amounts ending in " + refuse);
      }
      return r;
    };
  }
}
