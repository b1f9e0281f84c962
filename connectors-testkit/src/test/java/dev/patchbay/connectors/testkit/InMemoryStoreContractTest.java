package dev.patchbay.connectors.testkit;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.memory.InMemoryStoreType;
import dev.patchbay.core.Fields;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The in-memory connector keeps the whole contract. */
class InMemoryStoreContractTest implements ConnectorContract {

  @Override
  public Connector newConnector() {
    return InMemoryStore.<Fields>create("memory").describedAs("contacts", "Platform team", "email");
  }

  @Override
  public Optional<InvalidSettings> invalidSettings() {
    return Optional.of(new InvalidSettings(new InMemoryStoreType(), Map.of("colour", "blue"),
        List.of("system", "dataElement", "colour")));
  }
}
