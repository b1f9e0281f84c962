package dev.patchbay.examples;

import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.jdbc.JdbcTable;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** A round of many chunks over tables whose look-back window holds more rows than a chunk. */
class LookBackSyncTest {

  @Test
  void aWindowHoldingMoreRowsThanAChunk_stillLetsTheRoundThrough_andTheNextIsQuiet() {
    DataSource ds = TestDatabases.H2.dataSource();
    List<JdbcTable.WithChanges> sides = new ArrayList<>();
    for (String side : List.of("a", "b")) {
      String table = "window_" + side + "_" + System.nanoTime();
      TestDatabases.execute(ds, "CREATE TABLE " + table + " (id VARCHAR(20) PRIMARY KEY, name VARCHAR(40), changed TIMESTAMP(6) NOT NULL)");
      sides.add(JdbcTable.builder(ds).describedAs("sys-" + side, "people").table(table).key("id").column("name")
          .modifiedAt("changed").lookBack(Duration.ofMinutes(10)).buildWithChanges());
    }
    List<Change<Fields>> people = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      people.add(Change.upsert(Envelope.of(String.format("p-%03d", i), Fields.of("name", "Person " + i))));
    }
    sides.get(0).write(people);   // one batch: 200 rows sharing one time, all inside the window
    BidirectionalSync sync = BidirectionalSync.builder().name("window-" + System.nanoTime()).sideA(sides.get(0))
        .sideB(sides.get(1)).mapping(f -> f, f -> f).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).batchSize(30).state(StateStore.inMemory()).build();

    SyncReport first = CompletableFuture.supplyAsync(sync::round).orTimeout(60, TimeUnit.SECONDS).join();

    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(200, first.b().created(), first.summary());
    SyncReport second = CompletableFuture.supplyAsync(sync::round).orTimeout(60, TimeUnit.SECONDS).join();
    assertEquals(0, second.written(), "the last chunk's own writes come back, quiet: " + second.summary());
    SyncReport third = CompletableFuture.supplyAsync(sync::round).orTimeout(60, TimeUnit.SECONDS).join();
    assertEquals(0, third.a().read() + third.b().read(),
        "the window, all delivered and none late, is not delivered again: " + third.summary());
  }
}
