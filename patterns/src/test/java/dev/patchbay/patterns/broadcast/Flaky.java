package dev.patchbay.patterns.broadcast;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.TransientException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A test destination over an in-memory store that can be down, fail at random, lose
 * acknowledgements (write, then fail) or crash; it records every change it was asked to write and
 * every time a key went back to an older version.
 */
final class Flaky implements Destination<Fields> {

  final InMemoryStore<Fields> store;
  private final Random random;
  volatile boolean down;
  volatile double transientRate;
  volatile double lostAckRate;
  /** Throws a crash on the n-th write call from now (counted from 1); 0: never. */
  volatile long crashAt;
  /** Whether it threw a crash since this was last cleared. */
  volatile boolean crashed;
  private long calls;
  final List<Change<Fields>> asked = new ArrayList<>();
  final List<String> backwards = new ArrayList<>();
  private final Map<String, Long> versions = new HashMap<>();
  long attempts;
  /** Transient failures thrown (lost acknowledgements included). */
  long transients;

  Flaky(String name, long seed) {
    this.store = InMemoryStore.create(name);
    this.random = new Random(seed);
  }

  /** Stands for the process dying inside a write. */
  static final class Crash extends Error {
    Crash() {
      super("simulated crash", null, false, false);
    }
  }

  @Override
  public synchronized List<Outcome> write(List<Change<Fields>> batch) {
    attempts++;
    if (crashAt > 0 && ++calls == crashAt) {
      crashAt = 0;
      calls = 0;
      if (random.nextBoolean()) {
        apply(batch);   // the write lands, the process dies before it hears
      }
      crashed = true;
      throw new Crash();
    }
    if (down) {
      transients++;
      throw new TransientException("destination " + store.name() + " is down", null);
    }
    if (random.nextDouble() < transientRate) {
      transients++;
      throw new TransientException("destination " + store.name() + " timed out", null);
    }
    List<Outcome> out = apply(batch);
    if (random.nextDouble() < lostAckRate) {
      transients++;
      throw new TransientException("destination " + store.name() + ": acknowledgement lost", null);
    }
    return out;
  }

  private List<Outcome> apply(List<Change<Fields>> batch) {
    for (Change<Fields> c : batch) {
      asked.add(c);
      long v = c instanceof Change.Upsert<Fields> u ? u.record().version() : ((Change.Delete<Fields>) c).version();
      Long before = versions.get(c.key());
      if (before != null && v < before) {
        backwards.add(c.key() + ": " + before + " -> " + v);
      }
      versions.merge(c.key(), v, Math::max);
    }
    return store.write(batch);
  }

  synchronized Map<String, Envelope<Fields>> held() {
    return store.snapshot();
  }

  synchronized long attempts() {
    return attempts;
  }

  @Override
  public String toString() {
    return "Flaky[" + store.name() + "]";
  }
}
