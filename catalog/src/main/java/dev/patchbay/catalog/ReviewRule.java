package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * One check over a whole catalog: what it finds wrong, a finding an entry. Rules skip retired
 * integrations. A rule of your own is a lambda; the built-in ones come from the static methods.
 */
@FunctionalInterface
public interface ReviewRule {

  /** The findings in {@code catalog}, in catalog order; none where all is well. */
  List<Finding> review(List<CatalogEntry> catalog, Systems systems);

  /** Every built-in rule, in the order their findings are listed. */
  static List<ReviewRule> all() {
    return List.of(sensitiveDataUnencrypted(), redundantFlows(), notFromSystemOfRecord(), fileWhereApiOffered(),
        missingOwner());
  }

  /** Sensitive fields over a transport not known to be encrypted (CRITICAL, security). */
  static ReviewRule sensitiveDataUnencrypted() {
    return Rules::sensitiveDataUnencrypted;
  }

  /** The same data element sent to the same target by more than one integration (HIGH). */
  static ReviewRule redundantFlows() {
    return Rules::redundantFlows;
  }

  /**
   * A data element sent from a system that is not its system of record, per the registry (HIGH);
   * a migration into the system of record (the old system being replaced) is not one.
   */
  static ReviewRule notFromSystemOfRecord() {
    return Rules::notFromSystemOfRecord;
  }

  /** A file transfer between two systems that both offer an API (MEDIUM). */
  static ReviewRule fileWhereApiOffered() {
    return Rules::fileWhereApiOffered;
  }

  /** A system with no owner, in the entry or in the registry (MEDIUM). */
  static ReviewRule missingOwner() {
    return Rules::missingOwner;
  }

  /**
   * Observed volumes against declared ones (MEDIUM): a finding where an integration moved more
   * than {@code factor} times the records a month its entry declares, or less than one
   * {@code factor}-th of them, or moved records while declaring no volumes. Entries with no
   * observation are passed over.
   *
   * @param factor how far apart counts as large, above 1 (for example 3)
   */
  static ReviewRule measuredAgainstDeclared(Collection<Observed> observed, double factor) {
    if (!(factor > 1)) {
      throw new IllegalArgumentException("the factor observed and declared volumes may differ by must be above 1, was " + factor);
    }
    List<Observed> seen = List.copyOf(observed);
    return (catalog, systems) -> Rules.measuredAgainstDeclared(catalog, seen, factor);
  }

  /** Runs {@code rules} over {@code catalog}: their findings, rule by rule. */
  static List<Finding> review(List<CatalogEntry> catalog, Systems systems, List<ReviewRule> rules) {
    List<Finding> findings = new ArrayList<>();
    rules.forEach(rule -> findings.addAll(rule.review(catalog, systems)));
    return List.copyOf(findings);
  }
}
