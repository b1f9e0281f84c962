package dev.patchbay.examples;

import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Last writer wins decides by the columns' own precision: two edits 300 microseconds apart are not a tie. */
class MicrosecondConflictTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theLaterEdit_byMicroseconds_wins(TestDatabases db) {
    DataSource ds = db.dataSource();
    String type = db == TestDatabases.MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
    String a = "us_a_" + System.nanoTime();
    String b = "us_b_" + System.nanoTime();
    for (String t : List.of(a, b)) {
      TestDatabases.execute(ds, "CREATE TABLE " + t + " (id VARCHAR(20) PRIMARY KEY, city VARCHAR(40), changed " + type + " NOT NULL)");
      TestDatabases.execute(ds, "INSERT INTO " + t + " VALUES ('c-1', 'Napier', TIMESTAMP '2026-11-30 09:00:00.000000')");
    }
    JdbcTable.WithChanges sideA = JdbcTable.builder(ds).describedAs("crm", "contacts").table(a).key("id").column("city")
        .modifiedAt("changed").buildWithChanges();
    JdbcTable.WithChanges sideB = JdbcTable.builder(ds).describedAs("permits", "people").table(b).key("id").column("city")
        .modifiedAt("changed").buildWithChanges();
    BidirectionalSync sync = BidirectionalSync.builder().name("us-" + System.nanoTime()).sideA(sideA).sideB(sideB)
        .mapping(f -> f, f -> f).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).state(StateStore.inMemory()).build();
    assertEquals(RunStatus.COMPLETED, sync.round().status());

    // Both edit within one millisecond; B 300 microseconds later. A tie at milliseconds would go to A.
    TestDatabases.execute(ds, "UPDATE " + a + " SET city = 'Hastings', changed = TIMESTAMP '2026-11-30 10:00:00.000100'");
    TestDatabases.execute(ds, "UPDATE " + b + " SET city = 'Havelock', changed = TIMESTAMP '2026-11-30 10:00:00.000400'");
    SyncReport report = sync.round();

    assertEquals("last writer wins: side B changed later", report.conflicts().get(0).resolution().how(), report.summary());
    assertEquals(Fields.of("city", "Havelock"), sideA.lookup(List.of("c-1")).get("c-1").payload());
  }
}
