package dev.patchbay.patterns.internal;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.patterns.DeletePolicy;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The batch step, written once: a batch of changes read from a source, each through the record
 * policy (the {@link RecordStep}'s scope and transform, the delete policy, the version filter), to
 * the changes to write; and, once those were answered, the batch's outcomes in record order and the
 * entries to save with its checkpoint. It neither reads, nor writes, nor saves: the driver reads
 * the batch, hands {@link Decided#waves} to its writer or {@link Pipeline}, and saves the entries
 * with its checkpoint; {@link #apply} does it all for one batch at a time (a migration, a
 * broadcast's runner, a Connect {@code SinkTask.put}).
 *
 * <p>The changes of a batch are decided in order, as if they came one by one, each key's state
 * ({@link Held}: its highest version, whether this step wrote it, under which key, whether it was
 * deleted) carried from one to the next; so what the destination ends with does not depend on where
 * batches begin and end.
 *
 * @param <S> the records read
 * @param <T> the records written
 */
public final class BatchStep<S, T> {

  /**
   * What a batch step does with a change besides scope and transform.
   *
   * @param deletes         whether a delete removes what the step wrote for the key
   * @param kept            how each key's {@link Held} is kept in the state ({@link Held#codec});
   *                        null where nothing is kept (a deleted key is then never held: its delete
   *                        is skipped)
   * @param versions        whether a change older than the version held of its key is skipped
   * @param versionsRestart whether a key's versions start over when it is created after a delete
   * @param eachChange      whether every change is written (a key's in successive waves); otherwise
   *                        only a key's last of the batch, the ones before it skipped as superseded
   */
  public record Policy(DeletePolicy deletes, EntryCodec<Held> kept, boolean versions, boolean versionsRestart,
                       boolean eachChange) {
    public Policy {
      Objects.requireNonNull(deletes, "deletes");
    }
  }

  private final RecordStep<S, T> step;
  private final Policy policy;

  public BatchStep(RecordStep<S, T> step, Policy policy) {
    this.step = Objects.requireNonNull(step, "step");
    this.policy = Objects.requireNonNull(policy, "policy");
  }

  /**
   * What the step holds of one source key: its highest version, whether it holds the record there,
   * under which key, and whether the last change seen of it was a delete. Saved small, one entry per
   * key, through {@link #codec}.
   */
  public record Held(long version, boolean written, String to, boolean deleted) {
    public static final Held NONE = new Held(0, false, null, false);

    /**
     * How a step's {@code Held}s are kept in {@code space}: {@code version}; {@code unwritten} where
     * nothing is held; {@code to} where the key written differs from the source key; {@code deleted}
     * after a delete. Reads the one-letter fields of earlier versions ({@code v}, {@code n},
     * {@code d}) too.
     */
    public static EntryCodec<Held> codec(String space) {
      Objects.requireNonNull(space, "space");
      return new EntryCodec<>() {
        @Override
        public String space() {
          return space;
        }

        @Override
        public Entry encode(String key, Held h) {
          return new Entry(space, key, null, null, Fields.ofNullable("version", h.version,
              "unwritten", h.written ? null : Boolean.TRUE, "to", key.equals(h.to) || h.to == null ? null : h.to,
              "deleted", h.deleted ? Boolean.TRUE : null));
        }

        @Override
        public Held decode(Entry e) {
          Fields v = e.value();
          Object version = v.has("version") ? v.get("version") : v.get("v");
          String to = (String) v.get("to");
          return new Held(version instanceof Long l ? l : 0, !(v.has("unwritten") || v.has("n")),
              to == null ? e.key() : to, v.has("deleted") || v.has("d"));
        }

        @Override
        public String toString() {
          return "Held.codec(" + space + ")";
        }
      };
    }
  }

  /**
   * Decides {@code records} in order. {@code early} holds, where not null, an outcome decided
   * before the step for the record at its index (unreadable, passed by a person); {@code heldOf}
   * answers the saved state of the keys asked (called once, only where the policy keeps state);
   * the step stops after the record whose failure makes more than {@code allowedFailures} of the
   * batch, the records after it not {@linkplain Decided#taken taken}.
   *
   * @throws RecordStep.Transient where the scope or the transform failed transiently
   */
  public Decided<T> decide(List<Change<S>> records, List<Outcome> early, Function<Collection<String>, Map<String, Held>> heldOf,
      long allowedFailures) {
    int size = records.size();
    Outcome[] outcomes = new Outcome[size];
    Map<String, Held> held = new HashMap<>(held(records, heldOf));
    Map<String, Integer> effective = new LinkedHashMap<>();   // source key -> index of the change to write
    TreeMap<Integer, Change<T>> changes = new TreeMap<>();
    Set<String> changed = new LinkedHashSet<>();
    int olderThanDelete = 0;
    int taken = size;
    long failures = 0;
    for (int i = 0; i < size; i++) {
      Outcome decided = early == null ? null : early.get(i);
      Change<S> record = records.get(i);
      if (decided == null) {
        String key = record.key();
        Held before = held.getOrDefault(key, Held.NONE);
        boolean delete = record instanceof Change.Delete<S>;
        long version = version(record);
        boolean reborn = !delete && before.deleted && policy.versionsRestart;   // a new life: its versions start over
        long highest = reborn ? version : Math.max(before.version, version);
        if (policy.versions && !reborn && version > 0 && before.version > version) {
          decided = new Outcome.Skipped(key, before.deleted
              ? "older than its delete at version " + before.version + " (where a key's versions start over when it is"
                  + " created again, declare Route.versionsRestartAfterDelete())"
              : "older than version " + before.version + ", delivered already");
          if (before.deleted) {
            olderThanDelete++;
          }
        } else {
          Object change = change(record, before);
          if (change instanceof Outcome o) {
            decided = o;
            held.put(key, new Held(highest, before.written, before.to, delete));
            changed.add(key);
          } else {
            @SuppressWarnings("unchecked")
            Change<T> write = (Change<T>) change;
            Integer earlier = policy.eachChange ? null : effective.remove(key);
            if (earlier != null) {
              outcomes[earlier] = new Outcome.Skipped(key, "superseded by a later change of the key in the same batch");
              changes.remove(earlier);
            }
            effective.put(key, i);
            changes.put(i, write);
            held.put(key, new Held(highest, write instanceof Change.Upsert<T>, write.key(), delete));
            changed.add(key);
          }
        }
      }
      if (decided != null) {
        outcomes[i] = decided;
        if (decided instanceof Outcome.Failed && ++failures > allowedFailures) {
          taken = i + 1;
          break;
        }
      }
    }
    Map<String, Held> after = new LinkedHashMap<>();
    changed.forEach(k -> after.put(k, held.get(k)));
    List<String> writtenFor = new ArrayList<>(changes.size());
    changes.keySet().forEach(i -> writtenFor.add(records.get(i).key()));
    return new Decided<>(outcomes, taken, changes, writtenFor, after, olderThanDelete, policy.kept);
  }

  /**
   * Decides {@code records}, writes the changes through {@code writer} wave by wave (one call a
   * wave, in order), and returns the batch's end: the one call a driver that writes one batch at a
   * time makes.
   *
   * @throws RecordStep.Transient where the scope or the transform failed transiently
   */
  public Result<T> apply(List<Change<S>> records, Function<Collection<String>, Map<String, Held>> heldOf,
      Function<List<Change<T>>, List<Outcome>> writer) {
    Decided<T> decided = decide(records, null, heldOf, Long.MAX_VALUE);
    List<Outcome> answered = new ArrayList<>(decided.writes().size());
    for (List<Change<T>> wave : decided.waves(1)) {
      answered.addAll(writer.apply(wave));
    }
    return decided.settle(decided.inWriteOrder(answered));
  }

  /** The saved state of the keys the batch needs: all where versions are kept, else those deleted. */
  private Map<String, Held> held(List<Change<S>> records, Function<Collection<String>, Map<String, Held>> heldOf) {
    if (policy.kept == null) {
      return Map.of();
    }
    Set<String> keys = new LinkedHashSet<>();
    for (Change<S> record : records) {
      if (record != null && (policy.versions || record instanceof Change.Delete<S>)) {
        keys.add(record.key());
      }
    }
    return keys.isEmpty() ? Map.of() : heldOf.apply(keys);
  }

  private static long version(Change<?> record) {
    return record instanceof Change.Upsert<?> u ? u.record().version() : ((Change.Delete<?>) record).version();
  }

  /** The change to write for {@code record}, or the outcome it ends with here. */
  private Object change(Change<S> record, Held held) {
    String key = record.key();
    if (record instanceof Change.Delete<S>) {
      if (policy.deletes == DeletePolicy.IGNORE) {
        return new Outcome.Skipped(key, "deleted at the source; DeletePolicy.IGNORE leaves the destination's record");
      }
      if (!held.written) {
        return new Outcome.Skipped(key, "deleted at the source; never written here: nothing to delete");
      }
      return new Change.Delete<T>(held.to, version(record));
    }
    Envelope<S> upsert = ((Change.Upsert<S>) record).record();
    RecordStep.Result<T> result = step.apply(upsert);
    return result.outcome() != null ? result.outcome() : Change.upsert(result.mapped());
  }

  /**
   * A batch decided: the outcomes decided without a write, the changes to write, the keys' state
   * after them.
   *
   * @param <T> the records written
   */
  public static final class Decided<T> {
    private final Outcome[] outcomes;
    private final int taken;
    private final List<Integer> order;
    private final List<Change<T>> writes;
    /** The source key of each of {@link #writes}. */
    private final List<String> writtenFor;
    private final Map<String, Held> held;
    private final int olderThanDelete;
    private final EntryCodec<Held> kept;
    /** The index in {@link #writes} of each change, wave by wave and part by part, as {@link #waves} last handed them out. */
    private List<Integer> handedOut;

    private Decided(Outcome[] outcomes, int taken, TreeMap<Integer, Change<T>> changes, List<String> writtenFor,
        Map<String, Held> held, int olderThanDelete, EntryCodec<Held> kept) {
      this.outcomes = outcomes;
      this.taken = taken;
      this.order = List.copyOf(changes.keySet());
      this.writes = List.copyOf(changes.values());
      this.writtenFor = writtenFor;
      this.held = held;
      this.olderThanDelete = olderThanDelete;
      this.kept = kept;
    }

    /** The records taken from the batch: all of it, unless the failure limit was crossed at the last taken. */
    public int taken() {
      return taken;
    }

    /** Whether the step stopped before the batch's end, at a failure past the limit. */
    public boolean limitCrossed() {
      return taken < outcomes.length;
    }

    /** The changes to write, in the order of their records. */
    public List<Change<T>> writes() {
      return writes;
    }

    /** The index of the record each of {@link #writes} is for. */
    public int recordOf(int write) {
      return order.get(write);
    }

    /** Upserts skipped as older than their key's delete (a version counter that started over?). */
    public int olderThanDelete() {
      return olderThanDelete;
    }

    /** The failures decided without a write. */
    public long failures() {
      long n = 0;
      for (Outcome o : outcomes) {
        n += o instanceof Outcome.Failed ? 1 : 0;
      }
      return n;
    }

    /**
     * The writes to make, in waves (a destination key's changes one per wave, in order; a wave
     * written after the one before it) and each wave in up to {@code parts} parts, split by key;
     * {@link #inWriteOrder} puts the answers, part by part, back in the order of {@link #writes}.
     */
    public List<List<Change<T>>> waves(int parts) {
      List<List<Integer>> waves = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < writes.size(); i++) {
        int wave = seen.merge(writes.get(i).key(), 1, Integer::sum) - 1;
        if (wave == waves.size()) {
          waves.add(new ArrayList<>());
        }
        waves.get(wave).add(i);
      }
      List<Integer> out = new ArrayList<>(writes.size());
      List<List<Change<T>>> steps = new ArrayList<>();
      for (List<Integer> wave : waves) {
        int n = Math.max(1, Math.min(parts, wave.size()));
        List<List<Integer>> split = new ArrayList<>();
        for (int p = 0; p < n; p++) {
          split.add(new ArrayList<>());
        }
        wave.forEach(i -> split.get(Math.floorMod(writes.get(i).key().hashCode(), n)).add(i));
        for (List<Integer> part : split) {
          if (!part.isEmpty()) {
            out.addAll(part);
            steps.add(part.stream().map(writes::get).toList());
          }
        }
      }
      handedOut = out;
      return steps;
    }

    /** {@code answered}, one outcome per change in the order {@link #waves} handed them out, in the order of {@link #writes}. */
    public List<Outcome> inWriteOrder(List<Outcome> answered) {
      if (answered.size() != writes.size()) {
        throw new IllegalArgumentException(answered.size() + " outcomes for " + writes.size() + " writes");
      }
      Outcome[] out = new Outcome[writes.size()];
      for (int k = 0; k < answered.size(); k++) {
        out[handedOut.get(k)] = answered.get(k);
      }
      return java.util.Arrays.asList(out);
    }

    /**
     * Each key the batch changes, as it holds once the batch's writes are made: for a driver that
     * saves ahead of its writes (a key whose write is then refused keeps what it held).
     */
    public Map<String, Held> heldAfter() {
      return java.util.Collections.unmodifiableMap(held);
    }

    /**
     * The batch's end, once the destination answered its writes: {@code answered} holds one
     * outcome per change, in the order of {@link #writes}. A key whose write failed keeps the state
     * it had.
     */
    public Result<T> settle(List<Outcome> answered) {
      if (answered.size() != writes.size()) {
        throw new IllegalArgumentException(answered.size() + " outcomes for " + writes.size() + " writes");
      }
      Outcome[] all = outcomes.clone();
      List<Change<T>> made = new ArrayList<>(writes.size());
      Map<String, Held> after = new LinkedHashMap<>(held);
      for (int w = 0; w < answered.size(); w++) {
        Outcome o = Objects.requireNonNull(answered.get(w), "outcome");
        all[order.get(w)] = o;
        if (o instanceof Outcome.Failed) {
          after.remove(writtenFor.get(w));   // refused: the key stays as it was held
        } else {
          made.add(writes.get(w));
        }
      }
      List<Entry> entries = new ArrayList<>();
      if (kept != null) {
        after.forEach((key, h) -> entries.add(kept.encode(key, h)));
      }
      return new Result<>(List.of(java.util.Arrays.copyOf(all, taken)), List.copyOf(made), entries, Writes.misfit(answered));
    }

  }

  /**
   * A batch's end: an outcome per record taken, in record order; the changes the destination
   * accepted; the entries to save with the batch's checkpoint; and {@code misfit}, the field the
   * destination had no place for in every record written (two or more, each failed at
   * {@link Stage#MAPPING} on that field), else null: a setup error, not the records', for which
   * the driver stops (or parks) without saving the batch as done.
   */
  public record Result<T>(List<Outcome> outcomes, List<Change<T>> writes, List<Entry> entries, String misfit) {

    /** The setup error a {@link #misfit} is, worded for {@code who} ("Migration 'm'"), its batch after {@code where}. */
    public String misfitMessage(String who, String where) {
      return who + ": the destination has no place for field '" + misfit + "' in any record the batch after "
          + where + " wrote (each failed at " + Stage.MAPPING + "); a setup error, not the records':"
          + " nothing of the batch was saved as done. Map the field away in the transform or give the destination a place"
          + " for it; the next run takes the batch again";
    }
  }
}
