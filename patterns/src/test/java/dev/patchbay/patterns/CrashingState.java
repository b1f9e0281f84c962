package dev.patchbay.patterns;

import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/**
 * A state store that dies just before its n-th save is stored, or just after (saves counted over
 * every name and run), each crash once; and that shows each progress to a check before it is saved. {@code onCrash} runs first (a JVM halt never
 * returns); then a {@link SimulatedCrash} is thrown.
 */
public final class CrashingState implements StateStore {

  private final StateStore delegate;
  private final Set<Long> before;
  private final Set<Long> after;
  private final Runnable onCrash;
  private long saves;
  private java.util.function.Consumer<Progress> beforeEachSave = p -> { };

  public CrashingState(StateStore delegate, Set<Long> before, Set<Long> after, Runnable onCrash) {
    this.delegate = delegate;
    this.before = new HashSet<>(before);
    this.after = new HashSet<>(after);
    this.onCrash = onCrash;
  }

  /** Saves so far. */
  public synchronized long saves() {
    return saves;
  }

  /** Crashes before the save after {@code n} more saves (1: the next one). */
  public synchronized void crashBefore(long n) {
    before.add(saves + n);
  }

  /** Crashes right after the save after {@code n} more saves (1: the next one). */
  public synchronized void crashAfter(long n) {
    after.add(saves + n);
  }

  /** Runs {@code check} on each progress about to be saved, before the save (and any crash planned for it). */
  public synchronized CrashingState beforeEachSave(java.util.function.Consumer<Progress> check) {
    this.beforeEachSave = check;
    return this;
  }

  /** No crash planned any more. */
  public synchronized void disarm() {
    before.clear();
    after.clear();
  }

  @Override
  public NamedState open(String name) {
    return new ForwardingState(delegate.open(name)) {
      @Override
      public void save(Progress progress, Collection<Entry> entries) {
        long n;
        boolean crashBefore;
        synchronized (CrashingState.this) {
          n = ++saves;
          crashBefore = before.remove(n);
          beforeEachSave.accept(progress);
        }
        if (crashBefore) {
          crash("while saving state " + n + ", before it was stored");
        }
        state.save(progress, entries);
        boolean crashAfter;
        synchronized (CrashingState.this) {
          crashAfter = after.remove(n);
        }
        if (crashAfter) {
          crash("right after state " + n + " was stored");
        }
      }
    };
  }

  private void crash(String where) {
    onCrash.run();
    throw new SimulatedCrash("crash " + where);
  }
}
