package dev.patchbay.catalog;

import dev.patchbay.core.report.RunReport;
import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * What one integration was seen to move over a window of time, to set against the volumes its
 * catalog entry declares (K6).
 *
 * @param name         the integration's name
 * @param targetSystem the system it writes to (an entry is a name and a target)
 * @param window       how long the observation covers
 * @param created      records created over the window
 * @param changed      records updated or deleted over the window
 */
public record Observed(String name, String targetSystem, Duration window, long created, long changed) {

  private static final Duration MONTH = Duration.ofDays(30);

  public Observed {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(targetSystem, "targetSystem");
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("an observation of '" + name + "' needs a positive window, was " + window);
    }
    if (created < 0 || changed < 0) {
      throw new IllegalArgumentException("an observation of '" + name + "' cannot count below zero");
    }
  }

  /**
   * The runs named {@code name} among {@code reports}, summed: created records as created,
   * updated and deleted as changed.
   */
  public static Observed ofRuns(String name, String targetSystem, Duration window, Collection<RunReport> reports) {
    long created = 0;
    long changed = 0;
    for (RunReport r : reports) {
      if (r.name().equals(name)) {
        created += r.counts().created();
        changed += r.counts().updated() + r.counts().deleted();
      }
    }
    return new Observed(name, targetSystem, window, created, changed);
  }

  /** Records created and changed, scaled from the window to 30 days. */
  public long perMonth() {
    return Math.round((created + changed) * ((double) MONTH.toMillis() / window.toMillis()));
  }
}
