package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/** An aggregation's entities read and changed outside a run: a golden record asked for, a person's override. */
final class Entities {

  private Entities() {
  }

  static Optional<Entity> find(NamedState state, String mergeKey) {
    return Optional.ofNullable(Entity.CODEC.read(state, List.of(mergeKey)).get(mergeKey));
  }

  /**
   * The entity under {@code mergeKey} with its overrides changed by {@code change}, its golden record
   * written now and saved.
   */
  static GoldenRecord overriding(Aggregation agg, NamedState state, String mergeKey, UnaryOperator<Fields> change) {
    Entity e = find(state, mergeKey).filter(x -> !x.members().isEmpty()).orElseThrow(() -> new SetupException(
        "Aggregation '" + agg.name + "' has no entity under merge key '" + mergeKey + "' to override"));
    Entity changed = e.overriding(change.apply(e.overrides()));
    Golden golden = new Golden(agg, state, agg.destination, new dev.patchbay.patterns.internal.Retrying(agg.name, agg.retry));
    golden.add(changed);
    Golden.Written w = golden.write();
    Progress saved = state.progress(s -> { }).orElse(null);
    state.save(saved == null ? Progress.start(Instant.now()) : saved, w.entries());
    if (!w.failedKeys().isEmpty() || w.misfit() != null) {
      throw new SetupException("Aggregation '" + agg.name + "': the override of '" + mergeKey + "' was kept, but writing it"
          + " failed: " + w.outcomes());
    }
    return agg.merger.merge(changed.id(), changed.key(), changed.memberList(), changed.overrides(),
        ValueCounts.of(agg.merger, state, List.of(changed)));
  }
}
