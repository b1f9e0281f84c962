package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.IntegrationMethod;
import org.junit.jupiter.api.Test;

/** A migration's catalog row where only one end is a connector: what that end says wins over the declaration. */
class MigrationCatalogEntryTest {

  @Test
  void aSourceThatIsAConnector_givesTheMethod_whereTheDestinationIsNone() {
    InMemoryStore<Fields> crm = InMemoryStore.<Fields>create("crm").describedAs("customers", "Ana");
    Destination<Fields> plain = batch -> batch.stream().map(c -> Outcome.created(c.key())).toList();
    CatalogEntry entry = Migration.builder().name("to-a-lambda").source(crm).scope(ScopeCriteria.all())
        .transform(Transform.<Fields>identity()).destination(plain).build()
        .catalogEntry(b -> b.to("warehouse", "Raj").method(IntegrationMethod.FILE).status(CatalogEntry.Status.PROPOSED)
            .volumes(10L, 0L).frequency(CatalogEntry.Frequency.ONCE));
    assertEquals(IntegrationMethod.API, entry.method(), "the source's method, over the declared one");
    assertEquals("crm", entry.sourceSystem());
    assertEquals("warehouse", entry.targetSystem());
    assertEquals(CatalogEntry.SyncType.FULL, entry.syncType());
    CatalogEntry delta = Migration.builder().name("delta").changesOf(crm, dev.patchbay.patterns.DeletePolicy.PROPAGATE)
        .scope(ScopeCriteria.all()).transform(Transform.<Fields>identity()).destination(plain).build()
        .catalogEntry(b -> b.to("warehouse", "Raj").status(CatalogEntry.Status.PROPOSED).volumes(10L, 0L)
            .frequency(CatalogEntry.Frequency.HOURLY));
    assertEquals(CatalogEntry.SyncType.DELTA, delta.syncType(), "a migration of changes is a delta");
    assertEquals("crm", delta.sourceSystem());
  }

  @Test
  void aDestinationThatIsAConnector_givesTheMethod_whereTheSourceIsNone() {
    InMemoryStore<Fields> erp = InMemoryStore.<Fields>create("erp").describedAs("customers", "Raj");
    Source<Fields> plain = after -> Cursor.over(java.util.Collections.emptyIterator(), after, r -> Checkpoint.at(r.key()));
    CatalogEntry entry = Migration.builder().name("from-a-lambda").source(plain).scope(ScopeCriteria.all())
        .transform(Transform.<Fields>identity()).destination(erp).build()
        .catalogEntry(b -> b.from("legacy", "Ana").method(IntegrationMethod.FILE).status(CatalogEntry.Status.PROPOSED)
            .volumes(10L, 0L).frequency(CatalogEntry.Frequency.ONCE));
    assertEquals(IntegrationMethod.API, entry.method(), "the destination's method, over the declared one");
    assertEquals("legacy", entry.sourceSystem());
    assertEquals("erp", entry.targetSystem());
    assertEquals("Raj", entry.targetOwner());
  }
}
