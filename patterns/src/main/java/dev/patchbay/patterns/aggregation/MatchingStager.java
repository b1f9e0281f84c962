package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.aggregation.Clustering.Edge;
import dev.patchbay.patterns.aggregation.Entity.Kept;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a batch's changes do to entities found by matching. Each changed record's component (the
 * records its old entity held, and every record reachable from those by a pair the rule scores at
 * or over the threshold, found through the blocking index) is clustered again by
 * {@link Clustering}; golden ids follow the members: each old entity's id goes to the new entity
 * holding most of its members, an entity offered several keeps the oldest and the others redirect
 * to it, an entity offered none is minted one. Records outside the component keep their entities,
 * so that a batch gives what clustering all records at once gives.
 */
final class MatchingStager extends Staging {

  /** Space of the blocking index: a digest of a blocking key to the member ids filed under it. */
  static final String BLOCKS = "block";
  /** Space of a person's splits: member id to the member ids it is never merged with. */
  static final String APART = "apart";
  /** Space of merged-away golden ids: id to the id that survived it. */
  static final String REDIRECTS = "redirect";

  private final String inputName;
  private final Aggregation.Matching matching;
  private final Map<String, Set<String>> blocks = new HashMap<>();
  private final Map<String, Set<String>> apart = new HashMap<>();
  private final Set<String> changedBlocks = new LinkedHashSet<>();
  private final Set<String> changedApart = new LinkedHashSet<>();
  private final Map<String, String> redirects = new LinkedHashMap<>();
  /** The member a person splits off: on a tie for an id, the part without it keeps the id. */
  private String splitting;

  /** @param inputName the input whose changes are staged; null where none are (a person's split) */
  MatchingStager(String inputName, Aggregation agg, NamedState state, long run) {
    super(agg, state, run);
    this.inputName = inputName;
    this.matching = agg.matching;
  }

  @Override
  List<Outcome> stage(List<Change<Fields>> wave) {
    List<String> ids = new ArrayList<>(wave.size());
    wave.forEach(c -> ids.add(Entity.memberId(inputName, c.key())));
    loadMembers(ids);
    Map<String, Member> now = new LinkedHashMap<>();
    List<Outcome> outcomes = new ArrayList<>(wave.size());
    for (int i = 0; i < wave.size(); i++) {
      Change<Fields> c = wave.get(i);
      String id = ids.get(i);
      String was = entityOf.get(id);
      Kept prev = was == null ? null : entities.get(was).members().get(id);
      if (c instanceof Change.Delete<Fields>) {
        if (prev == null) {
          outcomes.add(new Outcome.Skipped(c.key(), "deleted at input '" + inputName + "'; not in any entity"));
          continue;
        }
        now.put(id, null);
        counts.add(prev.member(), -1);
        outcomes.add(Outcome.deleted(c.key()));
        continue;
      }
      Envelope<Fields> record = ((Change.Upsert<Fields>) c).record();
      Member member = new Member(inputName, c.key(), record.version(), record.payload());
      if (prev != null && prev.member().equals(member)) {
        put(was, entities.get(was).with(member, run), false);   // read this run: the sweep's mark
        outcomes.add(Outcome.unchanged(c.key()));
        continue;
      }
      now.put(id, member);
      counts.add(prev == null ? null : prev.member(), -1);
      counts.add(member, +1);
      if (prev == null) {
        joined.add(id);
      }
      outcomes.add(prev == null ? Outcome.created(c.key()) : Outcome.updated(c.key()));
    }
    recluster(now.keySet(), now);
    return outcomes;
  }

  @Override
  void leave(List<String> keys) {
    if (keys.isEmpty()) {
      return;
    }
    List<Change<Fields>> deletes = new ArrayList<>(keys.size());
    keys.forEach(k -> deletes.add(Change.delete(k)));
    stage(deletes);
  }

  /** A person splits {@code memberId} from every other member of its entity: never merged with them again by the rule. */
  void split(String memberId) {
    loadMembers(List.of(memberId));
    String was = entityOf.get(memberId);
    if (was == null) {
      return;
    }
    Set<String> others = new TreeSet<>(entities.get(was).members().keySet());
    others.remove(memberId);
    loadApart(others);
    loadApart(List.of(memberId));
    for (String o : others) {
      apart.get(memberId).add(o);
      apart.get(o).add(memberId);
      changedApart.add(o);
    }
    changedApart.add(memberId);
    splitting = memberId;
    recluster(Set.of(memberId), Map.of());
  }

  /**
   * Clusters again the component of {@code seeds}, where {@code now} holds the seeds' new values
   * (null: removed); a seed not in {@code now} keeps its kept values.
   */
  private void recluster(Set<String> seeds, Map<String, Member> now) {
    if (seeds.isEmpty()) {
      return;
    }
    index(now);
    Map<String, Member> component = new LinkedHashMap<>();
    List<String> frontier = new ArrayList<>();
    Set<String> reached = new HashSet<>();
    Set<String> olds = new LinkedHashSet<>();
    reach(new ArrayList<>(seeds), now, component, frontier, reached, olds);   // the seeds' entities were loaded by who staged them
    Set<Edge> edges = new HashSet<>();
    Set<String> scored = new HashSet<>();
    while (!frontier.isEmpty()) {
      List<String> level = new ArrayList<>(frontier);
      frontier.clear();
      Map<String, Set<String>> keysOf = new LinkedHashMap<>();
      Set<String> blockKeys = new LinkedHashSet<>();
      for (String id : level) {
        Set<String> keys = blockKeys(component.get(id).values());
        keysOf.put(id, keys);
        blockKeys.addAll(keys);
      }
      loadBlocks(blockKeys);
      Set<String> candidates = new LinkedHashSet<>();
      keysOf.values().forEach(keys -> keys.forEach(k -> candidates.addAll(blocks.get(k))));
      List<String> unknown = new ArrayList<>();
      candidates.forEach(c -> {
        if (!reached.contains(c)) {
          unknown.add(c);
        }
      });
      loadMembers(unknown);
      List<String> found = new ArrayList<>();
      for (String id : level) {
        Member a = component.get(id);
        for (String k : keysOf.get(id)) {
          for (String c : blocks.get(k)) {
            Member b = component.containsKey(c) ? component.get(c) : current(c, now);
            if (b == null || b.source().equals(a.source()) || !scored.add(id.compareTo(c) < 0 ? id + "\n" + c : c + "\n" + id)) {
              continue;
            }
            double score = matching.rule().value(a.values(), b.values());
            if (score >= matching.threshold()) {
              edges.add(Edge.of(id, c, score));
              if (!reached.contains(c)) {
                found.add(c);
              }
            }
          }
        }
      }
      reach(found, now, component, frontier, reached, olds);
    }
    loadApart(component.keySet());
    List<TreeSet<String>> clusters = Clustering.of(component.keySet(), id -> component.get(id).source(), edges,
        id -> apart.getOrDefault(id, Set.of()));
    assign(clusters, component, now, olds);
  }

  /**
   * Adds {@code ids} to the component with the other members of their entities (whose entity is
   * made again with them), each with its values now; removed records are reached, not added.
   */
  private void reach(List<String> ids, Map<String, Member> now, Map<String, Member> component, List<String> frontier,
      Set<String> reached, Set<String> olds) {
    List<String> more = new ArrayList<>();
    for (String id : ids) {
      String e = entityOf.get(id);
      if (e != null && olds.add(e)) {
        more.addAll(entities.get(e).members().keySet());
      }
    }
    loadMembers(more);
    List<String> all = new ArrayList<>(ids);
    all.addAll(more);
    for (String id : all) {
      if (!reached.add(id)) {
        continue;
      }
      Member m = current(id, now);
      if (m != null) {
        component.put(id, m);
        frontier.add(id);
      }
    }
  }

  /** The values of member {@code id} now: {@code now}'s where it changed in this batch, else the kept ones. */
  private Member current(String id, Map<String, Member> now) {
    if (now.containsKey(id)) {
      return now.get(id);
    }
    String e = entityOf.get(id);
    Kept k = e == null ? null : entities.get(e).members().get(id);
    return k == null ? null : k.member();
  }

  /** The blocking index made to file each changed record under the keys of its new values only. */
  private void index(Map<String, Member> now) {
    Map<String, Set<String>[]> moves = new LinkedHashMap<>();
    Set<String> all = new LinkedHashSet<>();
    for (Map.Entry<String, Member> c : now.entrySet()) {
      String e = entityOf.get(c.getKey());
      Kept was = e == null ? null : entities.get(e).members().get(c.getKey());
      Set<String> before = was == null ? Set.of() : blockKeys(was.member().values());
      Set<String> after = c.getValue() == null ? Set.of() : blockKeys(c.getValue().values());
      @SuppressWarnings("unchecked")
      Set<String>[] move = new Set[] {before, after};
      moves.put(c.getKey(), move);
      all.addAll(before);
      all.addAll(after);
    }
    loadBlocks(all);
    moves.forEach((id, move) -> {
      for (String k : move[0]) {
        if (!move[1].contains(k) && blocks.get(k).remove(id)) {
          changedBlocks.add(k);
        }
      }
      for (String k : move[1]) {
        if (blocks.get(k).add(id)) {
          changedBlocks.add(k);
        }
      }
    });
  }

  /** The new entities' golden ids, members and overrides; old entities left empty redirect or are deleted. */
  private void assign(List<TreeSet<String>> clusters, Map<String, Member> component, Map<String, Member> now,
      Set<String> olds) {
    Map<String, Integer> winner = new LinkedHashMap<>();
    for (String old : olds) {
      Set<String> members = entities.get(old).members().keySet();
      int best = -1;
      int most = 0;
      for (int i = 0; i < clusters.size(); i++) {
        int n = 0;
        for (String m : members) {
          n += clusters.get(i).contains(m) ? 1 : 0;
        }
        if (n > most || n == most && n > 0 && splitting != null && clusters.get(best).contains(splitting)) {
          best = i;
          most = n;
        }
      }
      if (best >= 0) {
        winner.put(old, best);
      }
    }
    Map<String, Kept> keptBefore = new HashMap<>();   // before any entity is made again: a member's run mark is its own
    for (String id : component.keySet()) {
      String from = entityOf.get(id);
      Kept k = from == null ? null : entities.get(from).members().get(id);
      if (k != null) {
        keptBefore.put(id, k);
      }
    }
    Comparator<Entity> oldest = Comparator.comparing((Entity e) -> e.minted()).thenComparing(Entity::id);
    Set<String> kept = new HashSet<>();
    for (int i = 0; i < clusters.size(); i++) {
      TreeSet<String> cluster = clusters.get(i);
      List<Entity> offered = new ArrayList<>();
      for (Map.Entry<String, Integer> w : winner.entrySet()) {
        if (w.getValue() == i) {
          offered.add(entities.get(w.getKey()));
        }
      }
      offered.sort(oldest);
      Entity base;
      if (offered.isEmpty()) {
        String id = java.util.UUID.randomUUID().toString();
        base = new Entity(id, id, Instant.now(), null, Map.of(), Fields.empty());
        minted.add(id);
      } else {
        base = offered.get(0);
      }
      kept.add(base.key());
      Fields overrides = base.overrides();
      for (Entity o : offered.subList(Math.min(1, offered.size()), offered.size())) {
        for (String f : o.overrides().names()) {
          if (!overrides.has(f)) {
            overrides = overrides.with(f, o.overrides().get(f));
          }
        }
        redirects.put(o.key(), base.key());
      }
      Map<String, Kept> members = new LinkedHashMap<>();
      boolean same = base.members().keySet().equals(cluster);
      for (String id : cluster) {
        boolean changed = now.containsKey(id);
        same &= !changed;
        String from = entityOf.get(id);
        Kept k = keptBefore.get(id);
        members.put(id, changed || k == null ? new Kept(component.get(id), run) : k);
        if (!base.key().equals(from)) {
          entityOf.put(id, base.key());
          changedMembers.add(id);
        }
      }
      put(base.key(), new Entity(base.key(), base.id(), base.minted(), base.written(), members, overrides), !same
          || !overrides.equals(base.overrides()));
    }
    for (String old : olds) {
      if (!kept.contains(old)) {
        Entity e = entities.get(old);
        put(old, new Entity(e.key(), e.id(), e.minted(), e.written(), Map.of(), e.overrides()), true);
      }
    }
    for (Map.Entry<String, Member> c : now.entrySet()) {
      if (c.getValue() == null && entityOf.remove(c.getKey()) != null) {
        changedMembers.add(c.getKey());
      }
    }
  }

  private Set<String> blockKeys(Fields values) {
    Set<String> keys = new LinkedHashSet<>();
    for (String k : matching.blocking().keys(values)) {
      keys.add(Golden.sha256(k));
    }
    return keys;
  }

  private void loadBlocks(Collection<String> keys) {
    load(BLOCKS, keys, blocks);
  }

  private void loadApart(Collection<String> ids) {
    load(APART, ids, apart);
  }

  /** Loads into {@code sets} the kept sets of ids under {@code keys} of {@code space} not loaded yet (empty where none). */
  private void load(String space, Collection<String> keys, Map<String, Set<String>> sets) {
    List<String> unknown = keys.stream().filter(k -> !sets.containsKey(k)).distinct().toList();
    if (unknown.isEmpty()) {
      return;
    }
    Map<String, Entry> kept = state.entries(space, unknown);
    for (String k : unknown) {
      Entry e = kept.get(k);
      Object ids = e == null ? null : e.value().get("ids");
      sets.put(k, ids == null ? new TreeSet<>() : new TreeSet<>(Keys.split((String) ids)));
    }
  }

  @Override
  List<Entry> more() {
    List<Entry> entries = new ArrayList<>();
    for (String k : changedBlocks) {
      Set<String> ids = blocks.get(k);
      entries.add(new Entry(BLOCKS, k, null, null, ids.isEmpty() ? Fields.empty() : Fields.of("ids", Keys.join(ids))));
    }
    for (String k : changedApart) {
      entries.add(new Entry(APART, k, null, null, Fields.of("ids", Keys.join(apart.get(k)))));
    }
    redirects.forEach((from, to) -> entries.add(new Entry(REDIRECTS, from, null, null, Fields.of("to", to))));
    return entries;
  }
}
