package dev.patchbay.patterns.operations;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Gate;
import dev.patchbay.patterns.GatedStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.aggregation.Aggregation;
import dev.patchbay.patterns.aggregation.AggregationReport;
import dev.patchbay.patterns.aggregation.Input;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class AggregationOperationsTest extends PatternOperationsContract<AggregationReport> {

  @Override
  Subject<AggregationReport> subject(ResultCapture capture, Gate gate, Duration progressEvery,
      java.util.concurrent.ThreadFactory threads) {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    GatedStore accounts = new GatedStore("accounts", gate, Gate.none());
    Aggregation aggregation = Aggregation.builder().name("ops")
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .destination(accounts).outputKey(Aggregation.OutputKey.MERGE_KEY).batchSize(BATCH).resultCapture(capture)
        .state(StateStore.inMemory()).progressEvery(progressEvery).threads(threads).build();
    return new Subject<>() {
      private int added;

      @Override
      public Pattern<AggregationReport> pattern() {
        return aggregation;
      }

      @Override
      public void add(int n) {
        List<Change<Fields>> more = new ArrayList<>();
        for (int i = 0; i < n; i++, added++) {
          more.add(Change.upsert(new Envelope<>(String.format("c-%04d", added), 1, Fields.of("account", "A-" + added, "n", added))));
        }
        crm.write(more);
      }

      @Override
      public long arrived() {
        return accounts.store.size();
      }
    };
  }

  @Override
  String destination() {
    return "destination";
  }

  @Override
  String label() {
    return "Aggregation 'ops'";
  }

  @Override
  RunProgress.Phase phase() {
    return RunProgress.Phase.READING;
  }
}
