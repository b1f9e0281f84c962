package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one batch of an input's changes does to the kept entities: the destination the batch step
 * writes to. By merge key ({@link Stager}) or by matching ({@link MatchingStager}); both keep here
 * the members and entities they loaded and changed, and save them the same way.
 */
abstract class Staging {

  final Aggregation agg;
  final NamedState state;
  /** The run's number: the mark of the members it read. */
  final long run;
  /** Member id to the key of its entity, as loaded, then as changed. */
  final Map<String, String> entityOf = new HashMap<>();
  final Map<String, Entity> entities = new HashMap<>();
  final Set<String> changedMembers = new LinkedHashSet<>();
  final Set<String> changedEntities = new LinkedHashSet<>();
  /** The entities (by key) whose golden record may have changed. */
  final Set<String> touched = new LinkedHashSet<>();
  /** Member ids new to the input: its roster's. */
  final Set<String> joined = new LinkedHashSet<>();
  /** Entities new in this batch: the list of all entities'. */
  final Set<String> minted = new LinkedHashSet<>();
  final ValueCounts counts;

  Staging(Aggregation agg, NamedState state, long run) {
    this.agg = agg;
    this.state = state;
    this.run = run;
    this.counts = new ValueCounts(agg.merger);
  }

  /** The kept values changed by {@code wave} (at most one change per key), an outcome per change. */
  abstract List<Outcome> stage(List<Change<Fields>> wave);

  /** Records (by their key in the input) now out of its scope leave their entities. */
  abstract void leave(List<String> keys);

  /** Entries of its own to save beside the members, entities and counts. */
  List<Entry> more() {
    return List.of();
  }

  /** Keeps {@code e} under {@code key}, to be saved; its golden record made again where {@code touches}. */
  final void put(String key, Entity e, boolean touches) {
    entities.put(key, e);
    changedEntities.add(key);
    if (touches) {
      touched.add(key);
    }
  }

  /** Loads the entity key of each of {@code ids} not loaded yet, and those entities. */
  final void loadMembers(Collection<String> ids) {
    List<String> unknown = ids.stream().filter(id -> !entityOf.containsKey(id)).distinct().toList();
    if (unknown.isEmpty()) {
      return;
    }
    Set<String> keys = new LinkedHashSet<>();
    state.entries(AggregationRun.MEMBERS, unknown).forEach((id, e) -> {
      Object entity = e.value().get("entity");
      if (entity != null) {
        entityOf.put(id, (String) entity);
        keys.add((String) entity);
      }
    });
    loadEntities(keys);
  }

  /** Loads the entities under {@code keys} not loaded yet (none where the state has none). */
  final void loadEntities(Collection<String> keys) {
    List<String> unknown = keys.stream().filter(k -> !entities.containsKey(k)).toList();
    if (!unknown.isEmpty()) {
      entities.putAll(Entity.CODEC.read(state, unknown));
    }
  }

  /** The entries that save what was staged; the entities whose counted values changed count are added to {@link #touched}. */
  final List<Entry> entries() {
    List<Entry> entries = new ArrayList<>();
    for (String id : changedMembers) {
      entries.add(new Entry(AggregationRun.MEMBERS, id, null, null, Fields.ofNullable("entity", entityOf.get(id))));
    }
    for (String key : changedEntities) {
      entries.add(Entity.CODEC.encode(key, entities.get(key)));
    }
    entries.addAll(more());
    entries.addAll(counts.entries(state, touched));
    entries.addAll(Roster.append(state, Roster.ENTITIES, minted));
    return entries;
  }
}
