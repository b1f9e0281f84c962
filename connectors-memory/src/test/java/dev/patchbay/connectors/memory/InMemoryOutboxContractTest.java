package dev.patchbay.connectors.memory;

import dev.patchbay.connectors.testkit.OutboxContract;
import dev.patchbay.core.outbox.Outbox;

/** The in-memory outbox keeps the outbox contract, refusals and registry included, in one object (a fresh one per test). */
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
