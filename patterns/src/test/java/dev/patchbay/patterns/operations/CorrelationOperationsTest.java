package dev.patchbay.patterns.operations;

import dev.patchbay.patterns.Gate;
import dev.patchbay.patterns.GatedStore;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.correlation.CorrelationReport;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Records "arrive" when side B's record of a shared entity carries side A's phone number. */
class CorrelationOperationsTest extends PatternOperationsContract<CorrelationReport> {

  @Override
  Subject<CorrelationReport> subject(ResultCapture capture, Gate gate, Duration progressEvery,
      java.util.concurrent.ThreadFactory threads) {
    GatedStore north = new GatedStore("north", Gate.none(), Gate.none());
    GatedStore south = new GatedStore("south", Gate.none(), gate);   // the matching reads side B: its checkpoint is after
    Correlation correlation = Correlation.builder().name("ops").sideA(north).sideB(south)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).rule(MatchRule.exact("id")).blocking(Blocking.field("id"))
        .thresholds(1, 1).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).resultCapture(capture)
        .state(StateStore.inMemory()).progressEvery(progressEvery).threads(threads).build();
    return new Subject<>() {
      private int added;

      @Override
      public Pattern<CorrelationReport> pattern() {
        return correlation;
      }

      @Override
      public void add(int n) {
        List<Change<Fields>> a = new ArrayList<>();
        List<Change<Fields>> b = new ArrayList<>();
        for (int i = 0; i < n; i++, added++) {
          a.add(Change.upsert(new Envelope<>("n-" + added, 2, Fields.of("id", "p" + added, "phone", "new-" + added))));
          b.add(Change.upsert(new Envelope<>("s-" + added, 1, Fields.of("id", "p" + added, "phone", "old-" + added))));
        }
        north.store.write(a);
        south.store.write(b);
      }

      @Override
      public long arrived() {
        return south.store.snapshot().values().stream()
            .filter(r -> String.valueOf(r.payload().get("phone")).startsWith("new-")).count();
      }
    };
  }

  /** The matching's one read of side B: the round's first checkpoint (its links saved) comes after it. */
  @Override
  int gateAt() {
    return 1;
  }

  @Override
  String destination() {
    return "b";
  }

  /** A correlation never creates: it updates side B's record of an entity both sides hold. */
  @Override
  PlannedWrite.Action plannedAction() {
    return PlannedWrite.Action.UPDATE;
  }

  @Override
  String label() {
    return "Correlation 'ops'";
  }

  @Override
  RunProgress.Phase phase() {
    return RunProgress.Phase.READING;
  }
}
