package dev.patchbay.patterns.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.StateStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A change feed whose position does not move while it reads inside a window (a look-back window
 * re-read, many rows sharing one modification time): its checkpoint stays where the window began
 * until the window is read through. The broadcast's poller read a batch, found the position where
 * it was, and read the same batch again at each poll: the outbox filled with the same events for
 * ever, and the changes after the window were never read. It reads on until the position moves, as
 * the sync always did (one feed reader now).
 */
class BroadcastWindowFeedTest {

  /** 1,200 changes in one window: the checkpoint is the start until the last of them is read. */
  static final class WindowFeed implements ChangeFeed<Fields> {
    final List<Change<Fields>> window = new ArrayList<>();

    WindowFeed(int n) {
      for (int i = 0; i < n; i++) {
        window.add(Change.upsert(new Envelope<>(String.format("k%05d", i), 1, Fields.of("n", i))));
      }
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      int from = after.isStart() ? 0 : window.size();
      return new ChangeCursor<>() {
        int next = from;

        @Override
        public boolean hasNext() {
          return next < window.size();
        }

        @Override
        public Change<Fields> next() {
          return window.get(next++);
        }

        @Override
        public Checkpoint checkpoint() {
          return next < window.size() ? after : Checkpoint.at("past the window");
        }

        @Override
        public void close() {
        }
      };
    }
  }

  @Test
  void aFeedWhosePositionStaysInsideAWindow_isReadThrough_once() throws Exception {
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    try (Broadcast b = Broadcast.builder().name("window").state(StateStore.inMemory()).changesOf(new WindowFeed(1_200))
        .pollInterval(Duration.ofMillis(20)).destination(Route.to("erp").into(erp)).build()) {
      b.start();
      assertTrue(b.awaitDelivered(Duration.ofSeconds(20)), b.status().summary());
      Thread.sleep(200);   // ten more polls
      assertEquals(1_200, erp.size());
      assertEquals(1_200, b.status().outboxEnd(), "each change of the window published once");
    }
  }
}
