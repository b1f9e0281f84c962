package dev.patchbay.connectors.memory;

import dev.patchbay.connectors.*;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.memory.InMemoryStoreType;
import dev.patchbay.core.SetupException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConnectorRegistryTest {

  private final Connector accounts = InMemoryStore.create("crm").describedAs("accounts", "Sales");
  private final Connector invoices = InMemoryStore.create("billing").describedAs("invoices", null);

  @Test
  void aFailedLookup_namesWhatWasAsked_andListsWhatIsRegistered() {
    ConnectorRegistry registry = ConnectorRegistry.builder().connector(invoices).connector(accounts).build();
    assertEquals(accounts, registry.connector("crm", "accounts"));
    assertEquals("No connector for system 'crm', data element 'contacts'; registered: billing/invoices, crm/accounts",
        assertThrows(SetupException.class, () -> registry.connector("crm", "contacts")).getMessage());
    assertEquals("No connector type 'jdbc'; registered types: none",
        assertThrows(SetupException.class, () -> registry.type("jdbc")).getMessage());
  }

  @Test
  void registration_isExplicit_andDiscoveryIsOnRequest() {
    assertThrows(SetupException.class, () -> ConnectorRegistry.builder().build().type("memory"));
    ConnectorRegistry discovered = ConnectorRegistry.builder().discover(getClass().getClassLoader()).build();
    assertTrue(discovered.type("memory") instanceof InMemoryStoreType);
    assertEquals("A connector for crm/accounts is already registered",
        assertThrows(SetupException.class, () -> ConnectorRegistry.builder().connector(accounts).connector(accounts)).getMessage());
  }

  @Test
  void settings_areCheckedAgainstTheType_everyErrorAtOnce() {
    ConnectorRegistry registry = ConnectorRegistry.builder().type(new InMemoryStoreType()).build();
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("owner", "Ops");
    bad.put("colour", "blue");
    SetupException e = assertThrows(SetupException.class, () -> registry.open("memory", bad));
    assertEquals("Connector type 'memory' has 3 invalid settings: system is required (the system's name);"
        + " dataElement is required (the kind of record held);"
        + " colour is not a setting of this type (its settings: system, dataElement, owner, journal)", e.getMessage());

    Connector opened = registry.open("memory", Map.of("system", "crm", "dataElement", "contacts", "owner", "Ops"));
    assertEquals("crm/contacts", opened.description().id());
    assertEquals("Ops", opened.description().owner());
  }

  /** A broken provider (here: a class its jar lacks) does not hide the types beside it, and a failed lookup names it. */
  @Test
  void discovery_passesOverAProviderThatCannotBeLoaded_andNamesItWhenATypeIsMissing(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    java.nio.file.Path services = java.nio.file.Files.createDirectories(dir.resolve("META-INF/services"));
    java.nio.file.Files.writeString(services.resolve(dev.patchbay.connectors.ConnectorType.class.getName()), "com.example.MissingType\n");
    try (java.net.URLClassLoader broken = new java.net.URLClassLoader(new java.net.URL[] {dir.toUri().toURL()}, getClass().getClassLoader())) {
      ConnectorRegistry registry = ConnectorRegistry.builder().discover(broken).build();
      assertTrue(registry.type("memory") instanceof InMemoryStoreType, "the loadable types are registered");
      SetupException e = assertThrows(SetupException.class, () -> registry.type("missing"));
      assertTrue(e.getMessage().contains("found but not loadable") && e.getMessage().contains("com.example.MissingType"), e.getMessage());
    }
  }

  @Test
  void numbersAndFlags_areParsed_andBadOnesNamed() {
    List<Setting> declared = List.of(Setting.required("batchSize", Setting.Kind.WHOLE_NUMBER, "rows per batch"),
        Setting.optional("ssl", Setting.Kind.BOOLEAN, "encrypt"));
    assertEquals("Connector type 't' has 2 invalid settings: batchSize must be a whole number, was 'ten';"
            + " ssl must be true or false, was 'yes'",
        assertThrows(SetupException.class, () -> Settings.check("t", declared, Map.of("batchSize", "ten", "ssl", "yes"))).getMessage());
    Settings ok = Settings.check("t", declared, Map.of("batchSize", "500", "ssl", "TRUE"));
    assertEquals(500L, ok.number("batchSize").orElseThrow());
    assertEquals(true, ok.flag("ssl").orElseThrow());
  }

  @Test
  void defaults_fillWhatIsAbsent_andBoundsAndChoicesAreChecked_namingTheSetting() {
    List<Setting> declared = List.of(
        Setting.optional("pageSize", Setting.Kind.WHOLE_NUMBER, "rows per page").withDefault("1000").atLeast(1),
        Setting.optional("mode", Setting.Kind.TEXT, "how").withDefault("changes").oneOf("changes", "all"),
        Setting.optional("token", Setting.Kind.SECRET, "a token").oneOf("a", "b"));
    Settings defaults = Settings.check("t", declared, Map.of());
    assertEquals(1000L, defaults.number("pageSize").orElseThrow());
    assertEquals("changes", defaults.text("mode").orElseThrow());
    assertEquals("ALL", Settings.check("t", declared, Map.of("mode", "ALL")).text("mode").orElseThrow(), "choices ignore case");
    assertEquals("Connector type 't' has 3 invalid settings: pageSize must be at least 1, was 0; mode must be one of changes, all,"
            + " was 'some'; token must be one of a, b",
        assertThrows(SetupException.class, () -> Settings.check("t", declared, Map.of("pageSize", "0", "mode", "some",
            "token", "s3cret"))).getMessage(), "a secret's value is never quoted");
    assertEquals("Setting 'n': its default must be at least 1, was 0",
        assertThrows(IllegalArgumentException.class, () -> Setting.optional("n", Setting.Kind.WHOLE_NUMBER, "n").atLeast(1)
            .withDefault("0")).getMessage());
    assertThrows(IllegalArgumentException.class, () -> Setting.required("n", Setting.Kind.TEXT, "n").withDefault("x"));
    assertThrows(IllegalArgumentException.class, () -> Setting.optional("n", Setting.Kind.TEXT, "n").atLeast(1));
  }

  @Test
  void secrets_printAsHidden_everywhere() {
    Secret s = Secret.of("hunter2");
    assertEquals("[hidden]", s.toString());
    assertEquals("hunter2", s.reveal());
    Settings settings = Settings.check("db", List.of(Setting.required("password", Setting.Kind.SECRET, "the password")),
        Map.of("password", "hunter2"));
    assertEquals("Settings[db: password=[hidden]]", settings.toString());
    assertFalse(String.valueOf(settings.secret("password").orElseThrow()).contains("hunter2"));
  }
}
