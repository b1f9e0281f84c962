package dev.patchbay.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the engine can tell from what the connectors declare, it says: a WARN at build, or once a round. */
class DeclaredWarningsTest {

  private LogCapture logged;

  @BeforeEach
  void capture() {
    logged = LogCapture.root(Level.WARN);
  }

  @AfterEach
  void release() {
    logged.close();
  }

  private List<String> warnings() {
    return logged.lines(Level.WARN);
  }

  private static Migration.Builder<Fields, Fields> delta(ChangeFeed<Fields> feed, DeletePolicy deletes) {
    return Migration.builder().name("delta").changesOf(feed, deletes).scope(ScopeCriteria.all())
        .transform(Transform.<Fields>identity()).destination(InMemoryStore.<Fields>create("to"));
  }

  @Test
  void deletesThatPropagate_fromAFeedThatDoesNotDeclareThemVisible_areWarnedOfAtBuild() {
    delta(new GatedStore("undeclared", Gate.none(), Gate.none()), DeletePolicy.PROPAGATE).build();
    assertEquals(List.of("Migration 'delta': deletes propagate, but its change feed (not a connector, declaring nothing)"
        + " does not declare DELETES_VISIBLE: a record removed there may never show as a delete, and then is never deleted"
        + " elsewhere"), warnings());

    logged.clear();
    delta(InMemoryStore.create("declares"), DeletePolicy.PROPAGATE).build();
    delta(new GatedStore("undeclared", Gate.none(), Gate.none()), DeletePolicy.IGNORE).build();
    assertEquals(List.of(), warnings(), "a feed that declares them, or deletes that do not propagate: nothing to say");

    BidirectionalSync.builder().name("s").sideA(InMemoryStore.<Fields>create("a")).sideB(new GatedStore("undeclared", Gate.none(), Gate.none()))
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();
    assertEquals(1, warnings().size(), warnings().toString());
    assertTrue(warnings().get(0).startsWith("Sync 's': deletes propagate, but side B"), warnings().get(0));
  }

  @Test
  void aLambdaTransformWithoutAVersion_isWarnedOfAtBuild() {
    Migration.builder().name("lambda").source(InMemoryStore.<Fields>create("from")).scope(ScopeCriteria.all())
        .transform(r -> r).destination(InMemoryStore.<Fields>create("to")).build();
    assertEquals(List.of("Migration 'lambda': its transform does not describe itself (a lambda) and no transformVersion"
        + " was given: a run that resumes cannot notice that the transform changed since its checkpoint; give"
        + " transformVersion(\"...\")"), warnings());
    logged.clear();
    Migration.builder().name("versioned").source(InMemoryStore.<Fields>create("from")).scope(ScopeCriteria.all())
        .transform(r -> r).transformVersion("v2").destination(InMemoryStore.<Fields>create("to")).build();
    assertEquals(List.of(), warnings());
  }

  @Test
  void lastWriterWins_overASideThatAnswersVersionZero_isWarnedOfOnceARound() {
    InMemoryStore<Fields> a = InMemoryStore.create("a");
    InMemoryStore<Fields> b = InMemoryStore.create("b");
    BidirectionalSync sync = BidirectionalSync.builder().name("lww").sideA(a).sideB(b)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).build();
    for (String k : List.of("k1", "k2")) {
      a.write(List.of(Change.upsert(new Envelope<>(k, 5, Fields.of("n", 1)))));
    }
    sync.run();
    for (String k : List.of("k1", "k2")) {
      a.write(List.of(Change.upsert(new Envelope<>(k, 6, Fields.of("n", 2)))));
      b.write(List.of(Change.upsert(new Envelope<>(k, 0, Fields.of("n", 3)))));   // a system that keeps no time
    }
    logged.clear();
    SyncReport report = sync.run();
    assertEquals(2, report.conflicts().size(), report.summary());
    List<String> untimed = report.findings().stream().filter(f -> f.contains("answered version 0")).toList();
    assertEquals(List.of("a policy that compares modification times decided a conflict where side B answered version 0"
        + " ('k1', the first): it keeps no modification time, so which side changed later cannot be told; give its"
        + " connector a modification time (JdbcTable's modifiedAt) or choose a policy that needs none"), untimed);
    assertEquals(1, warnings().stream().filter(w -> w.contains("answered version 0")).count(), warnings().toString());
  }
}
