package dev.patchbay.patterns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The engine's batch pipeline: settlement in order, per-key order per destination, errors after every write ended. */
class PipelineTest {

  private static List<Change<Fields>> upserts(String... keys) {
    List<Change<Fields>> changes = new ArrayList<>();
    for (String k : keys) {
      changes.add(Change.upsert(Envelope.of(k, Fields.of("k", k))));
    }
    return changes;
  }

  private static List<Outcome> created(List<Change<Fields>> changes) {
    return changes.stream().map(c -> Outcome.created(c.key())).toList();
  }

  @Test
  void outcomesComeInStepOrderWhateverOrderTheWritesEndIn() {
    CountDownLatch secondDone = new CountDownLatch(1);
    try (Pipeline<Fields, String> pipeline = new Pipeline<>(Threads.named("test-writer", true), 3, 2)) {
      Pipeline.Batch<Fields, String> batch = pipeline.open("first");
      batch.write("d", upserts("a", "b"), changes -> {
        await(secondDone);   // this write ends after the next one
        return created(changes);
      });
      batch.write("d", upserts("c"), changes -> {
        secondDone.countDown();
        return created(changes);
      });
      batch.write("e", upserts("f1"), changes -> List.of(new Outcome.Failed("f1", dev.patchbay.core.Stage.WRITE, null, "bad")));
      pipeline.add(batch);
      Pipeline.Batch<Fields, String> settled = pipeline.oldest();
      assertEquals("first", settled.context());
      assertEquals(List.of("a", "b", "c", "f1"), settled.outcomes().stream().map(Outcome::key).toList());
      assertEquals(List.of("a", "b", "c"), settled.outcomesOf("d").stream().map(Outcome::key).toList());
    }
  }

  @Test
  void twoWritesOfOneKeyToOneDestinationLandInOrderAcrossBatches() {
    List<String> landed = Collections.synchronizedList(new ArrayList<>());
    try (Pipeline<Fields, Integer> pipeline = new Pipeline<>(Threads.named("test-writer", true), 4, 4)) {
      Pipeline.Batch<Fields, Integer> one = pipeline.open(1);
      one.write("d", upserts("k"), changes -> {
        sleep(200);   // long enough for a second write that did not wait to overtake it
        landed.add("first");
        return created(changes);
      });
      pipeline.add(one);
      Pipeline.Batch<Fields, Integer> two = pipeline.open(2);
      two.write("d", upserts("x", "k"), changes -> {
        landed.add("second");
        return created(changes);
      });
      pipeline.add(two);
      pipeline.oldest().outcomes();
      pipeline.oldest().outcomes();
      assertEquals(List.of("first", "second"), landed);
    }
  }

  @Test
  void oneKeyOnTwoDestinationsIsWrittenToBothAtOnce() {
    CountDownLatch both = new CountDownLatch(2);
    Function<List<Change<Fields>>, List<Outcome>> meet = changes -> {
      both.countDown();
      // each write waits for the other to have started: were they ordered by key alone, this would time out
      assertTrue(await(both), "the two destinations' writes of one key did not run at once");
      return created(changes);
    };
    try (Pipeline<Fields, Void> pipeline = new Pipeline<>(Threads.named("test-writer", true), 2, 1)) {
      Pipeline.Batch<Fields, Void> batch = pipeline.open(null);
      batch.write("A", upserts("k"), meet);
      batch.write("B", upserts("k"), meet);
      pipeline.add(batch);
      Pipeline.Batch<Fields, Void> settled = pipeline.oldest();
      assertEquals(1, settled.outcomesOf("A").size());
      assertEquals(1, settled.outcomesOf("B").size());
    }
  }

  @Test
  void aWriteThatThrowsIsThrownOnceEveryWriteOfTheBatchEnded() {
    AtomicBoolean otherEnded = new AtomicBoolean();
    try (Pipeline<Fields, Void> pipeline = new Pipeline<>(Threads.named("test-writer", true), 2, 1)) {
      Pipeline.Batch<Fields, Void> batch = pipeline.open(null);
      batch.write("A", upserts("a"), changes -> {
        throw new IllegalStateException("refused");
      });
      batch.write("B", upserts("b"), changes -> {
        sleep(200);
        otherEnded.set(true);
        return created(changes);
      });
      pipeline.add(batch);
      Pipeline.Batch<Fields, Void> settled = pipeline.oldest();
      IllegalStateException e = assertThrows(IllegalStateException.class, settled::outcomes);
      assertEquals("refused", e.getMessage());
      assertTrue(otherEnded.get(), "the failure was thrown while side B's write was still going on");
    }
  }

  @Test
  void withOneWriterWritesRunOnTheDriversThreadAndFailuresAreKnownAtOnce() {
    Thread driver = Thread.currentThread();
    try (Pipeline<Fields, Void> pipeline = new Pipeline<>(Threads.named("test-writer", true), 1, 1)) {
      Pipeline.Batch<Fields, Void> batch = pipeline.open(null);
      batch.write("d", upserts("a", "b"), changes -> {
        assertEquals(driver, Thread.currentThread());
        return List.of(Outcome.created("a"), new Outcome.Failed("b", dev.patchbay.core.Stage.WRITE, null, "no"));
      });
      assertEquals(1, batch.knownFailures());
      pipeline.add(batch);
      assertTrue(pipeline.full());
      assertEquals(1, pipeline.knownFailures());
      assertEquals(2, pipeline.oldest().outcomes().size());
      assertTrue(pipeline.isEmpty());
    }
  }

  @Test
  void closeWaitsForTheWritesInFlight() {
    AtomicBoolean ended = new AtomicBoolean();
    Pipeline<Fields, Void> pipeline = new Pipeline<>(Threads.named("test-writer", true), 2, 2);
    Pipeline.Batch<Fields, Void> batch = pipeline.open(null);
    batch.write("d", upserts("a"), changes -> {
      sleep(200);
      ended.set(true);
      return created(changes);
    });
    pipeline.add(batch);
    pipeline.close();
    assertTrue(ended.get(), "close returned while a write was still going on");
  }

  @Test
  void refusesNoWritersOrNoDepth() {
    assertThrows(IllegalArgumentException.class, () -> new Pipeline<Fields, Void>(Threads.named("w", true), 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new Pipeline<Fields, Void>(Threads.named("w", true), 1, 0));
  }

  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }
}
