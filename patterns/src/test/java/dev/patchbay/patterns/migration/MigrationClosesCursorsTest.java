package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.patterns.DeletePolicy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A run closes what it opened on the source: the cursor of a full copy, the change cursor of a delta. */
class MigrationClosesCursorsTest {

  private final InMemoryStore<Fields> source = InMemoryStore.create("legacy");
  private final InMemoryStore<Fields> target = InMemoryStore.create("target");
  private final AtomicInteger closed = new AtomicInteger();

  @Test
  void aFullCopy_closesItsCursor_andADelta_itsChangeCursor() {
    source.putAll(List.of(Envelope.of("a", Fields.of("n", 1))));
    Migration.builder().name("full").source(after -> closing(source.read(after))).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(target).reconcile(false).build().run();
    assertEquals(1, closed.get(), "the full copy's cursor");

    Migration.builder().name("delta").changesOf(after -> closing(source.changes(after)), DeletePolicy.IGNORE)
        .scope(ScopeCriteria.all()).transform(Transform.identity()).destination(target).build().run();
    assertEquals(2, closed.get(), "the delta's change cursor");
  }

  private Cursor<Fields> closing(Cursor<Fields> cursor) {
    return new Cursor<>() {
      public boolean hasNext() {
        return cursor.hasNext();
      }

      public Envelope<Fields> next() {
        return cursor.next();
      }

      public Checkpoint checkpoint() {
        return cursor.checkpoint();
      }

      public void close() {
        closed.incrementAndGet();
        cursor.close();
      }
    };
  }

  private ChangeCursor<Fields> closing(ChangeCursor<Fields> changes) {
    return new ChangeCursor<>() {
      public boolean hasNext() {
        return changes.hasNext();
      }

      public dev.patchbay.core.Change<Fields> next() {
        return changes.next();
      }

      public Checkpoint checkpoint() {
        return changes.checkpoint();
      }

      public void close() {
        closed.incrementAndGet();
        changes.close();
      }
    };
  }
}
