package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.aggregation.Entity.Kept;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import dev.patchbay.patterns.internal.Failures;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a batch's changes do to the kept values: each record's values under its member id in its
 * merge key's entity, moved where its merge key changed, removed on its delete. The destination
 * the batch step writes to.
 */
final class Stager extends Staging {
  private final Input<?> input;

  Stager(Input<?> input, Aggregation agg, NamedState state, long run) {
    super(agg, state, run);
    this.input = input;
  }

  @Override
  List<Outcome> stage(List<Change<Fields>> wave) {
    List<String> ids = new ArrayList<>(wave.size());
    String[] mergeKeys = new String[wave.size()];
    Outcome[] outcomes = new Outcome[wave.size()];
    for (int i = 0; i < wave.size(); i++) {
      Change<Fields> c = wave.get(i);
      ids.add(Entity.memberId(input.name, c.key()));
      if (c instanceof Change.Upsert<Fields> u) {
        try {
          mergeKeys[i] = input.keyOf(u.record());
        } catch (DataException e) {
          outcomes[i] = new Outcome.Failed(c.key(), Stage.TRANSFORM, e.field(), e.reason());
        } catch (RuntimeException e) {
          if (e instanceof SetupException) {
            throw e;
          }
          outcomes[i] = new Outcome.Failed(c.key(), Stage.TRANSFORM, null, "the merge key failed: "
              + Failures.forReport(e, agg.reasonDetail));
        }
      }
    }
    loadMembers(ids);   // and the entities they are in
    Set<String> keys = new LinkedHashSet<>();
    for (String k : mergeKeys) {
      if (k != null) {
        keys.add(k);
      }
    }
    loadEntities(keys);
    List<Outcome> answered = new ArrayList<>(wave.size());
    for (int i = 0; i < wave.size(); i++) {
      answered.add(outcomes[i] != null ? outcomes[i] : stage(wave.get(i), ids.get(i), mergeKeys[i]));
    }
    return answered;
  }

  private Outcome stage(Change<Fields> c, String id, String mergeKey) {
    String was = entityOf.get(id);
    Kept prev = was == null ? null : entities.get(was).members().get(id);
    if (c instanceof Change.Delete<Fields>) {
      if (was == null) {
        return new Outcome.Skipped(c.key(), "deleted at input '" + input.name + "'; not in any entity");
      }
      put(was, entities.get(was).without(id), true);
      counts.add(prev == null ? null : prev.member(), -1);
      entityOf.remove(id);
      changedMembers.add(id);
      return Outcome.deleted(c.key());
    }
    Envelope<Fields> record = ((Change.Upsert<Fields>) c).record();
    Member member = new Member(input.name, c.key(), record.version(), record.payload());
    boolean same = prev != null && prev.member().equals(member) && was.equals(mergeKey);
    if (was != null && !was.equals(mergeKey)) {
      put(was, entities.get(was).without(id), true);
    }
    Entity e = entities.get(mergeKey);
    if (e == null) {   // none in the state (it was asked): a new entity
      e = Entity.minted(mergeKey, Instant.now());
      minted.add(mergeKey);
    }
    put(mergeKey, e.with(member, run), false);   // saved with the run's number even where the same: the sweep's mark
    if (!same) {
      touched.add(mergeKey);
      counts.add(prev == null ? null : prev.member(), -1);
      counts.add(member, +1);
    }
    if (prev == null) {
      joined.add(id);   // new to its entity: back after it was dropped, or moved (a second roster line is swept as one)
    }
    if (!mergeKey.equals(was)) {
      entityOf.put(id, mergeKey);
      changedMembers.add(id);
    }
    return same ? Outcome.unchanged(c.key()) : prev == null ? Outcome.created(c.key()) : Outcome.updated(c.key());
  }

  /** Records now out of the input's scope leave the entities they were members of: out of scope, nothing comes of them. */
  @Override
  void leave(List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<String> ids = keys.stream().map(k -> Entity.memberId(input.name, k)).toList();
    loadMembers(ids);
    for (String id : ids) {
      String key = entityOf.remove(id);
      if (key == null) {
        continue;
      }
      Kept prev = entities.get(key).members().get(id);
      put(key, entities.get(key).without(id), true);
      counts.add(prev == null ? null : prev.member(), -1);
      changedMembers.add(id);
    }
  }
}
