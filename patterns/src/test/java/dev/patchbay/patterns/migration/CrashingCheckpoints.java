package dev.patchbay.patterns.migration;

import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.checkpoint.CheckpointStore;
import dev.patchbay.core.report.Progress;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/** A checkpoint store that dies just before the n-th save is stored, or just after; each crash fires once. */
final class CrashingCheckpoints implements CheckpointStore {

  private final CheckpointStore delegate;
  private final Set<Long> before;
  private final Set<Long> after;
  private final Runnable onCrash;
  private long saves;

  /** {@code onCrash} runs first (a JVM halt never returns); then a {@link SimulatedCrash} is thrown. */
  CrashingCheckpoints(CheckpointStore delegate, Set<Long> before, Set<Long> after, Runnable onCrash) {
    this.delegate = delegate;
    this.before = new HashSet<>(before);
    this.after = new HashSet<>(after);
    this.onCrash = onCrash;
  }

  @Override
  public Lock lock(String name) {
    return delegate.lock(name);
  }

  @Override
  public Optional<Progress> load(String name, Consumer<String> warnings) {
    return delegate.load(name, warnings);
  }

  @Override
  public void save(String name, Progress progress) {
    saves++;
    if (before.remove(saves)) {
      crash("while saving checkpoint " + saves + ", before it was stored");
    }
    delegate.save(name, progress);
    if (after.remove(saves)) {
      crash("right after checkpoint " + saves + " was stored");
    }
  }

  @Override
  public void clear(String name) {
    delegate.clear(name);
  }

  private void crash(String where) {
    onCrash.run();
    throw new SimulatedCrash("crash " + where);
  }
}
