package dev.patchbay.patterns.operations;

import dev.patchbay.patterns.Gate;
import dev.patchbay.patterns.GatedStore;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.broadcast.BroadcastStatus;
import dev.patchbay.patterns.broadcast.Route;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

class BroadcastOperationsContractTest extends PatternOperationsContract<BroadcastStatus> {

  @Override
  Subject<BroadcastStatus> subject(ResultCapture capture, Gate gate, Duration progressEvery,
      java.util.concurrent.ThreadFactory threads) {
    GatedStore erp = new GatedStore("erp", gate, Gate.none());
    Broadcast broadcast = Broadcast.builder().name("ops").state(StateStore.inMemory()).pollInterval(Duration.ofHours(1))
        .destination(Route.to("erp").batchSize(BATCH).into(erp))
        .resultCapture(capture).progressEvery(progressEvery).threads(threads).build();
    return new Subject<>() {
      private int added;

      @Override
      public Pattern<BroadcastStatus> pattern() {
        return broadcast;
      }

      @Override
      public void add(int n) {
        List<Change<Fields>> more = new ArrayList<>();
        for (int i = 0; i < n; i++, added++) {
          more.add(Change.upsert(new Envelope<>(String.format("r-%04d", added), 1, Fields.of("n", added))));
        }
        broadcast.publishAll(more);
      }

      @Override
      public long arrived() {
        return erp.store.size();
      }
    };
  }

  @Override
  String destination() {
    return "erp";
  }

  @Override
  String label() {
    return "Broadcast 'ops'";
  }

  @Override
  RunProgress.Phase phase() {
    return RunProgress.Phase.WRITING;
  }
}
