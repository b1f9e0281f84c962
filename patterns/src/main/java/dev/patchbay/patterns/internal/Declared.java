package dev.patchbay.patterns.internal;

import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.patterns.DeletePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What a pattern can tell from what its connectors declare, said once, at build, as a WARN. */
public final class Declared {

  private static final Logger LOG = LoggerFactory.getLogger(Declared.class);

  private Declared() {
  }

  /**
   * Warns where deletes are to propagate from {@code feed} and it does not declare
   * {@link Capability#DELETES_VISIBLE}: a record removed there may never show as a delete.
   *
   * @param label the pattern, "Sync 'crm-permits'"
   * @param which the feed, "side A", "its change feed"
   */
  public static void deletesVisible(String label, String which, Object feed, DeletePolicy policy) {
    if (policy != DeletePolicy.PROPAGATE || feed instanceof Connector c && c.description().can(Capability.DELETES_VISIBLE)) {
      return;
    }
    LOG.warn("{}: deletes propagate, but {} ({}) does not declare DELETES_VISIBLE: a record removed there may never"
        + " show as a delete, and then is never deleted elsewhere", label, which, feed instanceof Connector ? feed
        : "not a connector, declaring nothing");
  }
}
