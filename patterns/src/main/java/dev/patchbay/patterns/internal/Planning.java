package dev.patchbay.patterns.internal;

import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.patterns.PlannedWrite;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The destination of a dry run: it writes nothing, and answers each change with the outcome it
 * would have, from what the destination holds (read by key, where it can be) and what this plan
 * wrote before; every write it would make is kept, in order. The pattern runs as ever around it.
 *
 * @param <T> the destination's payload type
 */
public final class Planning<T> implements Destination<T> {

  private final String destination;
  private final Lookup<T> holds;
  private final Retrying retrying;
  private final List<PlannedWrite<?>> writes;
  /** What this plan wrote by key: the record, or empty where it deleted it. */
  private final Map<String, Optional<Envelope<T>>> written = new HashMap<>();

  /**
   * @param holds what the destination holds, read by key; null where it cannot be read (each
   *              upsert is then planned as {@link PlannedWrite.Action#UPSERT}, each delete as a delete)
   * @param writes where the planned writes go, shared by the plan's destinations (kept in the order made)
   */
  public Planning(String destination, Lookup<T> holds, Retrying retrying, List<PlannedWrite<?>> writes) {
    this.destination = Objects.requireNonNull(destination, "destination");
    this.holds = holds;
    this.retrying = retrying;
    this.writes = writes;
  }

  /** The destination planned into: {@code destination} as a {@link Lookup} where it is one. */
  @SuppressWarnings("unchecked")
  public static <T> Planning<T> of(String name, Destination<T> destination, Retrying retrying, List<PlannedWrite<?>> writes) {
    return new Planning<>(name, destination instanceof Lookup<?> l ? (Lookup<T>) l : null, retrying, writes);
  }

  @Override
  public synchronized List<Outcome> write(List<Change<T>> batch) {
    Map<String, Envelope<T>> held = holds == null ? Map.of() : read(batch);
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Change<T> change : batch) {
      String key = change.key();
      Optional<Envelope<T>> mine = written.get(key);
      Envelope<T> current = mine != null ? mine.orElse(null) : held.get(key);
      boolean known = holds != null || mine != null;
      if (change instanceof Change.Upsert<T> upsert) {
        Envelope<T> desired = upsert.record();
        if (!known) {
          plan(PlannedWrite.Action.UPSERT, key, desired);
          outcomes.add(Outcome.updated(key));
        } else if (current == null) {
          plan(PlannedWrite.Action.CREATE, key, desired);
          outcomes.add(Outcome.created(key));
        } else if (current.equals(desired)) {
          outcomes.add(Outcome.unchanged(key));
        } else {
          plan(PlannedWrite.Action.UPDATE, key, desired);
          outcomes.add(Outcome.updated(key));
        }
        written.put(key, Optional.of(desired));
      } else if (known && current == null) {
        outcomes.add(Outcome.unchanged(key));
      } else {
        plan(PlannedWrite.Action.DELETE, key, current);
        outcomes.add(Outcome.deleted(key));
        written.put(key, Optional.empty());
      }
    }
    return outcomes;
  }

  private Map<String, Envelope<T>> read(List<Change<T>> batch) {
    List<String> keys = batch.stream().map(Change::key).filter(k -> !written.containsKey(k)).distinct().toList();
    return keys.isEmpty() ? Map.of() : retrying.call(() -> holds.lookup(keys));
  }

  private void plan(PlannedWrite.Action action, String key, Envelope<T> record) {
    synchronized (writes) {
      writes.add(new PlannedWrite<>(destination, action, key, record));
    }
  }

  @Override
  public String toString() {
    return "Planning[" + destination + "]";
  }
}
