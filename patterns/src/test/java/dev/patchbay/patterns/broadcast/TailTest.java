package dev.patchbay.patterns.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TailTest {

  private static OutboxEvent at(long position) {
    return OutboxEvent.of(position, "t", Change.upsert(new Envelope<>("k" + position, 1, Fields.empty())), Instant.EPOCH);
  }

  private static List<Long> positions(List<OutboxEvent> events) {
    return events.stream().map(OutboxEvent::position).toList();
  }

  @Test
  void givesOnlyConsecutiveEventsFromTheNextPosition_andNothingWhereThatIsNotHeld() {
    Tail tail = new Tail(Outbox.inMemory(), "t", 100);
    tail.add(List.of(at(1), at(2), at(3), at(5)));   // 4: appended by another process, not seen here
    assertEquals(List.of(1L, 2L, 3L), positions(tail.after(0, 10)));
    assertEquals(List.of(2L), positions(tail.after(1, 1)));
    assertEquals(List.of(), positions(tail.after(3, 10)), "4 is not held: the runner reads the outbox");
    tail.add(List.of(at(4)));
    assertEquals(List.of(4L, 5L), positions(tail.after(3, 10)));
    assertEquals(List.of(), positions(tail.after(5, 10)));
  }

  @Test
  void dropsTheOldestBeyondItsCapacity_soABehindRunnerReadsTheOutbox() {
    Tail tail = new Tail(Outbox.inMemory(), "t", 3);
    tail.add(List.of(at(1), at(2), at(3), at(4), at(5)));
    assertEquals(List.of(), positions(tail.after(0, 10)));
    assertEquals(List.of(), positions(tail.after(1, 10)));
    assertEquals(List.of(3L, 4L, 5L), positions(tail.after(2, 10)));
  }

  @Test
  void next_readsTheOutboxAtFirst_thenTheTailWhileItHoldsTheNext_thenTheOutboxAgain() {
    Outbox outbox = Outbox.inMemory();
    Tail tail = new Tail(outbox, "t", 100);
    Change<Fields> change = at(0).change();
    assertEquals(List.of(1L, 2L), positions(tail.append(List.of(change, change))));
    outbox.append("t", List.of(change));       // 3: another process's, in the outbox only
    outbox.append("other", List.of(change));   // 4: another type's, never this tail's
    assertEquals(List.of(1L, 2L, 3L), positions(tail.next(0, 10, true)), "a runner's first read is the outbox's");
    assertEquals(List.of(5L), positions(tail.append(List.of(change))));
    assertEquals(List.of(2L, 3L), positions(tail.next(1, 10, false)), "held from 2 to 3, consecutive; 4 is not");
    assertEquals(List.of(5L), positions(tail.next(3, 10, false)), "4 is not held: the outbox is read");
    assertEquals(List.of(), positions(tail.next(5, 10, false)));
  }
}
