package dev.patchbay.patterns.operations;

import dev.patchbay.patterns.Gate;
import dev.patchbay.patterns.GatedStore;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.migration.Migration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class MigrationOperationsTest extends PatternOperationsContract<RunReport> {

  @Override
  Subject<RunReport> subject(ResultCapture capture, Gate gate, Duration progressEvery,
      java.util.concurrent.ThreadFactory threads) {
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    GatedStore cases = new GatedStore("cases", gate, Gate.none());
    Migration<Fields, Fields> migration = Migration.builder().name("ops").source(legacy).scope(ScopeCriteria.all())
        .transform(Transform.<Fields>identity()).destination(cases).batchSize(BATCH).resultCapture(capture)
        .state(StateStore.inMemory()).progressEvery(progressEvery).threads(threads).build();
    return new Subject<>() {
      private int added;

      @Override
      public Pattern<RunReport> pattern() {
        return migration;
      }

      @Override
      public void add(int n) {
        List<Change<Fields>> more = new ArrayList<>();
        for (int i = 0; i < n; i++, added++) {
          more.add(Change.upsert(new Envelope<>(String.format("r-%04d", added), 1, Fields.of("n", added))));
        }
        legacy.write(more);
      }

      @Override
      public long arrived() {
        return cases.store.size();
      }
    };
  }

  @Override
  String destination() {
    return "destination";
  }

  @Override
  String label() {
    return "Migration 'ops'";
  }

  @Override
  RunProgress.Phase phase() {
    return RunProgress.Phase.WRITING;
  }
}
