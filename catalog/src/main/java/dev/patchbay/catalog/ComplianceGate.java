package dev.patchbay.catalog;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.catalog.CatalogEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Design standards enforced before production. An integration is refused where it is marked in
 * production and a standard finds something wrong with it, or where it runs in code with no
 * catalog entry, or with one that says otherwise about what the code knows. Every violation is
 * listed at once. Use it from a host's test suite, or at start-up before the patterns run.
 */
public final class ComplianceGate {

  private final List<CatalogEntry> catalog;
  private final Systems systems;
  private final List<ReviewRule> standards;

  private ComplianceGate(List<CatalogEntry> catalog, Systems systems, List<ReviewRule> standards) {
    this.catalog = List.copyOf(catalog);
    this.systems = Objects.requireNonNull(systems, "systems");
    this.standards = List.copyOf(standards);
  }

  /** A gate over {@code catalog} with the registry's {@code systems}, enforcing {@code standards} (for example {@link ReviewRule#all()}). */
  public static ComplianceGate of(List<CatalogEntry> catalog, Systems systems, List<ReviewRule> standards) {
    return new ComplianceGate(catalog, systems, standards);
  }

  /**
   * Every violation, in this order: entries of integrations running in code that the catalog lacks
   * or describes otherwise, then the standards' findings on entries marked in production.
   *
   * @param running the entries of the patterns that run in code ({@code pattern.catalogEntries()})
   */
  public List<String> violations(List<CatalogEntry> running) {
    List<String> violations = new ArrayList<>();
    for (CatalogEntry code : running) {
      CatalogEntry listed = catalog.stream().filter(c -> c.name().equals(code.name())
          && c.sourceSystem().equals(code.sourceSystem()) && c.targetSystem().equals(code.targetSystem()))
          .findFirst().orElse(null);
      if (listed == null) {
        violations.add(code.describe() + ": runs in code but has no catalog entry");
        continue;
      }
      List<String> differ = differences(code, listed);
      if (!differ.isEmpty()) {
        violations.add(code.describe() + ": the catalog entry differs from the code in " + String.join(", ", differ));
      }
    }
    List<CatalogEntry> production = catalog.stream().filter(c -> c.status() == CatalogEntry.Status.IN_PRODUCTION).toList();
    for (Finding f : ReviewRule.review(catalog, systems, standards)) {
      if (production.contains(f.entry())) {
        violations.add(f.entry().describe() + ": breaks " + f.rule() + ": " + f.explanation());
      }
    }
    return List.copyOf(violations);
  }

  /**
   * Refuses, with every violation in the message, if there is one.
   *
   * @throws SetupException listing each violation on a line of its own
   */
  public void check(List<CatalogEntry> running) {
    List<String> violations = violations(running);
    if (!violations.isEmpty()) {
      throw new SetupException("Compliance gate: " + violations.size() + (violations.size() == 1 ? " violation" : " violations")
          + "\n- " + String.join("\n- ", violations));
    }
  }

  /** What the code knows that the catalog says otherwise: the columns, with both values. */
  private static List<String> differences(CatalogEntry code, CatalogEntry listed) {
    List<String> d = new ArrayList<>();
    differ(d, "pattern", code.pattern(), listed.pattern());
    differ(d, "data element", code.dataElement(), listed.dataElement());
    differ(d, "synchronization type", code.syncType(), listed.syncType());
    differ(d, "trigger", code.trigger(), listed.trigger());
    differ(d, "integration method", code.method(), listed.method());
    differ(d, "sensitive fields", code.security().sensitiveFields(), listed.security().sensitiveFields());
    differ(d, "encryption", code.security().encrypted(), listed.security().encrypted());
    return d;
  }

  private static void differ(List<String> d, String column, Object code, Object listed) {
    if (code != null && !code.equals(listed)) {
      d.add(column + " (code: " + text(code) + ", catalog: " + text(listed) + ")");
    }
  }

  private static String text(Object v) {
    if (v == null) {
      return "not given";
    }
    if (v instanceof CatalogEntry.Labelled l) {
      return l.label();
    }
    if (v instanceof Boolean b) {
      return b ? "encrypted" : "unencrypted";
    }
    return v.toString();
  }
}
