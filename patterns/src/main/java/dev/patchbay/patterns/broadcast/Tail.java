package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outbox of one aggregate type, and its latest events kept in memory for the runners: what this
 * process published, and what a runner read from the outbox, up to a capacity (the oldest go
 * first). A runner reads here while its next position is held, and from the outbox when it is not
 * (it fell behind, or another process appended): only events the outbox returned are ever held,
 * so reading here never passes over one. Thread-safe.
 */
final class Tail {

  private final Outbox outbox;
  private final String type;
  private final int capacity;
  private final ConcurrentSkipListMap<Long, OutboxEvent> events = new ConcurrentSkipListMap<>();
  /** Appends of this process under way: the outbox tells of them before they are here; they wake the runners after. */
  private final AtomicInteger appending = new AtomicInteger();

  Tail(Outbox outbox, String type, int capacity) {
    this.outbox = outbox;
    this.type = type;
    this.capacity = capacity;
  }

  /** Appends {@code changes} to the outbox, in one append, and keeps their events. */
  List<OutboxEvent> append(List<Change<Fields>> changes) {
    appending.incrementAndGet();
    try {
      List<OutboxEvent> appended = outbox.append(type, changes);
      add(appended);
      return appended;
    } finally {
      appending.decrementAndGet();
    }
  }

  /** Whether an append of this process is under way. */
  boolean appending() {
    return appending.get() > 0;
  }

  /**
   * A runner's next batch: up to {@code limit} events after {@code position}, from here where the
   * next one is held, else from the outbox (and kept); null where it is not held and an append of
   * this process is under way (its end wakes the runner). A runner's {@code first} read is from
   * the outbox.
   */
  List<OutboxEvent> next(long position, int limit, boolean first) {
    List<OutboxEvent> held = first ? List.of() : after(position, limit);
    if (!held.isEmpty()) {
      return held;
    }
    if (!first && appending()) {
      return null;
    }
    List<OutboxEvent> read = outbox.after(type, position, limit);
    add(read);
    return read;
  }

  /** Keeps {@code appended} (in the outbox already), dropping the oldest beyond the capacity. */
  void add(List<OutboxEvent> appended) {
    for (OutboxEvent e : appended) {
      events.put(e.position(), e);
    }
    while (events.size() > capacity) {
      events.pollFirstEntry();
    }
  }

  /**
   * Up to {@code limit} events after {@code position}, consecutive from {@code position + 1}; empty
   * where that one is not held (the runner reads the outbox).
   */
  List<OutboxEvent> after(long position, int limit) {
    List<OutboxEvent> out = new ArrayList<>();
    long next = position + 1;
    for (Map.Entry<Long, OutboxEvent> e : events.tailMap(position, false).entrySet()) {
      if (e.getKey() != next || out.size() == limit) {
        break;
      }
      out.add(e.getValue());
      next++;
    }
    return out;
  }
}
