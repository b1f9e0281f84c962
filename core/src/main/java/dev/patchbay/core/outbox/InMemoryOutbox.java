package dev.patchbay.core.outbox;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

/**
 * {@link Outbox#inMemory()}: events in a sorted map by position, a registry of readers and what
 * was purged of each type beside it; survives nothing but the object. Appends, joins and purges
 * take this object's lock, as the JDBC outbox's take its rows' locks.
 */
final class InMemoryOutbox implements Outbox {

  private final ConcurrentSkipListMap<Long, OutboxEvent> events = new ConcurrentSkipListMap<>();
  private final Map<String, Map<String, OutboxReader>> readers = new HashMap<>();
  private final Map<String, Long> purged = new HashMap<>();
  private final Map<String, Long> ends = new HashMap<>();
  private long last;
  private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();

  @Override
  public List<OutboxEvent> append(String aggregateType, List<Change<Fields>> changes) {
    changes.forEach(c -> OutboxEvent.check(aggregateType, c));
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
      if (!changes.isEmpty()) {
        ends.put(aggregateType, last);
      }
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
  public List<OutboxEvent> after(String aggregateType, long position, int limit) {
    List<OutboxEvent> out = new ArrayList<>(Math.min(limit, 1024));
    for (OutboxEvent e : events.tailMap(position, false).values()) {
      if (out.size() == limit) {
        break;
      }
      if (e.aggregateType().equals(aggregateType)) {
        out.add(e);
      }
    }
    return out;
  }

  @Override
  public synchronized long end() {
    return last;
  }

  @Override
  public synchronized long end(String aggregateType) {
    return ends.getOrDefault(aggregateType, 0L);
  }

  @Override
  public long size(String aggregateType) {
    return events.values().stream().filter(e -> e.aggregateType().equals(aggregateType)).count();
  }

  @Override
  public synchronized Optional<OutboxReader> reader(String aggregateType, String name) {
    return Optional.ofNullable(readers.getOrDefault(aggregateType, Map.of()).get(name));
  }

  @Override
  public synchronized List<OutboxReader> readers(String aggregateType) {
    return new ArrayList<>(new TreeMap<>(readers.getOrDefault(aggregateType, Map.of())).values());
  }

  @Override
  public synchronized OutboxReader join(String aggregateType, String name, long position) {
    OutboxReader next = OutboxReader.joining(reader(aggregateType, name).orElse(null), aggregateType, name, position,
        purgedThrough(aggregateType));
    put(next);
    return next;
  }

  @Override
  public synchronized OutboxReader joinAtEnd(String aggregateType, String name) {
    OutboxReader next = new OutboxReader(aggregateType, name, last, true, 0);
    put(next);
    return next;
  }

  @Override
  public synchronized void advance(String aggregateType, String name, long position) {
    OutboxReader now = reader(aggregateType, name).orElse(null);
    if (now != null && now.joined() && position > now.position()) {
      put(new OutboxReader(aggregateType, name, position, true, 0));
    }
  }

  @Override
  public synchronized OutboxReader forget(String aggregateType, String name, long position) {
    OutboxReader next = OutboxReader.forgetting(reader(aggregateType, name).orElse(null), aggregateType, name, position);
    put(next);
    return next;
  }

  @Override
  public synchronized int purge(String aggregateType, int limit) {
    Map<String, OutboxReader> of = readers.getOrDefault(aggregateType, Map.of());
    long below = of.values().stream().filter(OutboxReader::joined).mapToLong(OutboxReader::position).min().orElse(-1);
    if (below <= 0) {
      return 0;
    }
    List<Long> going = new ArrayList<>();
    for (OutboxEvent e : events.headMap(below, true).values()) {
      if (going.size() == limit) {
        break;
      }
      if (e.aggregateType().equals(aggregateType)) {
        going.add(e.position());
      }
    }
    if (going.isEmpty()) {
      return 0;
    }
    long through = going.get(going.size() - 1);
    for (OutboxReader r : List.copyOf(of.values())) {
      if (!r.joined() && r.missed() >= 0 && r.position() < through) {
        long missed = going.stream().filter(p -> p > r.position()).count();
        put(new OutboxReader(aggregateType, r.name(), r.position(), false, r.missed() + missed));
      }
    }
    going.forEach(events::remove);
    purged.merge(aggregateType, through, Math::max);
    return going.size();
  }

  @Override
  public synchronized long purgedThrough(String aggregateType) {
    return purged.getOrDefault(aggregateType, 0L);
  }

  private void put(OutboxReader r) {
    readers.computeIfAbsent(r.aggregateType(), t -> new HashMap<>()).put(r.name(), r);
  }
}
