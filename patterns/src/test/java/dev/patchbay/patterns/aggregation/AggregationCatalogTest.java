package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.patterns.DeletePolicy;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** An aggregation as catalog rows: one per input's flow, what the connectors say over what was declared. */
class AggregationCatalogTest {

  /** A source that is a connector whose transport is not encrypted (a plain FTP drop, say). */
  static final class PlainDrop implements Source<Fields>, Connector {
    @Override
    public Cursor<Fields> read(Checkpoint after) {
      return Cursor.over(Collections.emptyIterator(), after, r -> Checkpoint.at(r.key()));
    }

    @Override
    public ConnectorDescription description() {
      return ConnectorDescription.builder("billing-drop", "invoices").owner("Finance").method(IntegrationMethod.FILE)
          .encryptedTransport(false).sensitive("iban").build();
    }

    @Override
    public void close() {
    }
  }

  private static CatalogEntry.Builder declared(CatalogEntry.Builder b) {
    return b.status(CatalogEntry.Status.IN_PRODUCTION).volumes(100L, 10L).frequency(CatalogEntry.Frequency.DAILY);
  }

  @Test
  void eachInputIsARow_patternAggregation_fullOrDelta_systemsOwnersAndSensitiveFieldsFromTheConnectors() {
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm").describedAs("accounts", "Sales", "email");
    InMemoryStore<Fields> tracker = InMemoryStore.<Fields>create("tracker").describedAs("tickets", "Support", "phone");
    InMemoryStore<Fields> view = InMemoryStore.<Fields>create("crm-view").describedAs("accounts", "Sales ops", "notes");
    Aggregation agg = Aggregation.builder().name("accounts").destination(view)
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.changesOf("tracker", tracker, DeletePolicy.PROPAGATE).transform(Transform.identity()).mergeKey("account"))
        .build();

    List<CatalogEntry> rows = agg.catalogEntries(AggregationCatalogTest::declared);

    assertEquals(List.of("accounts (crm)", "accounts (tracker)"), rows.stream().map(CatalogEntry::name).toList());
    CatalogEntry crmRow = rows.get(0);
    assertEquals(CatalogEntry.Pattern.AGGREGATION, crmRow.pattern());
    assertEquals(CatalogEntry.SyncType.FULL, crmRow.syncType());
    assertEquals(CatalogEntry.SyncType.DELTA, rows.get(1).syncType());
    assertEquals(CatalogEntry.Trigger.ON_DEMAND, crmRow.trigger());
    assertEquals("crm", crmRow.sourceSystem());
    assertEquals("Sales", crmRow.sourceOwner());
    assertEquals("crm-view", crmRow.targetSystem());
    assertEquals("Sales ops", crmRow.targetOwner());
    assertEquals("tickets", rows.get(1).dataElement());
    assertEquals(Set.of("email", "notes"), crmRow.security().sensitiveFields());
    assertEquals(Set.of("phone", "notes"), rows.get(1).security().sensitiveFields());
    assertEquals(Boolean.TRUE, crmRow.security().encrypted(), "both ends encrypted");
    assertEquals(IntegrationMethod.API, crmRow.method());
  }

  @Test
  void anUnencryptedInput_makesItsRowUnencrypted_whateverWasDeclared_andGivesNoMethodOverTheDestinations() {
    InMemoryStore<Fields> view = InMemoryStore.<Fields>create("crm-view").describedAs("accounts", "Sales ops");
    Aggregation agg = Aggregation.builder().name("billing").destination(view)
        .input(Input.from("billing", new PlainDrop()).transform(Transform.identity()).mergeKey("account")).build();

    CatalogEntry row = agg.catalogEntries(b -> declared(b).security(new CatalogEntry.Security(Set.of("vat"), true, null))).get(0);

    assertEquals(Boolean.FALSE, row.security().encrypted());
    assertEquals(Set.of("vat", "iban"), row.security().sensitiveFields(), "declared ones kept, the connector's added");
    assertEquals(IntegrationMethod.API, row.method(), "the destination's method");
    assertEquals("invoices", row.dataElement(), "the input's data element");
    assertEquals("Finance", row.sourceOwner());
  }

  @Test
  void anInputThatIsNoConnector_keepsWhatWasDeclaredForIt() {
    InMemoryStore<Fields> view = InMemoryStore.<Fields>create("crm-view").describedAs("accounts", null);
    Source<Fields> lambda = after -> Cursor.over(Collections.emptyIterator(), after, r -> Checkpoint.at(r.key()));
    Aggregation agg = Aggregation.builder().name("legacy").destination(view)
        .input(Input.from("legacy", lambda).transform(Transform.identity()).mergeKey("account")).build();

    CatalogEntry row = agg.catalogEntries(b -> declared(b).from("mainframe", "Ops").to("ignored", "IT")).get(0);

    assertEquals("mainframe", row.sourceSystem());
    assertEquals("Ops", row.sourceOwner());
    assertEquals("crm-view", row.targetSystem(), "the connector's system over the declared one");
    assertEquals("IT", row.targetOwner(), "the declared owner where the connector names none");
    assertNull(row.security().encrypted(), "one end known: encryption stays as declared (unknown)");
  }
}
