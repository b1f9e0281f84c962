package dev.patchbay.connectors.testkit;

import dev.patchbay.core.outbox.Outbox;

/** The in-memory outbox held to the contract (one object a test: not durable across objects). */
class InMemoryOutboxContractTest implements OutboxContract {

  private final Outbox outbox = Outbox.inMemory();

  @Override
  public Outbox outbox() {
    return outbox;
  }

  @Override
  public boolean durable() {
    return false;
  }
}
