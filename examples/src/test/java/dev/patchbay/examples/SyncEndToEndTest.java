package dev.patchbay.examples;

import dev.patchbay.core.report.RunStatus;
import dev.patchbay.connectors.jdbc.JdbcStateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A PostgreSQL table kept in sync with a MariaDB table through the JDBC connector and a JDBC link store. */
class SyncEndToEndTest {

  /** The MariaDB side, which can be told to die in its next write after half the batch. */
  static final class Crashing implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {
    final JdbcTable.WithChanges table;
    boolean crashNextWrite;

    Crashing(JdbcTable.WithChanges table) {
      this.table = table;
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      return table.changes(after);
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      return table.lookup(keys);
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      if (crashNextWrite) {
        crashNextWrite = false;
        table.write(batch.subList(0, batch.size() / 2));
        throw new Error("simulated crash after writing half a batch");
      }
      return table.write(batch);
    }

    @Override
    public String toString() {
      return table.toString();
    }
  }

  private static JdbcTable.WithChanges crm(DataSource pg) {
    String table = "crm_contacts_" + System.nanoTime();
    TestDatabases.execute(pg, "CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(100), email VARCHAR(100),"
        + " city VARCHAR(60), updated_at TIMESTAMP(3) NOT NULL, deleted BOOLEAN NOT NULL DEFAULT FALSE)");
    return JdbcTable.builder(pg).describedAs("crm", "contacts").table(table).key("id")
        .column("name").column("email").column("city").modifiedAt("updated_at").softDelete("deleted").buildWithChanges();
  }

  private static JdbcTable.WithChanges permits(DataSource maria) {
    String table = "permit_people_" + System.nanoTime();
    TestDatabases.execute(maria, "CREATE TABLE " + table + " (id VARCHAR(40) PRIMARY KEY, full_name VARCHAR(100),"
        + " mail VARCHAR(100), town VARCHAR(60), licence VARCHAR(20), updated_at DATETIME(3) NOT NULL)");
    TestDatabases.execute(maria, "CREATE TABLE " + table + "_seen (record_key VARCHAR(40) PRIMARY KEY,"
        + " gone BOOLEAN NOT NULL DEFAULT FALSE)");
    return JdbcTable.builder(maria).describedAs("permits", "people").table(table).key("id")
        .column("fullName", "full_name").column("mail").column("town").column("licence").modifiedAt("updated_at")
        .keySnapshot(table + "_seen").buildWithChanges();
  }

  private static Fields toPermits(Fields crm) {
    return Fields.ofNullable("fullName", crm.get("name"), "mail", crm.get("email"), "town", crm.get("city"));
  }

  private static Fields toCrm(Fields permits) {
    return Fields.ofNullable("name", permits.get("fullName"), "email", permits.get("mail"), "city", permits.get("town"));
  }

  /**
   * A person's edit: the connector stamps it with the time it is written (a change feed reads by
   * modification time, so a stamp from a clock running ahead would hide later writes).
   */
  private static Change<Fields> edit(String key, Fields values) {
    return Change.upsert(Envelope.of(key, values));
  }

  @Test
  void postgreSqlAndMariaDb_stayInSync_throughConflictsDeletesAndACrash() throws InterruptedException {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    DataSource maria = TestDatabases.MARIADB.dataSource();
    JdbcTable.WithChanges crm = crm(pg);
    Crashing permits = new Crashing(permits(maria));
    List<Change<Fields>> people = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      people.add(edit("c-" + i, Fields.of("name", "Person " + i, "email", "p" + i + "@example.org", "city", "Wellington")));
    }
    crm.write(people);
    List<Change<Fields>> applicants = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      applicants.add(edit("m-" + i, Fields.of("fullName", "Applicant " + i, "mail", "a" + i + "@example.org",
          "town", "Porirua", "licence", "L" + i)));
    }
    permits.table.write(applicants);
    String name = "crm-permits-" + System.nanoTime();
    BidirectionalSync sync = BidirectionalSync.builder().name(name).sideA(crm).sideB(permits)
        .mapping(SyncEndToEndTest::toPermits, SyncEndToEndTest::toCrm).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofMillis(1), Side.A)).retry(RetryPolicy.immediate(2))
        .state(JdbcStateStore.of(pg, "patchbay_sync")).build();

    SyncReport first = sync.round();
    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(50, first.b().created());
    assertEquals(20, first.a().created());
    assertEquals(0, sync.round().written(), "a converged pair of tables: nothing to write");

    // Both sides edit c-0..c-9 (permits later), the CRM deletes c-40..c-44, permits add two people.
    List<Change<Fields>> crmEdits = new ArrayList<>();
    List<Change<Fields>> permitEdits = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      crmEdits.add(edit("c-" + i, Fields.of("name", "Person " + i, "email", "p" + i + "@example.org", "city", "Lower Hutt")));
    }
    for (int i = 40; i < 45; i++) {
      crmEdits.add(new Change.Delete<>("c-" + i, 0));
    }
    crm.write(crmEdits);
    Thread.sleep(20);   // the permits' edits are later, beyond the 1 ms tolerance
    for (int i = 0; i < 10; i++) {
      Fields held = permits.table.lookup(List.of("c-" + i)).get("c-" + i).payload();
      permitEdits.add(edit("c-" + i, held.with("town", "Upper Hutt")));
    }
    permitEdits.add(edit("m-100", Fields.of("fullName", "New Applicant", "mail", "n@example.org", "town", "Porirua")));
    permitEdits.add(edit("m-101", Fields.of("fullName", "Other Applicant", "mail", "o@example.org", "town", "Porirua")));
    permits.table.write(permitEdits);

    SyncReport conflicted = sync.round();
    assertEquals(RunStatus.COMPLETED, conflicted.status(), conflicted.summary());
    assertEquals(10, conflicted.conflicts().size(), conflicted.summary());
    assertTrue(conflicted.conflicts().stream().allMatch(c -> c.resolution().how().equals("last writer wins: side B changed later")),
        conflicted.summary());
    assertEquals(5, conflicted.b().deleted());
    assertEquals(2, conflicted.a().created());

    // New people in the CRM, and the round dies halfway through writing them to MariaDB.
    List<Change<Fields>> more = new ArrayList<>();
    for (int i = 50; i < 60; i++) {
      more.add(edit("c-" + i, Fields.of("name", "Person " + i, "email", "p" + i + "@example.org", "city", "Petone")));
    }
    crm.write(more);
    permits.crashNextWrite = true;
    assertThrows(Error.class, sync::round, "the round dies writing to MariaDB");
    SyncReport recovered = sync.round();
    assertEquals(RunStatus.COMPLETED, recovered.status(), recovered.summary());
    assertEquals(5, recovered.b().created(), "the half not written before the crash, and only that: " + recovered.summary());

    Map<String, Fields> crmNow = new TreeMap<>();
    crm.lookup(keys()).forEach((k, r) -> crmNow.put(k, r.payload()));
    Map<String, Fields> permitsNow = new TreeMap<>();
    permits.lookup(keys()).forEach((k, r) -> permitsNow.put(k, toCrm(r.payload())));
    assertEquals(crmNow, permitsNow, "the same people on both sides");
    assertEquals(60 - 5 + 20 + 2, crmNow.size());
    for (int i = 0; i < 10; i++) {
      assertEquals("Upper Hutt", crmNow.get("c-" + i).get("city"), "the later edit won on c-" + i);
    }
    assertEquals("L3", permits.table.lookup(List.of("m-3")).get("m-3").payload().get("licence"),
        "a field only the permits have is kept");
    assertEquals(0, sync.round().written(), "and the next round writes nothing");
  }

  private static List<String> keys() {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      keys.add("c-" + i);
    }
    for (int i = 0; i < 20; i++) {
      keys.add("m-" + i);
    }
    keys.add("m-100");
    keys.add("m-101");
    return keys;
  }
}
