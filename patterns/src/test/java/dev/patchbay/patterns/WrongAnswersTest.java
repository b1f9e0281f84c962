package dev.patchbay.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A destination that answers otherwise than asked stops the run: no pattern takes a count or key it did not ask for. */
class WrongAnswersTest {

  private static List<Envelope<Fields>> records(int n) {
    List<Envelope<Fields>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Envelope.of("k" + i, Fields.of("name", "n" + i)));
    }
    return out;
  }

  private static RunReport migrate(Destination<Fields> destination) {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    source.putAll(records(2));
    return Migration.builder().name("answers").source(source).scope(ScopeCriteria.all()).transform(Transform.identity())
        .destination(destination).retry(RetryPolicy.none()).build().run();
  }

  @Test
  void aMigration_stopsWhereTheDestinationAnswersFewerOutcomes_orAnotherKey() {
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    RunReport fewer = migrate(batch -> target.write(batch).subList(0, batch.size() - 1));
    assertEquals(RunStatus.FAILED, fewer.status());
    assertEquals("Migration 'answers' stopped: the destination answered 1 outcomes for a batch of 2", fewer.message());

    RunReport otherKey = migrate(batch -> batch.stream().map(c -> (Outcome) Outcome.created(c.key() + "x")).toList());
    assertEquals(RunStatus.FAILED, otherKey.status());
    assertEquals("Migration 'answers' stopped: the destination answered an outcome for key 'k0x' where it was asked to"
        + " write 'k0'", otherKey.message());
  }

  /** A side whose writes are answered through {@code answer}. */
  private static final class Answering implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {
    final InMemoryStore<Fields> store;
    final UnaryOperator<List<Outcome>> answer;

    Answering(InMemoryStore<Fields> store, UnaryOperator<List<Outcome>> answer) {
      this.store = store;
      this.answer = answer;
    }

    @Override
    public dev.patchbay.core.ChangeCursor<Fields> changes(dev.patchbay.core.Checkpoint after) {
      return store.changes(after);
    }

    @Override
    public java.util.Map<String, Envelope<Fields>> lookup(java.util.Collection<String> keys) {
      return store.lookup(keys);
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      return answer.apply(store.write(batch));
    }
  }

  @Test
  void aSyncRound_failsWhereASideAnswersAnotherKey() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.putAll(records(2));
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    Answering a = new Answering(crm, o -> o);
    Answering b = new Answering(permits, o -> o.stream().map(x -> (Outcome) Outcome.created("zz")).toList());
    BidirectionalSync sync = BidirectionalSync.builder().name("answers").sideA(a).sideB(b)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(r -> r.key(), r -> r.key()).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .retry(RetryPolicy.none()).build();

    SyncReport report = sync.round();

    assertEquals(RunStatus.FAILED, report.status(), report.summary());
    assertEquals("Sync 'answers' round FAILED: writing failed; the next round starts from the same changes: WrongAnswer:"
        + " side B answered an outcome for key 'zz' where it was asked to write 'k0'", report.message());
  }
}
