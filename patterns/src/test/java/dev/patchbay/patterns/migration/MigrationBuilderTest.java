package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class MigrationBuilderTest {

  private final InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
  private final InMemoryStore<Fields> target = InMemoryStore.create("target");

  private Migration.Builder<Fields, Fields> complete() {
    return Migration.builder()
        .name("legacy-cases")
        .source(legacy)
        .scope(ScopeCriteria.all())
        .transform(Transform.identity())
        .destination(target);
  }

  private static String failure(Runnable r) {
    return assertThrows(SetupException.class, r::run).getMessage();
  }

  @Test
  void build_withEveryRequiredElement_buildsWithDefaults() {
    Migration<Fields, Fields> m = complete().build();
    assertEquals("legacy-cases", m.name());
    assertEquals(500, m.batchSize);
    assertEquals(100, m.failureLimit);
    assertEquals(RetryPolicy.defaults(), m.retry);
  }

  @Test
  void build_missingEachElement_namesIt() {
    assertEquals("Migration 'legacy-cases' needs a source", failure(() -> Migration.builder()
        .name("legacy-cases").scope(ScopeCriteria.all()).transform(Transform.identity()).destination(batch -> List.of()).build()));
    assertEquals("Migration 'legacy-cases' needs a scope", failure(() -> Migration.builder()
        .name("legacy-cases").source(legacy).transform(Transform.identity()).destination(target).build()));
    assertEquals("Migration 'legacy-cases' needs a transform", failure(() -> Migration.builder()
        .name("legacy-cases").source(legacy).scope(ScopeCriteria.all()).destination(batch -> List.of()).build()));
    assertEquals("Migration 'legacy-cases' needs a destination", failure(() -> Migration.builder()
        .name("legacy-cases").source(legacy).scope(ScopeCriteria.all()).transform(Transform.identity()).build()));
    assertEquals("Migration needs a name", failure(() -> Migration.builder()
        .source(legacy).scope(ScopeCriteria.all()).transform(Transform.identity()).destination(target).build()));
    Migration<Fields, Fields> typed = Migration.builder().name("inferred").source(legacy).scope(ScopeCriteria.all())
        .transform(Transform.identity()).destination(target).build();   // the types come from the elements, no witness
    assertEquals("inferred", typed.name());
  }

  @Test
  void build_missingSeveralElements_namesThemAllAtOnce() {
    assertEquals("Migration 'legacy-cases' needs a source, a transform and a destination",
        failure(() -> Migration.builder().name("legacy-cases").scope(ScopeCriteria.all()).build()));
    assertEquals("Migration needs a name, a source, a scope, a transform and a destination",
        failure(() -> Migration.builder().build()));
  }

  @Test
  void settingGivenTwice_isRefusedNamingTheSettingAndItsValue() {
    assertTwice("Migration 'legacy-cases': name was already set to 'legacy-cases'", b -> b.name("other"));
    assertTwice("Migration 'legacy-cases': source was already set", b -> b.source(legacy));
    assertTwice("Migration 'legacy-cases': scope was already set to 'all records'", b -> b.scope(ScopeCriteria.all()));
    assertTwice("Migration 'legacy-cases': transform was already set", b -> b.transform(Transform.identity()));
    assertTwice("Migration 'legacy-cases': destination was already set", b -> b.destination(target));
    assertTwice("Migration 'legacy-cases': batch size was already set to 200", b -> b.batchSize(200).batchSize(300));
    assertTwice("Migration 'legacy-cases': writers was already set to 2", b -> b.writers(2).writers(3));
    assertTwice("Migration 'legacy-cases': read ahead was already set to true", b -> b.readAhead(true).readAhead(false));
    assertTwice("Migration 'legacy-cases': failure limit was already set to 5", b -> b.failureLimit(5).failureLimit(6));
    assertTwice("Migration 'legacy-cases': reconcile was already set to false", b -> b.reconcile(false).reconcile(true));
    assertTwice("Migration 'legacy-cases': reason detail was already set to CLASS_AND_STATE",
        b -> b.reasonDetail(ReasonDetail.CLASS_AND_STATE).reasonDetail(ReasonDetail.SYSTEM_MESSAGE));
    assertTwice("Migration 'legacy-cases': result capture was already set",
        b -> b.resultCapture(o -> { }).resultCapture(o -> { }));
    assertTwice("Migration 'legacy-cases': state store was already set to StateStore.inMemory()",
        b -> b.state(StateStore.inMemory()).state(StateStore.inMemory()));
    assertTwice("Migration 'legacy-cases': retry was already set to RetryPolicy[maxAttempts=3, initialBackoff=PT0.1S,"
            + " multiplier=2.0, jitter=0.5, maxBackoff=PT1S]",
        b -> b.retry(RetryPolicy.exponential(3, Duration.ofMillis(100), Duration.ofSeconds(1))).retry(RetryPolicy.none()));
  }

  @Test
  void settingGivenTwiceBeforeTheName_isRefusedWithoutIt() {
    assertEquals("Migration: batch size was already set to 10",
        failure(() -> Migration.builder().batchSize(10).batchSize(20)));
  }

  @Test
  void outOfRangeSettings_areRefusedWithTheRange() {
    assertEquals("Migration 'legacy-cases': batch size must be between 1 and 100000, was 0",
        failure(() -> Migration.builder().name("legacy-cases").batchSize(0)));
    assertEquals("Migration 'legacy-cases': failure limit must not be negative, was -1",
        failure(() -> Migration.builder().name("legacy-cases").failureLimit(-1)));
    assertEquals("Migration 'legacy-cases': writers must be between 1 and 16, was 17",
        failure(() -> Migration.builder().name("legacy-cases").writers(17)));
    assertEquals("Migration name must not be blank", failure(() -> Migration.builder().name(" ")));
  }

  @Test
  void rangesAreInclusive_atBothEnds_andADeltaSourceCountsAsTheSource() {
    Migration.builder().batchSize(1);
    Migration.builder().batchSize(100_000);
    Migration.builder().writers(1);
    Migration.builder().writers(16);
    assertEquals("Migration: batch size must be between 1 and 100000, was 100001",
        failure(() -> Migration.builder().batchSize(100_001)));
    assertEquals("Migration: writers must be between 1 and 16, was 0", failure(() -> Migration.builder().writers(0)));
    assertEquals("Migration 'legacy-cases': source was already set",
        failure(() -> complete().changesOf(legacy, dev.patchbay.patterns.DeletePolicy.PROPAGATE)));
    assertEquals("Migration 'legacy-cases': source was already set", failure(() -> Migration.builder().name("legacy-cases")
        .changesOf(legacy, dev.patchbay.patterns.DeletePolicy.IGNORE).source(legacy)));
    assertEquals("Migration 'legacy-cases': transform version was already set to v1",
        failure(() -> complete().transformVersion("v1").transformVersion("v2")));
  }

  @Test
  void aScopeOrTransformMadeOfParameters_countsAsTheScopeOrTransform_eitherWayRound() {
    assertEquals("Migration 'legacy-cases': scope was already set",
        failure(() -> complete().scopeFor(p -> ScopeCriteria.all())));
    assertEquals("Migration 'legacy-cases': scope was already set", failure(() -> Migration.builder().name("legacy-cases")
        .scopeFor(p -> ScopeCriteria.all()).scopeFor(p -> ScopeCriteria.all())));
    assertEquals("Migration 'legacy-cases': transform was already set",
        failure(() -> complete().transformFor(p -> Transform.identity())));
    assertEquals("Migration 'legacy-cases': transform was already set", failure(() -> Migration.builder().name("legacy-cases")
        .transformFor(p -> Transform.identity()).transformFor(p -> Transform.identity())));
  }

  private void assertTwice(String expected, Consumer<Migration.Builder<Fields, Fields>> again) {
    assertEquals(expected, failure(() -> again.accept(complete())));
  }
}
