package dev.patchbay.catalog;

import dev.patchbay.catalog.Finding.Effort;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The built-in review rules. */
final class Rules {

  static final String SENSITIVE = "sensitive-data-unencrypted";
  static final String REDUNDANT = "redundant-flow";
  static final String RECORD = "not-from-system-of-record";
  static final String FILE = "file-where-api-offered";
  static final String OWNER = "missing-owner";
  static final String VOLUME = "volume-differs-from-declared";

  private Rules() {
  }

  private static List<CatalogEntry> live(List<CatalogEntry> catalog) {
    return catalog.stream().filter(e -> e.status() != CatalogEntry.Status.RETIRED).toList();
  }

  static List<Finding> sensitiveDataUnencrypted(List<CatalogEntry> catalog, Systems systems) {
    List<Finding> found = new ArrayList<>();
    for (CatalogEntry e : live(catalog)) {
      CatalogEntry.Security s = e.security();
      if (s.sensitive() && !Boolean.TRUE.equals(s.encrypted())) {
        found.add(new Finding(e, SENSITIVE, Severity.CRITICAL, true, Effort.MEDIUM, "sensitive fields ("
            + String.join(", ", s.sensitiveFields()) + ") travel " + (s.encrypted() == null
            ? "over a transport not known to be encrypted" : "unencrypted")
            + (e.method() == null ? "" : " by " + e.method())));
      }
    }
    return found;
  }

  static List<Finding> redundantFlows(List<CatalogEntry> catalog, Systems systems) {
    Map<List<String>, Set<String>> names = new LinkedHashMap<>();
    for (CatalogEntry e : live(catalog)) {
      names.computeIfAbsent(List.of(e.dataElement(), e.targetSystem()), k -> new TreeSet<>()).add(e.name());
    }
    List<Finding> found = new ArrayList<>();
    for (CatalogEntry e : live(catalog)) {
      Set<String> all = names.get(List.of(e.dataElement(), e.targetSystem()));
      if (all.size() > 1) {
        found.add(new Finding(e, REDUNDANT, Severity.HIGH, false, Effort.MEDIUM, e.dataElement() + " reaches "
            + e.targetSystem() + " through " + all.size() + " integrations (" + String.join(", ", all)
            + "); keep one"));
      }
    }
    return found;
  }

  static List<Finding> notFromSystemOfRecord(List<CatalogEntry> catalog, Systems systems) {
    List<Finding> found = new ArrayList<>();
    for (CatalogEntry e : live(catalog)) {
      Optional<SystemInfo> record = systems.systemOfRecord(e.dataElement());
      boolean migratingIn = e.pattern() == CatalogEntry.Pattern.MIGRATION
          && record.isPresent() && record.get().name().equals(e.targetSystem());   // moving in to replace the old system
      if (record.isPresent() && !record.get().name().equals(e.sourceSystem()) && !migratingIn) {
        found.add(new Finding(e, RECORD, Severity.HIGH, false, Effort.MEDIUM, e.dataElement() + " is sent from "
            + e.sourceSystem() + ", but " + record.get().name() + " is its system of record"));
      }
    }
    return found;
  }

  static List<Finding> fileWhereApiOffered(List<CatalogEntry> catalog, Systems systems) {
    List<Finding> found = new ArrayList<>();
    for (CatalogEntry e : live(catalog)) {
      if (e.method() == IntegrationMethod.FILE && offersApi(systems, e.sourceSystem()) && offersApi(systems, e.targetSystem())) {
        found.add(new Finding(e, FILE, Severity.MEDIUM, false, Effort.LARGE, "a file transfer, though "
            + e.sourceSystem() + " and " + e.targetSystem() + " both offer an API"));
      }
    }
    return found;
  }

  private static boolean offersApi(Systems systems, String system) {
    return systems.get(system).map(s -> s.offers().contains(IntegrationMethod.API)).orElse(false);
  }

  static List<Finding> missingOwner(List<CatalogEntry> catalog, Systems systems) {
    List<Finding> found = new ArrayList<>();
    for (CatalogEntry e : live(catalog)) {
      List<String> unowned = new ArrayList<>();
      if (owner(e.sourceOwner(), systems, e.sourceSystem()) == null) {
        unowned.add(e.sourceSystem());
      }
      if (owner(e.targetOwner(), systems, e.targetSystem()) == null && !e.targetSystem().equals(e.sourceSystem())) {
        unowned.add(e.targetSystem());
      }
      if (!unowned.isEmpty()) {
        found.add(new Finding(e, OWNER, Severity.MEDIUM, false, Effort.SMALL, String.join(" and ", unowned)
            + (unowned.size() == 1 ? " has" : " have") + " no owner in the catalog or the systems registry"));
      }
    }
    return found;
  }

  static List<Finding> measuredAgainstDeclared(List<CatalogEntry> catalog, List<Observed> observed, double factor) {
    List<Finding> found = new ArrayList<>();
    for (CatalogEntry e : live(catalog)) {
      for (Observed o : observed) {
        if (!o.name().equals(e.name()) || !o.targetSystem().equals(e.targetSystem())) {
          continue;
        }
        long seen = o.perMonth();
        String saw = String.format(Locale.ROOT, "%,d records a month observed (%,d created, %,d changed over %s)", seen,
            o.created(), o.changed(), days(o.window()));
        if (e.newPerMonth() == null && e.changedPerMonth() == null) {
          if (seen > 0) {
            found.add(new Finding(e, VOLUME, Severity.MEDIUM, false, Effort.SMALL, saw + ", none declared"));
          }
          continue;
        }
        long declared = e.recordsPerMonth();
        if (declared == 0 ? seen > 0 : seen > factor * declared || seen * factor < declared) {
          found.add(new Finding(e, VOLUME, Severity.MEDIUM, false, Effort.SMALL, saw + String.format(Locale.ROOT,
              ", %,d declared", declared) + (declared == 0 ? "" : String.format(Locale.ROOT, " (%.1fx)", (double) seen / declared))));
        }
      }
    }
    return found;
  }

  private static String days(java.time.Duration window) {
    long hours = window.toHours();
    return hours % 24 == 0 ? hours / 24 + (hours == 24 ? " day" : " days") : hours + (hours == 1 ? " hour" : " hours");
  }

  private static String owner(String declared, Systems systems, String system) {
    return declared != null ? declared : systems.get(system).map(SystemInfo::owner).orElse(null);
  }
}
