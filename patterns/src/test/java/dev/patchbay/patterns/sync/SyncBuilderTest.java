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

  private static String twice(java.util.function.UnaryOperator<BidirectionalSync.Builder> again) {
    return assertThrows(SetupException.class, () -> again.apply(BidirectionalSync.builder().name("crm-permits")))
        .getMessage();
  }

  @Test
  void everySettingGivenTwice_isRefusedNamingIt_andWhatItWas() {
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    dev.patchbay.core.state.StateStore state = dev.patchbay.core.state.StateStore.inMemory();
    java.util.Map<String, java.util.function.UnaryOperator<BidirectionalSync.Builder>> settings = new java.util.LinkedHashMap<>();
    settings.put("side B was already set to InMemoryStore[permits]", b -> b.sideB(permits).sideB(permits));
    settings.put("scopes was already set", b -> b.scopes(r -> true, r -> true).scopes(r -> true, r -> true));
    settings.put("conflict policy was already set", b -> b.conflicts(ConflictPolicy.manual()).conflicts(ConflictPolicy.manual()));
    settings.put("delete policy was already set to IGNORE",
        b -> b.deletes(dev.patchbay.patterns.DeletePolicy.IGNORE).deletes(dev.patchbay.patterns.DeletePolicy.PROPAGATE));
    settings.put("mass-delete share was already set to 0.5", b -> b.massDeleteShare(0.5).massDeleteShare(0.6));
    settings.put("mass-delete floor was already set to 3", b -> b.massDeleteFloor(3).massDeleteFloor(4));
    settings.put("re-created policy was already set to LINK_AGAIN",
        b -> b.recreated(RecreatedPolicy.LINK_AGAIN).recreated(RecreatedPolicy.REPORT));
    settings.put("keys was already set", b -> b.keys(r -> r.key(), r -> r.key()).keys(r -> r.key(), r -> r.key()));
    settings.put("state store was already set to StateStore.inMemory()", b -> b.state(state).state(state));
    settings.put("retry was already set to RetryPolicy[maxAttempts=1, initialBackoff=PT0S, multiplier=1.0, jitter=0.0,"
        + " maxBackoff=PT0S]", b -> b.retry(dev.patchbay.patterns.RetryPolicy.none()).retry(dev.patchbay.patterns.RetryPolicy.none()));
    settings.put("failure limit was already set to 7", b -> b.failureLimit(7).failureLimit(8));
    settings.put("result capture was already set", b -> b.resultCapture(o -> { }).resultCapture(o -> { }));
    settings.put("reason detail was already set to CLASS_AND_STATE",
        b -> b.reasonDetail(dev.patchbay.patterns.ReasonDetail.CLASS_AND_STATE).reasonDetail(dev.patchbay.patterns.ReasonDetail.SYSTEM_MESSAGE));
    settings.forEach((message, again) -> assertEquals("Sync 'crm-permits': " + message, twice(again)));
  }

  @Test
  void rangesAreInclusive_atBothEnds() {
    BidirectionalSync.builder().batchSize(1);
    BidirectionalSync.builder().batchSize(100_000);
    BidirectionalSync.builder().failureLimit(0);
    BidirectionalSync.builder().massDeleteFloor(0);
    BidirectionalSync.builder().massDeleteShare(0);
    BidirectionalSync.builder().massDeleteShare(1);
    assertEquals("Sync: batch size must be between 1 and 100000, was 0",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().batchSize(0)).getMessage());
    assertEquals("Sync: batch size must be between 1 and 100000, was 100001",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().batchSize(100_001)).getMessage());
    assertEquals("Sync: failure limit must not be negative, was -1",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().failureLimit(-1)).getMessage());
    assertEquals("Sync: mass-delete floor must not be negative, was -1",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().massDeleteFloor(-1)).getMessage());
    assertEquals("Sync: mass-delete share must be between 0 and 1, was -0.01",
        assertThrows(SetupException.class, () -> BidirectionalSync.builder().massDeleteShare(-0.01)).getMessage());
  }
}
