package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.catalog.CatalogCsv;
import dev.patchbay.catalog.ComplianceGate;
import dev.patchbay.catalog.ReviewRule;
import dev.patchbay.catalog.Systems;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Frequency;
import dev.patchbay.core.catalog.CatalogEntry.Security;
import dev.patchbay.core.catalog.CatalogEntry.Status;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.Route;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** K1: composed patterns describe themselves as catalog entries, and the gate holds them to the catalog (K5). */
class CatalogEntriesTest {

  private static final UnaryOperator<CatalogEntry.Builder> DECLARED = b -> b.status(Status.IN_PRODUCTION)
      .volumes(2_000L, 40L).frequency(Frequency.ONCE).notes("cut over in March");

  private static Migration<Fields, Fields> billingToCrm(JdbcTable billing, InMemoryStore<Fields> crm) {
    return Migration.builder().name("billing-customers").source(billing).scope(ScopeCriteria.all())
        .transform(Transform.payload(f -> f)).destination(crm).build();
  }

  private static JdbcTable billing(DataSource ds) {
    String table = "billing_" + System.nanoTime();
    TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, name VARCHAR(60), email VARCHAR(80))");
    return JdbcTable.builder(ds).describedAs("billing", "customers").owner("Mei (finance)").table(table).key("id")
        .column("name").column("email").sensitive("email").build();
  }

  @Test
  void aMigration_describesItself_fromItsConnectors_andWhatWasDeclared() {
    JdbcTable billing = billing(TestDatabases.H2.dataSource());
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm").describedAs("customers", null, "phone");

    CatalogEntry entry = billingToCrm(billing, crm).catalogEntry(b -> DECLARED.apply(b).to("ignored", "Ana (CRM team)")
        .method(IntegrationMethod.FILE).security(new Security(Set.of("name"), true, "reviewed 2026")));

    assertEquals(CatalogEntry.builder("billing-customers", "customers").pattern(CatalogEntry.Pattern.MIGRATION)
        .status(Status.IN_PRODUCTION).from("billing", "Mei (finance)").to("crm", "Ana (CRM team)")
        .volumes(2_000L, 40L).frequency(Frequency.ONCE).syncType(CatalogEntry.SyncType.FULL)
        .trigger(CatalogEntry.Trigger.ON_DEMAND).method(IntegrationMethod.API)
        .security(new Security(Set.of("email", "name", "phone"), false, "reviewed 2026")).notes("cut over in March").build(),
        entry, "systems, method and encryption from the connectors (the JDBC table is not marked encrypted); owners"
            + " from a connector where it names one, else declared; sensitive fields from both and the declaration");
  }

  @Test
  void aSync_describesBothDirections() {
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm").describedAs("contacts", "Ana", "email");
    InMemoryStore<Fields> permits = InMemoryStore.<Fields>create("permits").describedAs("contacts", "Raj");
    BidirectionalSync sync = BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();

    List<CatalogEntry> entries = sync.catalogEntries(b -> b.status(Status.IN_PRODUCTION).frequency(Frequency.HOURLY));

    assertEquals(List.of("crm-permits: crm → permits (contacts)", "crm-permits: permits → crm (contacts)"),
        entries.stream().map(CatalogEntry::describe).toList());
    for (CatalogEntry e : entries) {
      assertEquals(CatalogEntry.Pattern.BIDIRECTIONAL_SYNC, e.pattern());
      assertEquals(CatalogEntry.SyncType.DELTA, e.syncType());
      assertEquals(CatalogEntry.Trigger.SCHEDULE, e.trigger());
      assertEquals(IntegrationMethod.API, e.method());
      assertEquals(new Security(Set.of("email"), true, ""), e.security());
      assertEquals(Frequency.HOURLY, e.frequency());
    }
    assertEquals(List.of("Ana", "Raj"), List.of(entries.get(0).sourceOwner(), entries.get(0).targetOwner()));
    assertEquals(CatalogEntry.Trigger.ON_DEMAND,
        sync.catalogEntries(b -> b.status(Status.PROPOSED).trigger(CatalogEntry.Trigger.ON_DEMAND)).get(1).trigger(),
        "a declared trigger stands: the code cannot tell rounds on demand from rounds on a schedule");
  }

  @Test
  void aCorrelation_isTwoRows_patternCorrelation_withTheSidesDescriptions() {
    InMemoryStore<Fields> north = InMemoryStore.<Fields>create("north").describedAs("patients", "Ana", "phone");
    InMemoryStore<Fields> south = InMemoryStore.<Fields>create("south").describedAs("patients", "Raj");
    Correlation c = Correlation.builder().name("hospitals").sideA(north).sideB(south)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(MatchRule.exact("surname")).blocking(Blocking.field("surname")).thresholds(1, 1)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();

    List<CatalogEntry> entries = c.catalogEntries(b -> b.status(Status.PROPOSED).frequency(Frequency.DAILY));

    assertEquals(List.of("hospitals: north → south (patients)", "hospitals: south → north (patients)"),
        entries.stream().map(CatalogEntry::describe).toList());
    for (CatalogEntry e : entries) {
      assertEquals(CatalogEntry.Pattern.CORRELATION, e.pattern());
      assertEquals(CatalogEntry.SyncType.DELTA, e.syncType());
      assertEquals(CatalogEntry.Trigger.SCHEDULE, e.trigger());
      assertEquals(Set.of("phone"), e.security().sensitiveFields());
    }
    assertEquals(List.of("Ana", "Raj"), List.of(entries.get(0).sourceOwner(), entries.get(0).targetOwner()));
  }

  @Test
  void aBroadcast_isARowPerDestination_patternBroadcast_triggeredByEvents() {
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm").describedAs("opportunities", "Sales ops", "contact");
    Broadcast b = Broadcast.builder().name("closed-won").changesOf(crm)
        .destination(Route.to("erp").into(InMemoryStore.<Fields>create("erp").describedAs("orders", "Finance")))
        .destination(Route.to("warehouse").into(InMemoryStore.<Fields>create("warehouse").describedAs("orders", "Ops")))
        .build();

    List<CatalogEntry> entries = b.catalogEntries(x -> x.status(Status.PROPOSED).frequency(Frequency.DAILY));

    assertEquals(List.of("closed-won: crm → erp (opportunities)", "closed-won: crm → warehouse (opportunities)"),
        entries.stream().map(CatalogEntry::describe).toList());
    for (CatalogEntry e : entries) {
      assertEquals(CatalogEntry.Pattern.BROADCAST, e.pattern());
      assertEquals(CatalogEntry.Trigger.EVENT, e.trigger());
      assertEquals(CatalogEntry.SyncType.DELTA, e.syncType());
      assertEquals(Set.of("contact"), e.security().sensitiveFields());
    }
    assertEquals(List.of("Finance", "Ops"), entries.stream().map(CatalogEntry::targetOwner).toList());
    Broadcast pushed = Broadcast.builder().name("pushed").destination(Route.to("erp").into(InMemoryStore.create("erp"))).build();
    assertEquals("catalog entry 'pushed' needs a source system",
        assertThrows(IllegalArgumentException.class, () -> pushed.catalogEntries(x -> x)).getMessage());
  }

  @Test
  void aSourceThatIsNoConnector_mustBeDeclared() {
    Source<Fields> plain = after -> { throw new UnsupportedOperationException("not read in this test"); };
    Migration<Fields, Fields> m = Migration.builder().name("spreadsheet-import").source(plain)
        .scope(ScopeCriteria.all()).transform(Transform.payload(f -> f)).destination(InMemoryStore.<Fields>create("crm"))
        .build();

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.catalogEntry(b -> b));
    assertEquals("catalog entry 'spreadsheet-import' needs a source system", e.getMessage());
    assertEquals("spreadsheet-import: finance share → crm (records)",
        m.catalogEntry(b -> b.from("finance share", "Mei")).describe());
  }

  @Test
  void theGate_comparesTheRunningPatterns_withTheCatalogWrittenByPeople() {
    JdbcTable billing = billing(TestDatabases.H2.dataSource());
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm").describedAs("customers", "Ana");
    CatalogEntry running = billingToCrm(billing, crm).catalogEntry(DECLARED);
    List<CatalogEntry> catalog = new ArrayList<>();
    catalog.add(running.toBuilder().method(IntegrationMethod.FILE).build());   // the spreadsheet says FILE
    StringWriter csv = new StringWriter();
    CatalogCsv.write(catalog, csv);
    List<CatalogEntry> listed = CatalogCsv.read(new StringReader(csv.toString())).entries();

    SetupException refused = assertThrows(SetupException.class,
        () -> ComplianceGate.of(listed, Systems.none(), ReviewRule.all()).check(List.of(running)));

    assertEquals("Compliance gate: 2 violations\n"
        + "- billing-customers: billing → crm (customers): the catalog entry differs from the code in integration method"
        + " (code: API, catalog: FILE)\n"
        + "- billing-customers: billing → crm (customers): breaks sensitive-data-unencrypted: sensitive fields (email)"
        + " travel unencrypted by FILE", refused.getMessage());
  }
}
