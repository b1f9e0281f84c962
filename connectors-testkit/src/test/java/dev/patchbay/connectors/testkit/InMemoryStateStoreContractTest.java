package dev.patchbay.connectors.testkit;

import dev.patchbay.core.state.StateStore;

class InMemoryStateStoreContractTest implements StateStoreContract {

  private final StateStore store = StateStore.inMemory();

  @Override
  public StateStore store() {
    return store;
  }
}
