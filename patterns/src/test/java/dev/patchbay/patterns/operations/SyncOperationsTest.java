package dev.patchbay.patterns.operations;

import dev.patchbay.patterns.Gate;
import dev.patchbay.patterns.GatedStore;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

class SyncOperationsTest extends PatternOperationsContract<SyncReport> {

  @Override
  Subject<SyncReport> subject(ResultCapture capture, Gate gate, Duration progressEvery,
      java.util.concurrent.ThreadFactory threads) {
    GatedStore crm = new GatedStore("crm", Gate.none(), Gate.none());
    GatedStore permits = new GatedStore("permits", gate, Gate.none());
    BidirectionalSync sync = BidirectionalSync.builder().name("ops").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).batchSize(BATCH).resultCapture(capture)
        .state(StateStore.inMemory()).progressEvery(progressEvery).threads(threads).build();
    return new Subject<>() {
      private int added;

      @Override
      public Pattern<SyncReport> pattern() {
        return sync;
      }

      @Override
      public void add(int n) {
        List<Change<Fields>> more = new ArrayList<>();
        for (int i = 0; i < n; i++, added++) {
          more.add(Change.upsert(new Envelope<>(String.format("r-%04d", added), 1, Fields.of("n", added))));
        }
        crm.store.write(more);
      }

      @Override
      public long arrived() {
        return permits.store.size();
      }
    };
  }

  @Override
  String destination() {
    return "b";
  }

  @Override
  String label() {
    return "Sync 'ops'";
  }

  @Override
  RunProgress.Phase phase() {
    return RunProgress.Phase.WRITING;
  }
}
