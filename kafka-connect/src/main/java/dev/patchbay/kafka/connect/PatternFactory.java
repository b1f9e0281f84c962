package dev.patchbay.kafka.connect;

import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import java.util.Map;

/**
 * A team's own scope and transform for a connector on Connect, named by class in
 * {@code patchbay.factory.class} and made with its public no-argument constructor on the plugin's
 * class loader. Its settings are the connector's settings under {@code patchbay.factory.}, the
 * prefix taken off ({@code patchbay.factory.region=emea} is {@code region}). Both methods are
 * called once per task, before its first record; a {@link dev.patchbay.core.SetupException} from
 * either fails the task with its message.
 *
 * <pre>{@code
 * public final class EmeaContacts implements PatternFactory {
 *   public ScopeCriteria<Fields> scope(Map<String, String> settings) {
 *     String region = settings.getOrDefault("region", "emea");
 *     return ScopeCriteria.where("region is " + region, r -> region.equals(r.payload().get("region")));
 *   }
 * }
 * }</pre>
 */
public interface PatternFactory {

  /** Which records are taken; by default all. */
  default ScopeCriteria<Fields> scope(Map<String, String> settings) {
    return ScopeCriteria.all();
  }

  /** How a record taken is shaped for the other side; by default as it is. */
  default Transform<Fields, Fields> transform(Map<String, String> settings) {
    return Transform.identity();
  }
}
