package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The contract every {@link Outbox} is held to: events come back in the order appended, with their
 * values and types, paged from any position; positions rise, and a reader polling while several
 * threads append never passes over an event (an event is never readable after one with a higher
 * position was); purging is bounded and oldest first; a durable outbox keeps what it appended
 * when opened again. Implement it in a JUnit 5 test:
 *
 * <pre>{@code
 * class MyOutboxContractTest implements OutboxContract {
 *   public Outbox outbox() { return MyOutbox.over(place); }
 * }
 * }</pre>
 */
public interface OutboxContract {

  /** An outbox for this test: every call during one test returns one over the same place (a table), as a restarted process would open it. */
  Outbox outbox();

  /** Whether {@link #outbox()} keeps its events across objects (a table: yes; memory: no). */
  default boolean durable() {
    return true;
  }

  private static Change<Fields> upsert(String key, long version, Fields fields) {
    return Change.upsert(new Envelope<>(key, version, fields));
  }

  @Test
  default void eventsComeBackInOrder_withTheirValuesAndTypes_pagedFromAnyPosition() {
    Outbox outbox = outbox();
    long start = outbox.end();
    Fields rich = Fields.ofNullable("name", "Zoë \"O'Brien\" <b>", "amount", new BigDecimal("12.50"), "count", 7L,
        "won", true, "closed", LocalDate.of(2026, 12, 1), "at", Instant.parse("2026-12-01T10:15:30.123456Z"), "none", null);
    List<OutboxEvent> appended = outbox.append("opportunity", List.of(upsert("o-1", 3, rich),
        new Change.Delete<>("o-2", 4), upsert("o-1", 5, rich.with("won", false))));
    assertEquals(3, appended.size());
    assertTrue(appended.get(0).position() > start && appended.get(1).position() > appended.get(0).position()
        && appended.get(2).position() > appended.get(1).position(), "positions rise: " + appended);
    assertEquals(appended.get(2).position(), outbox.end());
    List<OutboxEvent> read = outbox.after(start, 10);
    assertEquals(3, read.size());
    assertEquals(upsert("o-1", 3, rich), read.get(0).change(), "values keep their types");
    assertEquals(new Change.Delete<>("o-2", 4), read.get(1).change());
    assertEquals("opportunity", read.get(2).aggregateType());
    assertEquals(OutboxEvent.UPSERT, read.get(2).type());
    assertEquals(3, new HashSet<>(read.stream().map(OutboxEvent::id).toList()).size(), "ids are unique");
    assertEquals(read.subList(1, 3), outbox.after(read.get(0).position(), 10), "from a position: what follows it");
    assertEquals(read.subList(0, 2), outbox.after(start, 2), "a page");
  }

  @Test
  default void aReaderPollingWhileThreadsAppend_neverPassesOverAnEvent() throws Exception {
    Outbox outbox = outbox();
    long start = outbox.end();
    int threads = 4;
    int batches = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    AtomicBoolean done = new AtomicBoolean();
    try {
      Future<List<Long>> reader = pool.submit(() -> {
        List<Long> seen = new ArrayList<>();
        long at = start;
        while (true) {
          boolean last = done.get();
          List<OutboxEvent> page = outbox.after(at, 50);
          for (OutboxEvent e : page) {
            seen.add(e.position());
            at = e.position();
          }
          if (last && page.isEmpty()) {
            return seen;
          }
        }
      });
      List<Future<?>> writers = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        writers.add(pool.submit(() -> {
          for (int b = 0; b < batches; b++) {
            outbox.append("order", List.of(upsert("t" + thread + "-" + b, b, Fields.of("n", b)),
                upsert("t" + thread + "-" + b + "x", b, Fields.of("n", b))));
          }
          return null;
        }));
      }
      for (Future<?> w : writers) {
        w.get(120, TimeUnit.SECONDS);
      }
      done.set(true);
      List<Long> seen = reader.get(120, TimeUnit.SECONDS);
      List<Long> all = outbox.after(start, threads * batches * 2 + 10).stream().map(OutboxEvent::position).toList();
      assertEquals(threads * batches * 2, all.size());
      assertEquals(all, seen, "the poller saw every event, each once, in position order");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void purging_isBoundedAndOldestFirst_andLeavesWhatIsAbove() {
    Outbox outbox = outbox();
    outbox.purge(outbox.end(), Integer.MAX_VALUE);
    List<Change<Fields>> changes = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      changes.add(upsert("k" + i, i, Fields.of("i", i)));
    }
    List<OutboxEvent> events = outbox.append("order", changes);
    long through = events.get(19).position();
    assertEquals(8, outbox.purge(through, 8), "at most the limit at a time");
    assertEquals(events.get(8).position(), outbox.after(0, 1).get(0).position(), "the oldest went first");
    assertEquals(8, outbox.purge(through, 8));
    assertEquals(4, outbox.purge(through, 8), "then what is left at or below the position");
    assertEquals(0, outbox.purge(through, 8));
    assertEquals(5, outbox.size());
    assertEquals(events.subList(20, 25).stream().map(OutboxEvent::position).toList(),
        outbox.after(0, 10).stream().map(OutboxEvent::position).toList());
    assertEquals(events.get(24).position(), outbox.end(), "the end stays where it was");
  }

  @Test
  default void aDurableOutbox_keepsItsEvents_whenOpenedAgain() {
    Outbox first = outbox();
    long start = first.end();
    first.append("order", List.of(upsert("k", 1, Fields.of("v", "one"))));
    if (!durable()) {
      return;
    }
    Outbox again = outbox();
    List<OutboxEvent> read = again.after(start, 10);
    assertEquals(1, read.size());
    assertEquals(Fields.of("v", "one"), read.get(0).payload());
    List<OutboxEvent> next = again.append("order", List.of(upsert("k", 2, Fields.of("v", "two"))));
    assertTrue(next.get(0).position() > read.get(0).position(), "positions go on rising after a reopen");
    Set<String> ids = new HashSet<>();
    again.after(start, 10).forEach(e -> ids.add(e.id()));
    assertEquals(2, ids.size());
  }

  /**
   * Where the outbox tells subscribers of appends (it overrides {@link Outbox#subscribe}): a
   * subscriber hears of an append made through it, and, once its subscription is closed, of no more.
   */
  @Test
  default void aSubscriberIsToldOfAppends_untilItsSubscriptionCloses() throws Exception {
    Outbox outbox = outbox();
    Assumptions.assumeFalse(outbox.getClass().getMethod("subscribe", java.util.function.LongConsumer.class)
            .getDeclaringClass() == Outbox.class,
        "this outbox tells nobody of appends: its readers poll");
    java.util.concurrent.atomic.AtomicInteger told = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.atomic.AtomicLong upTo = new java.util.concurrent.atomic.AtomicLong(-1);
    AutoCloseable subscription = outbox.subscribe(p -> {
      upTo.accumulateAndGet(p, Math::max);
      told.incrementAndGet();
    });
    int before = told.get();   // a subscription may tell once as it begins
    List<OutboxEvent> appended = outbox.append("order", List.of(upsert("k", 1, Fields.of("v", 1)),
        upsert("k", 2, Fields.of("v", 2))));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (told.get() == before && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertTrue(told.get() > before, "the subscriber was not told of an append within 5 s");
    assertEquals(appended.get(1).position(), upTo.get(), "told the position of the append's last event");
    subscription.close();
    Thread.sleep(100);
    int closed = told.get();
    outbox.append("order", List.of(upsert("k", 2, Fields.of("v", 2))));
    Thread.sleep(300);
    assertEquals(closed, told.get(), "a closed subscription was told of an append");
  }

  /** An append of many events (2,500) and one of a few take consecutive positions, and read back in order, whole. */
  @Test
  default void aLargeAppend_takesConsecutivePositions_andReadsBackWhole() {
    Outbox outbox = outbox();
    List<Change<Fields>> many = new ArrayList<>();
    for (int i = 0; i < 2_500; i++) {
      many.add(upsert("k" + i, i + 1, Fields.of("n", (long) i)));
    }
    long start = outbox.end();
    List<OutboxEvent> big = outbox.append("order", many);
    List<OutboxEvent> small = outbox.append("order", many.subList(0, 3));
    for (int i = 0; i < big.size(); i++) {
      assertEquals(big.get(0).position() + i, big.get(i).position(), "positions of one append are consecutive");
    }
    assertTrue(small.get(0).position() > big.get(big.size() - 1).position());
    List<OutboxEvent> read = new ArrayList<>();
    for (List<OutboxEvent> page = outbox.after(start, 1_000); !page.isEmpty();
         page = outbox.after(page.get(page.size() - 1).position(), 1_000)) {
      read.addAll(page);
    }
    assertEquals(2_503, read.size());
    for (int i = 0; i < 2_500; i++) {
      assertEquals("k" + i, read.get(i).aggregateId());
      assertEquals(Fields.of("n", (long) i), read.get(i).payload());
    }
    assertEquals(small.get(2).position(), outbox.end());
  }
}
