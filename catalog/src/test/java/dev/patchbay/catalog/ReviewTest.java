package dev.patchbay.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.catalog.Finding.Effort;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Frequency;
import dev.patchbay.core.catalog.CatalogEntry.Pattern;
import dev.patchbay.core.catalog.CatalogEntry.Security;
import dev.patchbay.core.catalog.CatalogEntry.Status;
import dev.patchbay.core.catalog.CatalogEntry.SyncType;
import dev.patchbay.core.catalog.CatalogEntry.Trigger;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** K3 to K5: each review rule with cases that must and must not fire; the roadmap's order; the gate's message. */
class ReviewTest {

  private static final Systems SYSTEMS = Systems.none()
      .with("crm", "Ana (customer services)", Set.of("contacts"), IntegrationMethod.API, IntegrationMethod.FILE)
      .with("permits", "Raj (building control)", Set.of("permits"), IntegrationMethod.API)
      .with("finance", "Mei (treasury)", Set.of("rates"), IntegrationMethod.FILE)
      .with("gis", null, Set.of(), IntegrationMethod.API);

  /** A clean entry, in production: crm contacts to permits by API, encrypted, owners known. */
  private static CatalogEntry.Builder clean(String name) {
    return CatalogEntry.builder(name, "contacts").pattern(Pattern.BIDIRECTIONAL_SYNC).status(Status.IN_PRODUCTION)
        .from("crm", null).to("permits", null).volumes(100L, 1_000L).frequency(Frequency.HOURLY).syncType(SyncType.DELTA)
        .trigger(Trigger.SCHEDULE).method(IntegrationMethod.API)
        .security(new Security(Set.of("email"), true, ""));
  }

  private static List<String> rulesFired(ReviewRule rule, CatalogEntry... catalog) {
    return rule.review(List.of(catalog), SYSTEMS).stream().map(f -> f.entry().name() + ": " + f.explanation()).toList();
  }

  @Test
  void sensitiveDataUnencrypted_firesOnSensitiveFieldsNotKnownEncrypted_only() {
    CatalogEntry plain = clean("plain").security(new Security(Set.of("email", "phone"), false, "")).method(IntegrationMethod.FILE).build();
    CatalogEntry unknown = clean("unknown").security(new Security(Set.of("email"), null, "")).build();
    CatalogEntry encrypted = clean("encrypted").build();
    CatalogEntry notSensitive = clean("not sensitive").security(new Security(Set.of(), false, "")).build();
    CatalogEntry retired = clean("retired").status(Status.RETIRED).security(new Security(Set.of("email"), false, "")).build();

    assertEquals(List.of("plain: sensitive fields (email, phone) travel unencrypted by FILE",
            "unknown: sensitive fields (email) travel over a transport not known to be encrypted by API"),
        rulesFired(ReviewRule.sensitiveDataUnencrypted(), plain, unknown, encrypted, notSensitive, retired));
  }

  @Test
  void redundantFlows_firesOnTheSameElementToTheSameTarget_fromMoreThanOneIntegration() {
    CatalogEntry one = clean("contacts sync").build();
    CatalogEntry two = clean("nightly contacts export").method(IntegrationMethod.FILE).build();
    CatalogEntry otherTarget = clean("contacts to gis").to("gis", "Lee").build();
    CatalogEntry otherElement = CatalogEntry.builder("permit numbers", "permits").pattern(Pattern.OTHER)
        .status(Status.IN_PRODUCTION).from("crm", null).to("permits", null).build();
    CatalogEntry retiredThird = clean("old contacts feed").status(Status.RETIRED).build();

    assertEquals(List.of(
            "contacts sync: contacts reaches permits through 2 integrations (contacts sync, nightly contacts export); keep one",
            "nightly contacts export: contacts reaches permits through 2 integrations (contacts sync, nightly contacts export); keep one"),
        rulesFired(ReviewRule.redundantFlows(), one, two, otherTarget, retiredThird));
    assertEquals(List.of(), rulesFired(ReviewRule.redundantFlows(), one, otherTarget, otherElement, retiredThird));
  }

  @Test
  void notFromSystemOfRecord_firesWhereTheRegistryNamesAnotherSystem() {
    CatalogEntry fromPermits = CatalogEntry.builder("contacts back", "contacts").pattern(Pattern.OTHER)
        .status(Status.IN_PRODUCTION).from("permits", "Raj").to("gis", "Lee").build();
    CatalogEntry fromCrm = clean("contacts sync").build();
    CatalogEntry noRecordKept = CatalogEntry.builder("parcels", "parcels").pattern(Pattern.OTHER)
        .status(Status.IN_PRODUCTION).from("gis", "Lee").to("permits", "Raj").build();

    CatalogEntry migratingIn = CatalogEntry.builder("old contacts", "contacts").pattern(Pattern.MIGRATION)
        .status(Status.IN_PRODUCTION).from("legacy", "Records").to("crm", null).build();
    CatalogEntry syncingIn = CatalogEntry.builder("synced contacts", "contacts").pattern(Pattern.BIDIRECTIONAL_SYNC)
        .status(Status.IN_PRODUCTION).from("legacy", "Records").to("crm", null).build();

    assertEquals(List.of("contacts back: contacts is sent from permits, but crm is its system of record",
            "synced contacts: contacts is sent from legacy, but crm is its system of record"),
        rulesFired(ReviewRule.notFromSystemOfRecord(), fromPermits, fromCrm, noRecordKept, migratingIn, syncingIn));
  }

  @Test
  void fileWhereApiOffered_firesOnFilesBetweenTwoSystemsWithApis_only() {
    CatalogEntry bothApis = clean("contacts export").method(IntegrationMethod.FILE).build();
    CatalogEntry financeHasNone = CatalogEntry.builder("rates file", "rates").pattern(Pattern.OTHER)
        .status(Status.IN_PRODUCTION).from("finance", null).to("crm", null).method(IntegrationMethod.FILE).build();
    CatalogEntry byApi = clean("contacts sync").build();

    assertEquals(List.of("contacts export: a file transfer, though crm and permits both offer an API"),
        rulesFired(ReviewRule.fileWhereApiOffered(), bothApis, financeHasNone, byApi));
  }

  @Test
  void missingOwner_firesWhereNeitherTheEntryNorTheRegistryNamesOne() {
    CatalogEntry toGis = clean("contacts to gis").to("gis", null).build();
    CatalogEntry toGisOwned = clean("contacts to gis, owned").to("gis", "Lee (mapping)").build();
    CatalogEntry unknownSystems = CatalogEntry.builder("shadow copy", "contacts").pattern(Pattern.OTHER)
        .status(Status.PROPOSED).from("access-db", " ").to("sharepoint", null).build();

    assertEquals(List.of("contacts to gis: gis has no owner in the catalog or the systems registry",
            "shadow copy: access-db and sharepoint have no owner in the catalog or the systems registry"),
        rulesFired(ReviewRule.missingOwner(), toGis, toGisOwned, clean("clean").build(), unknownSystems));
  }

  private static RunReport run(String name, long created, long updated, long deleted) {
    return new RunReport(name, "migration", RunStatus.COMPLETED, null, new Counts(created + updated + deleted, created,
        updated, 0, deleted, 0, 0), List.of(), Instant.EPOCH, Instant.EPOCH, 1, 0, null, null, null, List.of());
  }

  @Test
  void measuredAgainstDeclared_firesWhereObservedVolumesAreFarFromDeclared() {
    CatalogEntry asDeclared = clean("as declared").volumes(100L, 1_000L).build();          // 1,100 a month
    CatalogEntry tooBusy = clean("too busy").to("gis", "Lee").volumes(100L, 900L).build(); // 1,000 a month
    CatalogEntry tooQuiet = clean("too quiet").volumes(1_000L, 9_000L).build();
    CatalogEntry undeclared = clean("undeclared").volumes(null, null).build();
    CatalogEntry unobserved = clean("unobserved").build();
    Duration week = Duration.ofDays(7);
    List<RunReport> reports = List.of(run("too busy", 1_000, 1_500, 300), run("too busy", 0, 0, 0), run("other", 50, 0, 0));
    List<Observed> observed = List.of(
        new Observed("as declared", "permits", week, 70, 200),              // 1,157 a month
        Observed.ofRuns("too busy", "gis", week, reports),                 // 2,800 in a week: 12,000 a month
        new Observed("too quiet", "permits", Duration.ofDays(30), 900, 0),
        new Observed("undeclared", "permits", Duration.ofHours(12), 5, 0),
        new Observed("as declared", "gis", week, 1_000_000, 0));           // another target: not this entry

    assertEquals(List.of(
            "too busy: 12,000 records a month observed (1,000 created, 1,800 changed over 7 days), 1,000 declared (12.0x)",
            "too quiet: 900 records a month observed (900 created, 0 changed over 30 days), 10,000 declared (0.1x)",
            "undeclared: 300 records a month observed (5 created, 0 changed over 12 hours), none declared"),
        rulesFired(ReviewRule.measuredAgainstDeclared(observed, 3), asDeclared, tooBusy, tooQuiet, undeclared, unobserved));
    assertThrows(IllegalArgumentException.class, () -> ReviewRule.measuredAgainstDeclared(observed, 1));
  }

  /** Six findings on a fixed catalog, in the order to fix them. */
  @Test
  void roadmap_putsSecurityFirst_thenRecordsAMonth_thenFrequency_thenEffort() {
    List<CatalogEntry> catalog = List.of(
        CatalogEntry.builder("rates to gis", "rates").pattern(Pattern.OTHER).status(Status.IN_PRODUCTION)
            .from("finance", null).to("gis", null).build(),
        clean("small leak").volumes(10L, 10L).security(new Security(Set.of("email"), false, "")).build(),
        CatalogEntry.builder("nightly export", "cases").pattern(Pattern.OTHER).status(Status.IN_PRODUCTION)
            .from("crm", null).to("gis", null).method(IntegrationMethod.FILE).volumes(500L, 500L).frequency(Frequency.DAILY).build(),
        CatalogEntry.builder("hourly parcels", "parcels").pattern(Pattern.OTHER).status(Status.IN_PRODUCTION)
            .from("gis", null).to("permits", "Raj").volumes(400L, 600L).frequency(Frequency.HOURLY).build(),
        clean("big leak").to("gis", "Lee").volumes(50_000L, 0L).security(new Security(Set.of("email"), false, "")).build());

    List<Roadmap.Item> roadmap = Roadmap.of(ReviewRule.review(catalog, SYSTEMS, ReviewRule.all()),
        Map.of("nightly export", Effort.SMALL));

    assertEquals(List.of(
        "1. big leak — sensitive-data-unencrypted: sensitive fields (email) travel unencrypted by API (a security finding;"
            + " 50,000 records a month; runs hourly; medium effort)",
        "2. small leak — sensitive-data-unencrypted: sensitive fields (email) travel unencrypted by API (a security"
            + " finding; 20 records a month; runs hourly; medium effort)",
        "3. hourly parcels — missing-owner: gis has no owner in the catalog or the systems registry (not a security"
            + " finding; 1,000 records a month; runs hourly; small effort)",
        "4. nightly export — file-where-api-offered: a file transfer, though crm and gis both offer an API (not a security"
            + " finding; 1,000 records a month; runs daily; small effort (declared))",
        "5. nightly export — missing-owner: gis has no owner in the catalog or the systems registry (not a security"
            + " finding; 1,000 records a month; runs daily; small effort (declared))",
        "6. rates to gis — missing-owner: gis has no owner in the catalog or the systems registry (not a security"
            + " finding; records a month not known; frequency not known; small effort)"),
        roadmap.stream().map(Roadmap.Item::toString).toList());
    assertEquals(Effort.LARGE, ReviewRule.fileWhereApiOffered().review(catalog, SYSTEMS).get(0).effort(),
        "the rule's own estimate, which the declared effort replaced");
  }

  @Test
  void complianceGate_refusesWithEveryViolationAtOnce() {
    CatalogEntry sync = clean("contacts sync").build();
    CatalogEntry leak = clean("contacts to gis").to("gis", "Lee").security(new Security(Set.of("email"), false, "")).build();
    CatalogEntry proposedLeak = clean("proposed export").to("gis", "Lee").status(Status.PROPOSED)
        .security(new Security(Set.of("email"), false, "")).build();
    ComplianceGate gate = ComplianceGate.of(List.of(sync, leak, proposedLeak), SYSTEMS,
        List.of(ReviewRule.sensitiveDataUnencrypted(), ReviewRule.missingOwner()));
    CatalogEntry runsAsListed = clean("contacts sync").build();
    CatalogEntry runsOtherwise = clean("contacts to gis").to("gis", "Lee").method(IntegrationMethod.FILE)
        .security(new Security(Set.of("email", "phone"), false, "")).build();
    CatalogEntry unlisted = clean("permits digest").from("permits", "Raj").to("crm", "Ana").build();

    SetupException refused = assertThrows(SetupException.class,
        () -> gate.check(List.of(runsAsListed, runsOtherwise, unlisted)));

    assertEquals("Compliance gate: 3 violations\n"
        + "- contacts to gis: crm → gis (contacts): the catalog entry differs from the code in integration method"
        + " (code: FILE, catalog: API), sensitive fields (code: [email, phone], catalog: [email])\n"
        + "- permits digest: permits → crm (contacts): runs in code but has no catalog entry\n"
        + "- contacts to gis: crm → gis (contacts): breaks sensitive-data-unencrypted: sensitive fields (email) travel"
        + " unencrypted by API", refused.getMessage());
    assertEquals(List.of(), ComplianceGate.of(List.of(sync), SYSTEMS, ReviewRule.all()).violations(List.of(runsAsListed)));
  }
}
