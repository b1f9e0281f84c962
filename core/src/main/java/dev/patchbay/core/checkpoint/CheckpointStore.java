package dev.patchbay.core.checkpoint;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Progress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Keeps the {@link Progress} of named patterns between runs. A save is atomic: after a crash at
 * any moment, {@link #load} returns either the progress saved before or the one being saved,
 * never a mixture. Implementations are thread-safe.
 */
public interface CheckpointStore {

  /**
   * The last progress saved for {@code name}, if any.
   *
   * @param warnings told, in one line each, about anything a person should know (a corrupt file
   *                 passed over in favour of an older good one)
   * @throws SetupException if progress exists but none of it can be read
   */
  Optional<Progress> load(String name, Consumer<String> warnings);

  /** Saves {@code progress} for {@code name}, durably, replacing what was saved before. */
  void save(String name, Progress progress);

  /** Forgets the progress of {@code name}; the next run starts from the beginning. */
  void clear(String name);

  /**
   * Holds {@code name} for one run until the returned lock is closed: a second run of the same
   * name, in this process or (for a directory store) another, is refused while it is held.
   *
   * @throws SetupException naming the lock, where another run holds it
   */
  Lock lock(String name);

  /** A name held by one run; closing it lets the next run take it. */
  interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  /** A store in this process's memory: survives a failed run, not the process. */
  static CheckpointStore inMemory() {
    return new InMemoryCheckpointStore();
  }

  /**
   * A crash-safe store in {@code directory}: each save writes a temporary file, forces it to disk
   * and renames it atomically over the older of two checksummed files per name. A torn or corrupt
   * file is passed over in favour of the other, with a warning. A run holds an OS file lock on
   * {@code NAME.lock} in the directory, so that two processes never run one name at once.
   */
  static CheckpointStore directory(Path directory) {
    return new FileCheckpointStore(directory);
  }
}
