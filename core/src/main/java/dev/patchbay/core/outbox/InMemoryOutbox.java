package dev.patchbay.core.outbox;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/** {@link Outbox#inMemory()}: events in a sorted map by position; survives nothing but the object. */
final class InMemoryOutbox implements Outbox {

  private final ConcurrentSkipListMap<Long, OutboxEvent> events = new ConcurrentSkipListMap<>();
  private long last;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  @Override
  public List<OutboxEvent> append(String aggregateType, List<Change<Fields>> changes) {
    List<OutboxEvent> out = new ArrayList<>(changes.size());
    long upTo;
    synchronized (this) {
      Instant now = Instant.now();
      for (Change<Fields> c : changes) {
        OutboxEvent e = OutboxEvent.of(++last, aggregateType, c, now);
        events.put(e.position(), e);
        out.add(e);
      }
      upTo = last;
    }
    listeners.forEach(l -> l.accept(upTo));
    return out;
  }

  @Override
  public AutoCloseable subscribe(LongConsumer listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    return () -> listeners.remove(listener);
  }

  @Override
  public List<OutboxEvent> after(long position, int limit) {
    List<OutboxEvent> out = new ArrayList<>(Math.min(limit, 1024));
    for (Map.Entry<Long, OutboxEvent> e : events.tailMap(position, false).entrySet()) {
      if (out.size() == limit) {
        break;
      }
      out.add(e.getValue());
    }
    return out;
  }

  @Override
  public synchronized long end() {
    return last;
  }

  @Override
  public int purge(long position, int limit) {
    int removed = 0;
    while (removed < limit) {
      Map.Entry<Long, OutboxEvent> first = events.firstEntry();
      if (first == null || first.getKey() > position) {
        break;
      }
      events.remove(first.getKey());
      removed++;
    }
    return removed;
  }

  @Override
  public long size() {
    return events.size();
  }
}
