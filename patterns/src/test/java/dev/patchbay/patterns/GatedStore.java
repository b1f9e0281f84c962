package dev.patchbay.patterns;

import dev.patchbay.connectors.memory.InMemoryStore;
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
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** An in-memory system whose writes and change reads pass a gate each; not a connector, so it declares nothing. */
public final class GatedStore implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {

  public final InMemoryStore<Fields> store;
  private final Gate writes;
  private final Gate reads;

  public GatedStore(String name, Gate writes, Gate reads) {
    this.store = InMemoryStore.create(name);
    this.writes = writes;
    this.reads = reads;
  }

  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    writes.pass();
    return store.write(batch);
  }

  @Override
  public ChangeCursor<Fields> changes(Checkpoint after) {
    reads.pass();
    return store.changes(after);
  }

  @Override
  public Optional<Instant> now() {
    return store.now();
  }

  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    return store.lookup(keys);
  }

  @Override
  public String toString() {
    return store.toString();
  }
}
