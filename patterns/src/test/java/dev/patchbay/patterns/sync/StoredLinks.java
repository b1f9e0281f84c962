package dev.patchbay.patterns.sync;

import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.util.Collection;
import java.util.Map;

/** A sync's links as its state store holds them between rounds, for tests to look at. */
final class StoredLinks {

  private StoredLinks() {
  }

  static Map<String, Link> byA(StateStore store, String sync, Collection<String> aKeys) {
    try (NamedState state = store.open(sync)) {
      return new Links(state, w -> { }).byA(aKeys);
    }
  }

  static Map<String, Link> byB(StateStore store, String sync, Collection<String> bKeys) {
    try (NamedState state = store.open(sync)) {
      return new Links(state, w -> { }).byB(bKeys);
    }
  }

  static SyncPosition position(StateStore store, String sync) {
    try (NamedState state = store.open(sync)) {
      return new Links(state, w -> { }).position();
    }
  }
}
