package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.jdbc.JdbcTable;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * A destination that refuses every record of a batch alike (a field mapped to no column) reports a
 * setup error, not a failure per record: the run stops at once, and nothing of the batch is saved
 * as done. Records refused for their own reasons are still failures of their own.
 */
class MigrationSetupRefusalTest {

  private static InMemoryStore<Fields> legacy(int n) {
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    List<Change<Fields>> all = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      all.add(Change.upsert(new Envelope<>("c" + i, 1, Fields.of("title", "t" + i, "email", "e" + i))));
    }
    legacy.write(all);
    return legacy;
  }

  @Test
  void aFieldMappedToNoColumn_stopsTheRunAsASetupError_onH2() {
    DataSource h2 = TestDatabases.H2.dataSource();
    TestDatabases.execute(h2, "DROP TABLE IF EXISTS setup_refusal");
    TestDatabases.execute(h2, "CREATE TABLE setup_refusal (id VARCHAR(20) PRIMARY KEY, title VARCHAR(50))");
    JdbcTable cases = JdbcTable.builder(h2).describedAs("cases", "case").table("setup_refusal").key("id").column("title").build();
    StateStore state = StateStore.inMemory();
    Migration<Fields, Fields> migration = Migration.builder().name("refused").source(legacy(30)).scope(ScopeCriteria.all())
        .transform(r -> r).destination(cases).batchSize(10).failureLimit(1_000).state(state).build();

    SetupException e = assertThrows(SetupException.class, migration::run);
    assertEquals("the destination refused every record of a batch of 10 alike, field 'email': field email is not mapped"
        + " to a column of the table; nothing of the record was written (the first, 'c0'). That is the setup's fault,"
        + " not the records': nothing of the batch is saved as done, and the next run writes it again once the setup is"
        + " mended", e.getMessage());

    Migration<Fields, Fields> mended = Migration.builder().name("refused").source(legacy(30)).scope(ScopeCriteria.all())
        .transform(r -> r.withPayload(r.payload().without("email")))
        .destination(cases).batchSize(10).state(state).build();
    RunReport report = mended.run();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(30, report.counts().created());
  }

  @Test
  void recordsRefusedForReasonsOfTheirOwn_areFailuresOfTheirOwn() {
    InMemoryStore<Fields> cases = InMemoryStore.create("cases");
    Migration<Fields, Fields> migration = Migration.builder().name("own").source(legacy(10)).scope(ScopeCriteria.all())
        .transform(r -> r).destination(batch -> {
          List<Outcome> out = new ArrayList<>();
          for (Change<Fields> c : batch) {
            out.add(c.key().equals("c3") ? Outcome.rejected(c.key(), "email", "not an address") : cases.write(List.of(c)).get(0));
          }
          return out;
        }).build();
    RunReport report = migration.run();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(1, report.counts().failed());
    assertEquals(9, cases.size());
  }

  @Test
  void aBatchOfOne_refused_isTheRecordsOwnFailure() {
    Migration<Fields, Fields> migration = Migration.builder().name("one").source(legacy(3)).scope(ScopeCriteria.all())
        .transform(r -> r).destination(batch -> batch.stream().map(c -> Outcome.rejected(c.key(), null, "refused")).toList())
        .batchSize(1).build();
    RunReport report = migration.run();
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(3, report.counts().failed());
  }
}
