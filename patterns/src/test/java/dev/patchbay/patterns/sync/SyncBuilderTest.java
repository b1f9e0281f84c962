package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import org.junit.jupiter.api.Test;

class SyncBuilderTest {

  @Test
  void build_namesEveryMissingElement() {
    assertEquals("Sync needs a name, side A, side B, a mapping, scopes and a conflict policy",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().build()).getMessage());
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    assertEquals("Sync 'crm-permits' needs side B and a conflict policy",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("crm-permits").sideA(crm)
            .mapping(f -> f, f -> f).scopes(r -> true, r -> true).build()).getMessage());
  }

  @Test
  void settingsGivenTwiceOrOutOfRange_areRefused() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    assertEquals("Sync 'crm-permits': side A was already set to InMemoryStore[crm]",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("crm-permits").sideA(crm).sideA(crm))
            .getMessage());
    assertEquals("Sync 'crm-permits': batch size was already set to 100",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("crm-permits").batchSize(100).batchSize(200))
            .getMessage());
    assertEquals("Sync 'crm-permits': name was already set to 'crm-permits'",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("crm-permits").name("other")).getMessage());
    assertEquals("Sync 'crm-permits': mapping was already set", assertThrows(SetupException.class,
        () -> BidirectionalSync.builder().name("crm-permits").mapping(f -> f, f -> f).mapping(f -> f, f -> f)).getMessage());
    assertEquals("Sync 'crm-permits': mass-delete share must be between 0 and 1, was 1.5",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().name("crm-permits").massDeleteShare(1.5))
            .getMessage());
  }
}
