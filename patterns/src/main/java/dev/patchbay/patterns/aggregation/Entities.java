package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.Progress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** An aggregation's entities read and changed outside a run: a golden record asked for, a person's override. */
final class Entities {

  private Entities() {
  }

  /** The entity under {@code key}: a merge key, or a golden id (one merged away followed to the id that survived it). */
  static Optional<Entity> find(NamedState state, String key) {
    String at = key;
    for (int hops = 0; hops < 1000; hops++) {
      var redirect = state.entries(MatchingStager.REDIRECTS, List.of(at)).get(at);
      if (redirect == null) {
        break;
      }
      at = (String) redirect.value().get("to");
    }
    return Optional.ofNullable(Entity.CODEC.read(state, List.of(at)).get(at));
  }

  /**
   * The entity under {@code mergeKey} with its overrides changed by {@code change}, its golden record
   * written now and saved.
   */
  static GoldenRecord overriding(Aggregation agg, NamedState state, String mergeKey, UnaryOperator<Fields> change) {
    Entity e = find(state, mergeKey).filter(x -> !x.members().isEmpty()).orElseThrow(() -> new SetupException(
        "Aggregation '" + agg.name + "' has no entity under merge key '" + mergeKey + "' to override"));
    Entity changed = e.overriding(change.apply(e.overrides()));
    write(agg, state, List.of(changed), List.of(), "the override of '" + mergeKey + "'");
    return agg.merger.merge(changed.id(), changed.key(), changed.memberList(), changed.overrides(),
        ValueCounts.of(agg.merger, state, List.of(changed)));
  }

  /**
   * A person's split of the member {@code key} of input {@code input} from the other members of
   * the entity under golden id {@code id}: they are never merged again by the rule. The entities
   * touched are clustered again and written now; returns the golden records of the entity the
   * member left and of the one it is in now.
   */
  static List<GoldenRecord> unmerge(Aggregation agg, NamedState state, String id, String input, String key) {
    Entity e = find(state, id).filter(x -> !x.members().isEmpty()).orElseThrow(() -> new SetupException(
        "Aggregation '" + agg.name + "' has no entity under golden id '" + id + "'"));
    String member = Entity.memberId(input, key);
    if (!e.members().containsKey(member)) {
      throw new SetupException("Aggregation '" + agg.name + "': the entity '" + e.id() + "' has no member '" + key
          + "' of input '" + input + "'");
    }
    if (e.members().size() == 1) {
      throw new SetupException("Aggregation '" + agg.name + "': the member '" + key + "' of input '" + input
          + "' is alone in its entity '" + e.id() + "'; there is nothing to split it from");
    }
    MatchingStager stager = new MatchingStager(null, agg, state, 0);
    stager.split(member);
    List<Entry> staged = stager.entries();   // before the touched are read: it adds those whose counts changed
    List<Entity> touched = new ArrayList<>();
    stager.touched.forEach(k -> touched.add(stager.entities.get(k)));
    write(agg, state, touched, staged, "the split of '" + key + "' of input '" + input + "'");
    List<GoldenRecord> records = new ArrayList<>();
    var counts = ValueCounts.of(agg.merger, state, touched);
    for (String at : List.of(e.key(), stager.entityOf.get(member))) {
      Entity x = stager.entities.get(at);
      if (!x.members().isEmpty()) {
        records.add(agg.merger.merge(x.id(), x.key(), x.memberList(), x.overrides(), counts));
      }
    }
    return records;
  }

  /** Writes the golden records of {@code entities} and saves them, with {@code staged} (the entries they come of). */
  private static void write(Aggregation agg, NamedState state, List<Entity> entities, java.util.Collection<Entry> staged,
      String what) {
    Golden golden = new Golden(agg, state, agg.destination, new dev.patchbay.patterns.internal.Retrying(agg.name, agg.retry));
    entities.forEach(golden::add);
    Golden.Written w = golden.write();
    Map<String, Entry> all = new LinkedHashMap<>();
    staged.forEach(x -> all.put(x.space() + "\n" + x.key(), x));
    w.entries().forEach(x -> all.put(x.space() + "\n" + x.key(), x));
    Progress saved = state.progress(s -> { }).orElse(null);
    state.save(saved == null ? Progress.start(Instant.now()) : saved, all.values());
    if (!w.failedKeys().isEmpty() || w.misfit() != null) {
      throw new SetupException("Aggregation '" + agg.name + "': " + what + " was kept, but writing it failed: "
          + w.outcomes());
    }
  }
}
