package dev.patchbay.connectors.memory;

import dev.patchbay.connectors.testkit.*;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.memory.InMemoryStoreType;
import dev.patchbay.core.Envelope;
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

  /** The store holds any value as it is given: one of each kind the other connectors store. */
  @Override
  public Optional<TypedData> typedData() {
    return Optional.of(new TypedData(InMemoryStore.<Fields>create("typed"), List.of(
        Envelope.of("typed-0", Fields.of("t", "\ud83d\ude00 crlf\r\n", "n", Long.MIN_VALUE, "i", Integer.MAX_VALUE,
            "d", new java.math.BigDecimal("-0.0001"), "b", true, "day", java.time.LocalDate.of(1900, 1, 1),
            "at", java.time.LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_789),
            "inst", java.time.Instant.parse("1969-12-31T23:59:59.999999999Z"))),
        Envelope.of("typed-1", Fields.of("t", "")), Envelope.of("typed-2", Fields.of("t", ConnectorContract.longText(0))),
        Envelope.of("typed-3", Fields.of("t", ConnectorContract.longText(1))))));
  }

  @Override
  public Optional<InvalidSettings> invalidSettings() {
    return Optional.of(new InvalidSettings(new InMemoryStoreType(), Map.of("colour", "blue"),
        List.of("system", "dataElement", "colour")));
  }
}
