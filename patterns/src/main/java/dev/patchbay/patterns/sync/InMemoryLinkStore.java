package dev.patchbay.patterns.sync;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/** {@link LinkStore#inMemory()}: two maps under one lock. */
final class InMemoryLinkStore implements LinkStore {
  private final Map<String, Link> byA = new HashMap<>();
  private final Map<String, Link> byB = new HashMap<>();
  private SyncPosition position = SyncPosition.start();

  @Override
  public synchronized SyncPosition position() {
    return position;
  }

  @Override
  public synchronized Map<String, Link> byA(Collection<String> aKeys) {
    return select(byA, aKeys);
  }

  @Override
  public synchronized Map<String, Link> byB(Collection<String> bKeys) {
    return select(byB, bKeys);
  }

  private static Map<String, Link> select(Map<String, Link> from, Collection<String> keys) {
    Map<String, Link> found = new HashMap<>();
    for (String key : keys) {
      Link link = from.get(key);
      if (link != null) {
        found.put(key, link);
      }
    }
    return found;
  }

  @Override
  public synchronized long linkedCount() {
    return byA.values().stream().filter(l -> l.state() == Link.State.LINKED).count();
  }

  @Override
  public synchronized void save(Collection<Link> links, SyncPosition next) {
    for (Link link : links) {
      Link old = byA.put(link.aKey(), link);
      if (old != null && !old.bKey().equals(link.bKey())) {
        byB.remove(old.bKey());
      }
      byB.put(link.bKey(), link);
    }
    position = next;
  }

  @Override
  public String toString() {
    return "LinkStore.inMemory()";
  }
}
