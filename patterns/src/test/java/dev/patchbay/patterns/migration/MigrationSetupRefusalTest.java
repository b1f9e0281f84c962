package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Records a destination refuses are failures of their own, whether one record of a batch is refused
 * or all of them alike: a whole batch refused for one reason is not taken for a setup error (that
 * rule was tried, and the migration property found a batch of two records each refused for its own
 * key, in the same words).
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
