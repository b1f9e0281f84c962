package dev.patchbay.core.checkpoint;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Progress;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

final class InMemoryCheckpointStore implements CheckpointStore {

  private final ConcurrentHashMap<String, Progress> saved = new ConcurrentHashMap<>();
  private final Set<String> held = ConcurrentHashMap.newKeySet();

  @Override
  public Lock lock(String name) {
    if (!held.add(Objects.requireNonNull(name, "name"))) {
      throw new SetupException("Checkpoint '" + name + "' is held by another run in this process (in-memory store);"
          + " one run per name at a time");
    }
    return () -> held.remove(name);
  }

  @Override
  public Optional<Progress> load(String name, Consumer<String> warnings) {
    return Optional.ofNullable(saved.get(Objects.requireNonNull(name, "name")));
  }

  @Override
  public void save(String name, Progress progress) {
    saved.put(Objects.requireNonNull(name, "name"), Objects.requireNonNull(progress, "progress"));
  }

  @Override
  public void clear(String name) {
    saved.remove(Objects.requireNonNull(name, "name"));
  }

  @Override
  public String toString() {
    return "CheckpointStore[in memory]";
  }
}
