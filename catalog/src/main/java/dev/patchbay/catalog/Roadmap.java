package dev.patchbay.catalog;

import dev.patchbay.catalog.Finding.Effort;
import dev.patchbay.core.catalog.CatalogEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Findings in the order to fix them: security findings first, then the integrations that touch
 * the most records a month, then the ones that run most often, then the least effort; severity
 * and the integration's name break ties, so the order is the same every time.
 */
public final class Roadmap {

  /**
   * One step of a roadmap.
   *
   * @param rank    its place, from 1
   * @param finding what to fix
   * @param effort  what fixing it takes: declared for the integration, else the rule's estimate
   * @param why     why it is where it is, in words
   */
  public record Item(int rank, Finding finding, Effort effort, String why) {
    @Override
    public String toString() {
      return rank + ". " + finding.entry().name() + " — " + finding.rule() + ": " + finding.explanation() + " (" + why + ")";
    }
  }

  private Roadmap() {
  }

  /** The findings in order, each rule's effort estimate taken. */
  public static List<Item> of(List<Finding> findings) {
    return of(findings, Map.of());
  }

  /**
   * The findings in order.
   *
   * @param efforts the effort declared for an integration, by its name; it replaces the rules'
   *                estimates for that integration's findings
   */
  public static List<Item> of(List<Finding> findings, Map<String, Effort> efforts) {
    Comparator<Finding> order = Comparator.<Finding, Boolean>comparing(f -> !f.security())
        .thenComparing(f -> -f.entry().recordsPerMonth())
        .thenComparing(f -> f.entry().frequency() == null ? Integer.MAX_VALUE : f.entry().frequency().ordinal())
        .thenComparing(f -> effort(f, efforts))
        .thenComparing(Finding::severity)
        .thenComparing(f -> f.entry().name())
        .thenComparing(Finding::rule);
    List<Finding> sorted = findings.stream().sorted(order).toList();
    List<Item> items = new ArrayList<>();
    for (Finding f : sorted) {
      Effort effort = effort(f, efforts);
      CatalogEntry e = f.entry();
      String why = (f.security() ? "a security finding" : "not a security finding")
          + "; " + (e.recordsPerMonth() == 0 && e.newPerMonth() == null && e.changedPerMonth() == null
              ? "records a month not known" : String.format(Locale.ROOT, "%,d records a month", e.recordsPerMonth()))
          + "; " + (e.frequency() == null ? "frequency not known" : "runs " + e.frequency().label().toLowerCase(Locale.ROOT))
          + "; " + effort.name().toLowerCase(Locale.ROOT) + " effort" + (efforts.containsKey(e.name()) ? " (declared)" : "");
      items.add(new Item(items.size() + 1, f, effort, why));
    }
    return List.copyOf(items);
  }

  private static Effort effort(Finding f, Map<String, Effort> efforts) {
    return efforts.getOrDefault(f.entry().name(), f.effort());
  }
}
