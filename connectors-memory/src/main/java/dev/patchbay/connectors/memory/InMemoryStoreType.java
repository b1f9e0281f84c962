package dev.patchbay.connectors.memory;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.connectors.Setting;
import dev.patchbay.connectors.Settings;
import java.nio.file.Path;
import java.util.List;

/**
 * The connector type {@code memory}: an {@link InMemoryStore} of {@code Fields}, journaled when a
 * {@code journal} file is given. Registered for {@link java.util.ServiceLoader} discovery.
 */
public final class InMemoryStoreType implements ConnectorType {

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public List<Setting> settings() {
    return List.of(
        Setting.required("system", Setting.Kind.TEXT, "the system's name"),
        Setting.required("dataElement", Setting.Kind.TEXT, "the kind of record held"),
        Setting.optional("owner", Setting.Kind.TEXT, "who is accountable for the system"),
        Setting.optional("journal", Setting.Kind.TEXT, "a file that keeps the records durable"));
  }

  @Override
  public Connector open(Settings settings) {
    String system = settings.text("system").orElseThrow();
    InMemoryStore<dev.patchbay.core.Fields> store = settings.text("journal")
        .map(j -> InMemoryStore.journaled(system, Path.of(j)))
        .orElseGet(() -> InMemoryStore.create(system));
    return store.describedAs(settings.text("dataElement").orElseThrow(), settings.text("owner").orElse(null));
  }
}
