package dev.patchbay.patterns.internal;

import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.MDC;

/**
 * The run lifecycle every pattern shares: one run at a time per pattern object, and per name across
 * processes (the state store's hold on the name); the pattern and its name in the MDC of the run's
 * thread (and, through {@link Threads}, of every thread it starts); the state held for the run.
 */
public final class Lifecycle {

  /** The MDC key of the pattern's kind ("migration", "sync"). */
  public static final String MDC_PATTERN = "patchbay.pattern";
  /** The MDC key of the pattern's name. */
  public static final String MDC_NAME = "patchbay.name";

  private final String pattern;
  private final String name;
  private final StateStore store;
  private final AtomicBoolean running = new AtomicBoolean();

  /** @param store where the name's state is held for a run; null for a pattern that holds none under its own name (a broadcast's runners hold their ledgers) */
  public Lifecycle(String pattern, String name, StateStore store) {
    this.pattern = Objects.requireNonNull(pattern, "pattern");
    this.name = Objects.requireNonNull(name, "name");
    this.store = store;
  }

  /**
   * Runs {@code work} on this thread with the name's state held and the MDC in place; both are let
   * go of when it ends, however it ends.
   *
   * @param busy the message of the {@link SetupException} thrown where a run of this object is under way
   * @throws SetupException with {@code busy}, or from the store where another process holds the name
   */
  public <R> R run(String busy, Function<NamedState, R> work) {
    return run(busy, name, work);
  }

  /** As {@link #run(String, Function)}, holding the state of {@code stateName} (a run's own: the pattern's name and its parameters). */
  public <R> R run(String busy, String stateName, Function<NamedState, R> work) {
    if (!running.compareAndSet(false, true)) {
      throw new SetupException(busy);
    }
    try {
      return inMdc(() -> {
        if (store == null) {
          return work.apply(null);
        }
        try (NamedState state = store.open(stateName)) {
          return work.apply(state);
        }
      });
    } finally {
      running.set(false);
    }
  }

  /** Runs {@code work} with the pattern and its name in the MDC; a pattern run inside another's (a correlation's sync) gives the outer's back. */
  public <R> R inMdc(java.util.function.Supplier<R> work) {
    String outerPattern = MDC.get(MDC_PATTERN);
    String outerName = MDC.get(MDC_NAME);
    MDC.put(MDC_PATTERN, pattern);
    MDC.put(MDC_NAME, name);
    try {
      return work.get();
    } finally {
      restoreMdc(MDC_PATTERN, outerPattern);
      restoreMdc(MDC_NAME, outerName);
    }
  }

  /** Puts {@code value} back under {@code key} in the MDC, or removes the key where it was null: what a nested run leaves behind. */
  private static void restoreMdc(String key, String value) {
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
  }
}
