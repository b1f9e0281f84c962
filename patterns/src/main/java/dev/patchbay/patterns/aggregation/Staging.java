package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Change;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.state.Entry;
import java.util.List;
import java.util.Set;

/**
 * What one batch of an input's changes does to the kept entities: the destination the batch step
 * writes to. By merge key ({@link Stager}) or by matching ({@link MatchingStager}).
 */
interface Staging {

  /** The kept values changed by {@code wave} (at most one change per key), an outcome per change. */
  List<Outcome> stage(List<Change<Fields>> wave);

  /** Records (by their key in the input) now out of its scope leave their entities. */
  void leave(List<String> keys);

  /** The entries that save what was staged. */
  List<Entry> entries();

  /** The entities (by key) whose golden record may have changed. */
  Set<String> touched();

  /** Member ids new to the input: its roster's. */
  Set<String> joined();
}
