package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two Migration objects of one name on one checkpoint directory: the second is refused while the first runs. */
class MigrationLockTest {

  @TempDir
  Path state;

  @Test
  void aSecondRunOfTheSameName_onTheSameDirectory_isRefusedNamingTheLock_andRunsOnceTheFirstIsDone() throws Exception {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    source.write(List.of(Change.upsert(Envelope.of("a", Fields.of("n", 1L))), Change.upsert(Envelope.of("b", Fields.of("n", 2L)))));
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    CountDownLatch writing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Migration<Fields, Fields> slow = migration(source, batch -> {
      writing.countDown();
      await(release);
      return target.write(batch);
    });
    Migration<Fields, Fields> other = migration(source, target::write);

    CompletableFuture<RunReport> first = CompletableFuture.supplyAsync(slow::run);
    await(writing);
    SetupException refused = assertThrows(SetupException.class, other::run);
    assertTrue(refused.getMessage().startsWith("State 'cases' is held by another run: " + state.resolve("cases.lock")),
        refused.getMessage());
    release.countDown();
    assertEquals(RunStatus.COMPLETED, first.get().status());
    assertEquals(RunStatus.COMPLETED, other.run().status(), "free again once the first run ended");
  }

  private Migration<Fields, Fields> migration(InMemoryStore<Fields> source, dev.patchbay.core.Destination<Fields> to) {
    return Migration.builder().name("cases").source(source).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(to).state(StateStore.directory(state)).reconcile(false).build();
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
