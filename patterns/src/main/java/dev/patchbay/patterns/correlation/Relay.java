package dev.patchbay.patterns.correlation;

import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

/**
 * A side as the sync under a correlation sees it: reads by key, writes and the clock are the
 * system's own, but the change feed is what the correlation read, batch by batch. So the sync
 * decides exactly the changes the matching saw, after the matching saw them: a record that changed
 * after the correlation read its side waits for the next round of both, never synced by the sync
 * while the matching has not seen it. A checkpoint names this relay (one per correlation object)
 * and a place in its batches; one of another relay (a process before this one) reads from the
 * oldest batch held, which after a restart is every record.
 */
final class Relay implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {

  private final ChangeFeed<Fields> feed;
  private final Lookup<Fields> lookup;
  private final Destination<Fields> destination;
  private final String label;
  private final Object connector;
  private final String id = UUID.randomUUID().toString();
  private final List<List<Change<Fields>>> batches = new ArrayList<>();
  /** The number of the first batch held. */
  private long first;

  <C extends ChangeFeed<Fields> & Lookup<Fields> & Destination<Fields>> Relay(C connector) {
    this.feed = connector;
    this.lookup = connector;
    this.destination = connector;
    this.label = connector.toString();
    this.connector = connector;
  }

  /** The system's connector, as the host gave it (for its catalog description). */
  Object connector() {
    return connector;
  }

  /** The system's own change feed, for the correlation to read. */
  ChangeFeed<Fields> source() {
    return feed;
  }

  /** Hands the sync {@code changes}, after every batch handed before. */
  synchronized void offer(Collection<Change<Fields>> changes) {
    if (!changes.isEmpty()) {
      batches.add(new ArrayList<>(changes));
    }
  }

  /** Forgets every batch: the sync has read them all (its round completed), or the correlation reads afresh. */
  synchronized void clear() {
    first += batches.size();
    batches.clear();
  }

  @Override
  public synchronized ChangeCursor<Fields> changes(Checkpoint after) {
    long batch = first;
    int index = 0;
    String[] at = after.position().split(":");
    if (at.length == 3 && at[0].equals(id)) {
      batch = Long.parseLong(at[1]);
      index = Integer.parseInt(at[2]);
    }
    while (first < batch && !batches.isEmpty()) {   // read and saved by the sync: not needed again
      batches.remove(0);
      first++;
    }
    if (batch < first) {
      batch = first;
      index = 0;
    }
    List<List<Change<Fields>>> held = new ArrayList<>(batches.subList((int) (batch - first), batches.size()));
    long startBatch = batch;
    int startIndex = index;
    return new ChangeCursor<>() {
      /** Where the cursor is: a batch of {@code held}, a change in it; past a batch's end only in the last. */
      private int b;
      private int i = startIndex;

      private void settle() {
        while (b < held.size() - 1 && i >= held.get(b).size()) {
          b++;
          i = 0;
        }
      }

      @Override
      public boolean hasNext() {
        settle();
        return b < held.size() && i < held.get(b).size();
      }

      @Override
      public Change<Fields> next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return held.get(b).get(i++);
      }

      @Override
      public Checkpoint checkpoint() {
        settle();
        return Checkpoint.at(id + ":" + (startBatch + b) + ":" + i);
      }
    };
  }

  @Override
  public Optional<Instant> now() {
    return feed.now();
  }

  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    return lookup.lookup(keys);
  }

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    return destination.write(batch);
  }

  @Override
  public String toString() {
    return label;
  }
}
