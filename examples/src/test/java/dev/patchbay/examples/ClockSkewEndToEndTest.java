package dev.patchbay.examples;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.jdbc.SimpleDataSource;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A sync between a PostgreSQL database whose clock is three minutes behind the sync host's and a
 * MariaDB database whose clock is right. The PostgreSQL clock is moved back for every session of
 * its data source: a schema of its own, searched before {@code pg_catalog}, holds a
 * {@code clock_timestamp()} and a {@code now()} three minutes late.
 */
class ClockSkewEndToEndTest {

  private static DataSource postgreSqlThreeMinutesBehind() {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    String schema = "skew_" + System.nanoTime();
    TestDatabases.execute(pg, "CREATE SCHEMA " + schema);
    for (String f : List.of("clock_timestamp", "now")) {
      TestDatabases.execute(pg, "CREATE FUNCTION " + schema + "." + f + "() RETURNS timestamptz AS"
          + " 'SELECT pg_catalog." + f + "() - interval ''3 minutes''' LANGUAGE sql");
    }
    return SimpleDataSource.of(TestDatabases.POSTGRESQL.url() + "&options=-c%20search_path%3D" + schema + ",pg_catalog,public",
        TestDatabases.POSTGRESQL.user(), null);
  }

  @Test
  void noEditIsLost_whenOneDatabaseClockIsMinutesBehind_andTheSkewIsReported() {
    DataSource pg = TestDatabases.POSTGRESQL.dataSource();
    DataSource late = postgreSqlThreeMinutesBehind();
    DataSource maria = TestDatabases.MARIADB.dataSource();
    String crmTable = "skewed_crm_" + System.nanoTime();
    TestDatabases.execute(pg, "CREATE TABLE " + crmTable + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(100),"
        + " city VARCHAR(60), updated_at TIMESTAMP NOT NULL)");
    String permitTable = "skewed_permits_" + System.nanoTime();
    TestDatabases.execute(maria, "CREATE TABLE " + permitTable + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(100),"
        + " town VARCHAR(60), updated_at DATETIME(6) NOT NULL)");
    JdbcTable.WithChanges crm = JdbcTable.builder(late).describedAs("crm", "contacts").table(crmTable).key("id")
        .column("name").column("city").modifiedAt("updated_at").lookBack(Duration.ofSeconds(10)).buildWithChanges();
    JdbcTable.WithChanges permits = JdbcTable.builder(maria).describedAs("permits", "people").table(permitTable).key("id")
        .column("name").column("town").modifiedAt("updated_at").lookBack(Duration.ofSeconds(10)).buildWithChanges();
    List<Change<Fields>> people = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      people.add(Change.upsert(Envelope.of("c-" + i, Fields.of("name", "Person " + i, "city", "Wellington"))));
    }
    crm.write(people);
    String name = "skew-" + System.nanoTime();
    BidirectionalSync sync = BidirectionalSync.builder().name(name).sideA(crm).sideB(permits)
        .mapping(f -> Fields.of("name", f.get("name"), "town", f.get("city")), f -> Fields.of("name", f.get("name"), "city", f.get("town")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(1), Side.A))
        .state(JdbcStateStore.of(pg, "patchbay_sync")).build();

    SyncReport first = sync.round();
    assertEquals(10, first.b().created(), first.summary());
    assertNotNull(first.clockSkew(), "both sides tell their clocks");
    long skewSeconds = first.clockSkew().toSeconds();
    assertTrue(skewSeconds >= 178 && skewSeconds <= 182, "MariaDB's clock is about 180 s ahead of PostgreSQL's: " + first.clockSkew());
    assertTrue(first.findings().stream().anyMatch(f -> f.matches("side B's clock is 1(79|80)\\.\\d{3} s ahead of side A's,"
        + " more than the conflict policy's tolerance of PT1S: last writer wins may take the earlier edit")), first.summary());
    assertEquals(0, sync.round().written(), "converged");

    // The CRM's own users edit, stamped by their database: three minutes behind the sync host.
    TestDatabases.execute(late, "UPDATE " + crmTable + " SET city = 'Napier', updated_at = now() AT TIME ZONE 'UTC'"
        + " WHERE id IN ('c-1', 'c-2', 'c-3')");
    permits.write(List.of(Change.upsert(Envelope.of("c-7", Fields.of("name", "Person 7", "town", "Hastings")))));

    SyncReport third = sync.round();
    assertEquals(3, third.b().updated(), "the CRM users' edits reach the permits: " + third.summary());
    assertEquals(1, third.a().updated(), "and the permits' edit the CRM: " + third.summary());
    for (String k : List.of("c-1", "c-2", "c-3")) {
      assertEquals("Napier", permits.lookup(List.of(k)).get(k).payload().get("town"), k);
    }
    assertEquals("Hastings", crm.lookup(List.of("c-7")).get("c-7").payload().get("city"));

    TestDatabases.execute(late, "UPDATE " + crmTable + " SET city = 'Gisborne', updated_at = now() AT TIME ZONE 'UTC'"
        + " WHERE id = 'c-4'");
    SyncReport fourth = sync.round();
    assertEquals(1, fourth.b().updated(), "an edit after the sync's own writes to the late side is found too: " + fourth.summary());
    assertEquals(0, sync.round().written());
  }
}
