package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import java.util.Objects;

/**
 * What a review rule found about one catalog entry.
 *
 * @param entry       the integration
 * @param rule        the rule's name ("sensitive-data-unencrypted")
 * @param severity    how much it matters
 * @param security    whether it is a security finding (a roadmap puts those first)
 * @param effort      what fixing it takes, as the rule estimates it
 * @param explanation one line saying what is wrong with this entry
 */
public record Finding(CatalogEntry entry, String rule, Severity severity, boolean security, Effort effort,
                      String explanation) {

  public Finding {
    Objects.requireNonNull(entry, "entry");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(effort, "effort");
    Objects.requireNonNull(explanation, "explanation");
  }

  /** What fixing a finding takes, least first. */
  public enum Effort { SMALL, MEDIUM, LARGE }

  @Override
  public String toString() {
    return severity + " " + rule + " [" + entry.describe() + "]: " + explanation;
  }
}
