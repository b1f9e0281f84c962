package dev.patchbay.connectors.testkit;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A connector with {@link Faults} injected: wraps one that is a source, change feed, destination
 * and lookup (an {@code InMemoryStore}, a JDBC table) and makes its writes fail, lose their
 * acknowledgement, reject records or crash at a planned point, and its cursors crash after a
 * planned record. Hand the wrapper to the pattern under test and check the wrapped connector.
 *
 * <pre>{@code
 * InMemoryStore<Fields> crm = InMemoryStore.create("crm");
 * Faulty<Fields> flaky = Faulty.around(crm);
 * flaky.inject(Faults.builder().seed(seed).transientWriteFailures(0.2).build());
 * }</pre>
 *
 * <p>Thread-safe as the wrapped connector is; write calls are serialised.
 *
 * @param <T> the payload type
 */
public final class Faulty<T> implements Connector, Source<T>, ChangeFeed<T>, Destination<T>, Lookup<T> {

  private final Connector connector;
  private final Source<T> source;
  private final ChangeFeed<T> feed;
  private final Destination<T> destination;
  private final Lookup<T> lookup;
  private volatile State state = new State(Faults.none());

  private <C extends Connector & Source<T> & ChangeFeed<T> & Destination<T> & Lookup<T>> Faulty(C wrapped) {
    this.connector = Objects.requireNonNull(wrapped, "wrapped");
    this.source = wrapped;
    this.feed = wrapped;
    this.destination = wrapped;
    this.lookup = wrapped;
  }

  /** {@code wrapped}, with no faults until {@link #inject} is called. */
  public static <T, C extends Connector & Source<T> & ChangeFeed<T> & Destination<T> & Lookup<T>> Faulty<T> around(C wrapped) {
    return new Faulty<>(wrapped);
  }

  /** Replaces the faults to inject, resetting their counters. */
  public void inject(Faults faults) {
    this.state = new State(Objects.requireNonNull(faults, "faults"));
  }

  @Override
  public ConnectorDescription description() {
    return connector.description();
  }

  @Override
  public void close() {
    connector.close();
  }

  @Override
  public Cursor<T> read(Checkpoint after) {
    State s = state;
    return source.read(after).peek(record -> s.maybeCrash(Faults.CrashPoint.READ, "after reading record '" + record.key() + "'"));
  }

  @Override
  public ChangeCursor<T> changes(Checkpoint after) {
    return feed.changes(after);
  }

  @Override
  public Optional<Instant> now() {
    return feed.now();
  }

  @Override
  public Map<String, Envelope<T>> lookup(Collection<String> keys) {
    return lookup.lookup(keys);
  }

  @Override
  public synchronized List<Outcome> write(List<Change<T>> batch) {
    State s = state;
    long call = s.writeCalls.incrementAndGet();
    if (s.draw(s.faults.transientWriteRate())) {
      throw new TransientException(this + ": write call " + call + " failed (injected)");
    }
    boolean partial = s.crashDue(Faults.CrashPoint.WRITE_PARTIAL);
    int applyCount = partial ? batch.size() / 2 : batch.size();
    Outcome[] outcomes = new Outcome[applyCount];
    List<Change<T>> passed = new ArrayList<>(applyCount);
    List<Integer> at = new ArrayList<>(applyCount);
    for (int i = 0; i < applyCount; i++) {
      Change<T> change = batch.get(i);
      if (s.rejects(change.key())) {
        outcomes[i] = Outcome.rejected(change.key(), null, "rejected by " + this + " (injected)");
      } else {
        passed.add(change);
        at.add(i);
      }
    }
    List<Outcome> written = passed.isEmpty() ? List.of() : destination.write(passed);
    for (int i = 0; i < at.size(); i++) {
      outcomes[at.get(i)] = written.get(i);
    }
    if (partial) {
      s.crash(Faults.CrashPoint.WRITE_PARTIAL, "after applying " + applyCount + " of " + batch.size() + " changes");
    }
    s.maybeCrash(Faults.CrashPoint.WRITE_UNACKED, "after applying a batch of " + batch.size() + ", before acknowledging it");
    if (s.draw(s.faults.lostAckRate())) {
      throw new TransientException(this + ": acknowledgement of write call " + call + " lost (injected)");
    }
    return List.of(outcomes);
  }

  /** Names the wrapped connector's system: {@code 'crm'}. */
  @Override
  public String toString() {
    return "'" + connector.description().system() + "'";
  }

  /** The counters of one {@link Faults} plan. */
  private final class State {
    final Faults faults;
    final Random random;
    final AtomicLong writeCalls = new AtomicLong();
    final AtomicLong changesWritten = new AtomicLong();
    final Map<Faults.CrashPoint, AtomicLong> occurrences = new EnumMap<>(Faults.CrashPoint.class);
    final Set<Faults.Crash> fired = Collections.synchronizedSet(new HashSet<>());
    final Set<String> rejected = Collections.synchronizedSet(new HashSet<>());

    State(Faults faults) {
      this.faults = faults;
      this.random = new Random(faults.seed());
      for (Faults.CrashPoint p : Faults.CrashPoint.values()) {
        occurrences.put(p, new AtomicLong());
      }
      rejected.addAll(faults.rejectedKeys());
    }

    boolean draw(double rate) {
      return rate > 0 && random.nextDouble() < rate;
    }

    boolean rejects(String key) {
      if (faults.rejectedWrites().contains(changesWritten.incrementAndGet())) {
        rejected.add(key);
      }
      return rejected.contains(key);
    }

    /** Counts an occurrence of {@code point} and says whether a planned crash is due at it. */
    boolean crashDue(Faults.CrashPoint point) {
      if (faults.crashes().isEmpty()) {
        return false;
      }
      long n = occurrences.get(point).incrementAndGet();
      for (Faults.Crash crash : faults.crashes()) {
        if (crash.point() == point && crash.nth() == n && fired.add(crash)) {
          return true;
        }
      }
      return false;
    }

    void maybeCrash(Faults.CrashPoint point, String where) {
      if (crashDue(point)) {
        crash(point, where);
      }
    }

    void crash(Faults.CrashPoint point, String where) {
      faults.onCrash().run();
      throw new SimulatedCrash(Faulty.this + " crashed at " + point + ", " + where);
    }
  }
}
