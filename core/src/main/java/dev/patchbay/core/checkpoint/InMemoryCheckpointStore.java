package dev.patchbay.core.checkpoint;

import dev.patchbay.core.report.Progress;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

final class InMemoryCheckpointStore implements CheckpointStore {

  private final ConcurrentHashMap<String, Progress> saved = new ConcurrentHashMap<>();

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
