package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.DestinationStatus;
import dev.patchbay.patterns.broadcast.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A transform that gives every record a field the destination has no column for is a setup error,
 * not a million failed records: the run stops at the first batch, nothing of it saved as done, and
 * once the destination has the column the next run takes the batch again. A record of its own with
 * such a field stays a failure of its own.
 */
class MigrationMisfitTest {

  private final DataSource ds = TestDatabases.H2.dataSource();
  private final String table = TestDatabases.H2.createPlainTable(ds);

  private static InMemoryStore<Fields> legacy(int n) {
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    List<Change<Fields>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Change.upsert(new Envelope<>("c" + i, 1, Fields.of("name", "n" + i, "email", "e" + i))));
    }
    legacy.write(all);
    return legacy;
  }

  private JdbcTable contacts(boolean withFax) {
    JdbcTable.Builder b = JdbcTable.builder(ds).describedAs("crm", "contacts").table(table).key("id").column("name").column("email");
    return (withFax ? b.column("fax", "amount") : b).build();
  }

  /** The records the table holds of c0 to c9, a and b. */
  private int held() {
    List<String> keys = new ArrayList<>(List.of("a", "b"));
    for (int i = 0; i < 10; i++) {
      keys.add("c" + i);
    }
    return contacts(true).lookup(keys).size();
  }

  private Migration<Fields, Fields> migration(InMemoryStore<Fields> source, JdbcTable into, StateStore state,
      Transform<Fields, Fields> transform) {
    return Migration.builder().name("contacts").source(source).scope(ScopeCriteria.all()).transform(transform)
        .transformVersion("v1").destination(into).batchSize(4).state(state).build();
  }

  @Test
  void everyRecordOfABatchWithAFieldTheTableLacks_stopsTheRunAsASetupError_andTheNextRunTakesTheBatchAgain() {
    InMemoryStore<Fields> source = legacy(10);
    StateStore state = StateStore.inMemory();
    Transform<Fields, Fields> withFax = r -> new Envelope<>(r.key(), r.version(), r.payload().with("fax", 1L));

    SetupException e = assertThrows(SetupException.class, () -> migration(source, contacts(false), state, withFax).run());

    assertTrue(e.getMessage().startsWith("Migration 'contacts': the destination has no place for field 'fax' in any record"),
        e.getMessage());
    assertTrue(e.getMessage().contains("nothing of the batch was saved as done"), e.getMessage());
    assertEquals(0, held(), "nothing written");

    RunReport fixed = migration(source, contacts(true), state, withFax).run();   // the table maps the field now
    assertEquals(RunStatus.COMPLETED, fixed.status(), fixed.summary());
    assertEquals(null, fixed.resumedFrom(), "no checkpoint was saved past the batch: the run starts at the beginning");
    assertEquals(10, fixed.counts().created());
    assertEquals(10, held());
  }

  @Test
  void aRecordOfItsOwnWithAFieldTheTableLacks_isThatRecordsFailure() {
    InMemoryStore<Fields> source = legacy(10);
    RunReport report = migration(source, contacts(false), StateStore.inMemory(),
        r -> r.key().equals("c5") ? new Envelope<>(r.key(), r.version(), r.payload().with("fax", 1L)) : r).run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(List.of(new Outcome.Failed("c5", Stage.MAPPING, "fax", "field fax is not mapped to a column of the table;"
        + " nothing of the record was written")), report.failures());
    assertEquals(9, held());
  }

  @Test
  void aBroadcastDestinationThatLacksAFieldEveryRecordCarries_isParkedOnTheBatch_nothingReportedDelivered() {
    try (Broadcast b = Broadcast.builder().name("b").destination(Route.to("crm")
        .transform(r -> new Envelope<>(r.key(), r.version(), r.payload().with("fax", 1L))).into(contacts(false))).build()) {
      b.publishAll(List.of(Change.upsert(Envelope.of("a", Fields.of("name", "A"))),
          Change.upsert(Envelope.of("b", Fields.of("name", "B")))));
      b.start();
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (b.status().destination("crm").state() != DestinationStatus.State.PARKED && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      DestinationStatus crm = b.status().destination("crm");
      assertEquals(DestinationStatus.State.PARKED, crm.state(), crm.toString());
      assertTrue(crm.lastError().contains("no place for field 'fax'"), crm.lastError());
      assertEquals(0, crm.position(), "the batch is delivered again once resumed");
      assertEquals(0, crm.counts().failed(), "no record reported failed for the destination's setup");
      assertEquals(0, held());
    }
  }
}
