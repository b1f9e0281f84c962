package dev.patchbay.core.state;

import dev.patchbay.core.codec.TypedJson;

import dev.patchbay.core.SetupException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** {@link StateStore#inMemory()}: one {@link EntryTable} a name, and the names held, under this object's lock. */
final class InMemoryStateStore implements StateStore {

  private final Map<String, EntryTable> tables = new HashMap<>();
  private final Set<String> held = new HashSet<>();

  @Override
  public synchronized NamedState open(String name) {
    Objects.requireNonNull(name, "name");
    if (!held.add(name)) {
      throw new SetupException("State '" + name + "' is held by another run in this process; one run per name at a time");
    }
    return new Held(name, tables.computeIfAbsent(name, n -> new EntryTable()));
  }

  private final class Held implements NamedState {
    private final String name;
    private final EntryTable table;
    private boolean closed;

    Held(String name, EntryTable table) {
      this.name = name;
      this.table = table;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Optional<Progress> progress(Consumer<String> warnings) {
      synchronized (InMemoryStateStore.this) {
        open();
        return Optional.ofNullable(table.progress());
      }
    }

    @Override
    public Map<String, Entry> entries(String space, Collection<String> keys) {
      synchronized (InMemoryStateStore.this) {
        open();
        return table.entries(space, keys);
      }
    }

    @Override
    public Map<String, Entry> entriesByAlias(String space, Collection<String> aliases) {
      synchronized (InMemoryStateStore.this) {
        open();
        return table.entriesByAlias(space, aliases);
      }
    }

    @Override
    public long count(String space, String tag) {
      synchronized (InMemoryStateStore.this) {
        open();
        return table.count(space, tag);
      }
    }

    @Override
    public void save(Progress progress, Collection<Entry> entries) {
      Objects.requireNonNull(progress, "progress");
      entries.forEach(e -> TypedJson.check(e.value()));   // refuses what a persistent store would
      synchronized (InMemoryStateStore.this) {
        open();
        table.apply(progress, table.checked(entries));
      }
    }

    @Override
    public void clear() {
      synchronized (InMemoryStateStore.this) {
        open();
        table.clear();
      }
    }

    @Override
    public void close() {
      synchronized (InMemoryStateStore.this) {
        if (!closed) {
          closed = true;
          held.remove(name);
        }
      }
    }

    private void open() {
      if (closed) {
        throw new IllegalStateException("state '" + name + "' was closed");
      }
    }
  }

  @Override
  public String toString() {
    return "StateStore.inMemory()";
  }
}
