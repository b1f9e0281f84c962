package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.outbox.OutboxEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The outbox's latest events, kept in memory for the runners: what this process published, and
 * what a runner read from the outbox, up to a capacity (the oldest go first). A runner reads here
 * while its next position is held, and from the outbox when it is not (it fell behind, or another
 * process appended): only events the outbox returned are ever held, so reading here never passes
 * over one. Thread-safe.
 */
final class Tail {

  private final int capacity;
  private final ConcurrentSkipListMap<Long, OutboxEvent> events = new ConcurrentSkipListMap<>();

  Tail(int capacity) {
    this.capacity = capacity;
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
