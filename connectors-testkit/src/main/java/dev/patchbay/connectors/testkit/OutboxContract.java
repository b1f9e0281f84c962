package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.outbox.OutboxReader;
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
    List<OutboxEvent> read = outbox.after("opportunity", start, 10);
    assertEquals(3, read.size());
    assertEquals(upsert("o-1", 3, rich), read.get(0).change(), "values keep their types");
    assertEquals(new Change.Delete<>("o-2", 4), read.get(1).change());
    assertEquals("opportunity", read.get(2).aggregateType());
    assertEquals(OutboxEvent.UPSERT, read.get(2).type());
    assertEquals(3, new HashSet<>(read.stream().map(OutboxEvent::id).toList()).size(), "ids are unique");
    assertEquals(read.subList(1, 3), outbox.after("opportunity", read.get(0).position(), 10), "from a position: what follows it");
    assertEquals(read.subList(0, 2), outbox.after("opportunity", start, 2), "a page");
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
          List<OutboxEvent> page = outbox.after("order", at, 50);
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
      List<Long> all = outbox.after("order", start, threads * batches * 2 + 10).stream().map(OutboxEvent::position).toList();
      assertEquals(threads * batches * 2, all.size());
      assertEquals(all, seen, "the poller saw every event, each once, in position order");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  default void purging_isBoundedAndOldestFirst_belowTheSlowestJoinedReader_andLeavesWhatIsAbove() {
    Outbox outbox = outbox();
    List<Change<Fields>> changes = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      changes.add(upsert("k" + i, i, Fields.of("i", i)));
    }
    List<OutboxEvent> events = outbox.append("order", changes);
    assertEquals(0, outbox.purge("order", 100), "no reader: nothing is purged (one may join at the first event)");
    assertTrue(outbox.join("order", "slow", 0).joined());
    assertTrue(outbox.join("order", "fast", 0).joined());
    outbox.advance("order", "fast", events.get(24).position());
    outbox.advance("order", "slow", events.get(19).position());
    outbox.advance("order", "slow", events.get(3).position());
    assertEquals(events.get(19).position(), outbox.reader("order", "slow").orElseThrow().position(), "never moved back");
    assertEquals(8, outbox.purge("order", 8), "at most the limit at a time");
    assertEquals(events.get(8).position(), outbox.after("order", 0, 1).get(0).position(), "the oldest went first");
    assertEquals(8, outbox.purge("order", 8));
    assertEquals(4, outbox.purge("order", 8), "then what is left at or below the slowest reader");
    assertEquals(0, outbox.purge("order", 8));
    assertEquals(5, outbox.size("order"));
    assertEquals(events.get(19).position(), outbox.purgedThrough("order"));
    assertEquals(events.subList(20, 25).stream().map(OutboxEvent::position).toList(),
        outbox.after("order", 0, 10).stream().map(OutboxEvent::position).toList());
    assertEquals(events.get(24).position(), outbox.end(), "the end stays where it was");
    assertEquals(events.get(24).position(), outbox.end("order"));
  }

  /**
   * One table, two aggregate types (Debezium's one-table layout): each reader reads only its type,
   * and purging one type never removes the other's events, even where the other has no reader yet.
   */
  @Test
  default void aSharedOutbox_readsAndPurgesEachAggregateTypeApart() {
    Outbox outbox = outbox();
    for (int i = 0; i < 10; i++) {
      outbox.append("order", List.of(upsert("o" + i, 1, Fields.of("i", i))));
      outbox.append("invoice", List.of(upsert("i" + i, 1, Fields.of("i", i))));
    }
    assertEquals(10, outbox.after("order", 0, 100).size());
    assertTrue(outbox.after("order", 0, 100).stream().allMatch(e -> e.aggregateType().equals("order")));
    assertEquals(10, outbox.size("invoice"));
    List<OutboxEvent> invoiceEvents = outbox.after("invoice", 0, 100);
    assertEquals(invoiceEvents.get(9).position(), outbox.end("invoice"));
    assertTrue(outbox.end("order") < outbox.end("invoice"), "the last order came before the last invoice");
    outbox.join("order", "erp", 0);
    outbox.advance("order", "erp", outbox.end());
    int purged = 0;
    for (int n = outbox.purge("order", 3); n > 0; n = outbox.purge("order", 3)) {
      purged += n;
    }
    assertEquals(10, purged);
    assertEquals(0, outbox.size("order"));
    assertEquals(10, outbox.size("invoice"), "the other type's events are all there");
    assertEquals(invoiceEvents, outbox.after("invoice", 0, 100));
    assertEquals(0, outbox.purge("invoice", 100), "a type nobody reads yet is kept");
    assertEquals(outbox.purgedThrough("order"), outbox.end("order"), "all of a type purged: its end is the last purged");
  }

  /**
   * The registry lives in the outbox: a reader joined through one object (one process) holds purging
   * back for another object over the same place (another process), which does not know of it.
   */
  @Test
  default void aReaderJoinedInOneProcess_holdsPurgingBackInAnother() {
    Assumptions.assumeTrue(durable(), "an outbox of one object has one process");
    Outbox here = outbox();
    Outbox there = outbox();
    List<OutboxEvent> events = here.append("order", List.of(upsert("a", 1, Fields.of("n", 1)), upsert("b", 1, Fields.of("n", 2)),
        upsert("c", 1, Fields.of("n", 3))));
    assertTrue(there.join("order", "b.elsewhere", 0).joined());
    here.join("order", "b.here", 0);
    here.advance("order", "b.here", events.get(2).position());
    assertEquals(0, here.purge("order", 100), "the reader elsewhere has read nothing");
    there.advance("order", "b.elsewhere", events.get(0).position());
    assertEquals(1, here.purge("order", 100));
    assertEquals(List.of("b.elsewhere", "b.here"), here.readers("order").stream().map(OutboxReader::name).toList());
  }

  /**
   * A forgotten reader: purging goes on without it and counts, exactly, what it purges past the
   * reader's position; the reader cannot join again at its position (refused, with the count) but
   * can join at the end; a reader never registered cannot join below what was purged (missed -1).
   * A reader forgotten while nothing past it was purged joins again where it was.
   */
  @Test
  default void aForgottenReader_countsWhatWasPurgedPastIt_andCannotJoinOverTheGap() {
    Outbox outbox = outbox();
    List<OutboxEvent> first = outbox.append("order", List.of(upsert("a", 1, Fields.of("n", 1)), upsert("b", 1, Fields.of("n", 1))));
    outbox.append("invoice", List.of(upsert("x", 1, Fields.of("n", 1))));   // another type between: not counted
    List<OutboxEvent> more = outbox.append("order", List.of(upsert("c", 1, Fields.of("n", 1)), upsert("d", 1, Fields.of("n", 1)),
        upsert("e", 1, Fields.of("n", 1))));
    outbox.join("order", "stays", 0);
    outbox.join("order", "leaves", 0);
    OutboxReader left = outbox.forget("order", "leaves", first.get(0).position());
    assertFalse(left.joined());
    assertEquals(0, left.missed());
    OutboxReader back = outbox.join("order", "leaves", first.get(0).position());
    assertTrue(back.joined(), "nothing was purged past it: it joins again where it was");
    outbox.forget("order", "leaves", first.get(0).position());
    outbox.advance("order", "stays", more.get(1).position());
    while (outbox.purge("order", 2) > 0) {
      // purged in steps of two: the count is exact across steps
    }
    OutboxReader counted = outbox.reader("order", "leaves").orElseThrow();
    assertEquals(3, counted.missed(), "b, c and d were purged past it; a before it; the invoice is another type");
    OutboxReader refused = outbox.join("order", "leaves", first.get(0).position());
    assertFalse(refused.joined(), "it cannot join over the gap");
    assertEquals(3, refused.missed());
    OutboxReader stranger = outbox.join("order", "never-seen", 0);
    assertFalse(stranger.joined(), "a reader never registered cannot join below what was purged");
    assertEquals(-1, stranger.missed(), "how many it missed is not known");
    OutboxReader fresh = outbox.joinAtEnd("order", "leaves");
    assertTrue(fresh.joined());
    assertEquals(0, fresh.missed());
    assertEquals(outbox.end(), fresh.position());
  }

  /**
   * What no outbox of this library keeps is refused at append, the same by every outbox, naming the
   * key, the field and the limit, and nothing of the append is kept: keys past 768 bytes of UTF-8
   * (400 times 'é' is 400 characters and 800 bytes), empty keys (a delete too), NUL characters and
   * half surrogate pairs in keys, payload values of types a stored event cannot keep. A key of
   * exactly 768 bytes with characters outside the BMP, and a value past 65,536 characters with one
   * across that boundary, come back whole.
   */
  @Test
  default void whatNoOutboxKeeps_isRefusedAtAppend_namingKeyFieldAndLimit_andTheLimitsHold() {
    Outbox outbox = outbox();
    long end = outbox.end();
    Change<Fields> fine = upsert("fine", 1, Fields.of("n", 1));
    IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
        () -> outbox.append("order", List.of(fine, upsert("é".repeat(400), 1, Fields.of("n", 1)))));
    assertTrue(tooLong.getMessage().contains("800 bytes of UTF-8, more than the 768"), tooLong.getMessage());
    assertTrue(tooLong.getMessage().contains("(400 characters)"), tooLong.getMessage());
    IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
        () -> outbox.append("order", List.of(new Change.Delete<>("", 1))));
    assertEquals("a delete with an empty key: an outbox keeps keys of 1 to 768 bytes of UTF-8", empty.getMessage());
    IllegalArgumentException bytes = assertThrows(IllegalArgumentException.class,
        () -> outbox.append("order", List.of(upsert("k-7", 1, Fields.of("photo", new byte[] {1, 2})))));
    assertTrue(bytes.getMessage().startsWith("key 'k-7': field 'photo' holds a [B;"), bytes.getMessage());
    IllegalArgumentException list = assertThrows(IllegalArgumentException.class,
        () -> outbox.append("order", List.of(upsert("k-8", 1, Fields.of("tags", List.of("a"))))));
    assertTrue(list.getMessage().startsWith("key 'k-8': field 'tags' holds a java.util."), list.getMessage());
    assertThrows(IllegalArgumentException.class, () -> outbox.append("order", List.of(upsert("a\0b", 1, Fields.of("n", 1)))));
    assertThrows(IllegalArgumentException.class, () -> outbox.append("order", List.of(upsert("a\uD800", 1, Fields.of("n", 1)))));
    assertEquals(end, outbox.end(), "nothing of a refused append was kept");
    assertEquals(0, outbox.size("order"));

    String longest = "😀".repeat(192);   // 192 characters outside the BMP: 384 chars, 768 bytes
    String text = "x".repeat(65_535) + "😀" + "y".repeat(10);   // the pair across character 65,536
    List<OutboxEvent> kept = outbox.append("order", List.of(upsert(longest, 1, Fields.of("text", text))));
    OutboxEvent read = outbox.after("order", end, 10).get(0);
    assertEquals(longest, read.aggregateId());
    assertEquals(text, read.payload().get("text"));
    assertEquals(kept.get(0).position(), read.position());
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
    List<OutboxEvent> read = again.after("order", start, 10);
    assertEquals(1, read.size());
    assertEquals(Fields.of("v", "one"), read.get(0).payload());
    List<OutboxEvent> next = again.append("order", List.of(upsert("k", 2, Fields.of("v", "two"))));
    assertTrue(next.get(0).position() > read.get(0).position(), "positions go on rising after a reopen");
    Set<String> ids = new HashSet<>();
    again.after("order", start, 10).forEach(e -> ids.add(e.id()));
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
    for (List<OutboxEvent> page = outbox.after("order", start, 1_000); !page.isEmpty();
         page = outbox.after("order", page.get(page.size() - 1).position(), 1_000)) {
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
