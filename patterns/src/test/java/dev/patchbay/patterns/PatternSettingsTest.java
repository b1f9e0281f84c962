package dev.patchbay.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.broadcast.Broadcast;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The settings every builder shares have one set of names, ranges and messages, whichever pattern's builder takes them. */
class PatternSettingsTest {

  /** A builder's shared settings, by pattern: each line sets one on a fresh builder named "x". */
  private record Shared(String label, Executable twiceState, Executable twiceRetry,
                        Executable twiceCapture, Executable zeroProgress, Executable twiceThreads) {
  }

  private static String refused(Executable e) {
    return assertThrows(SetupException.class, e).getMessage();
  }

  @Test
  void everyBuilder_refusesASettingGivenTwice_andAnIntervalOutOfRange_inTheSameWords() {
    StateStore s = StateStore.inMemory();
    List<Shared> builders = List.of(
        new Shared("Migration 'x'",
            () -> Migration.builder().name("x").state(s).state(s), () -> Migration.builder().name("x").retry(RetryPolicy.none()).retry(RetryPolicy.none()),
            () -> Migration.builder().name("x").resultCapture(ResultCapture.none()).resultCapture(ResultCapture.none()),
            () -> Migration.builder().name("x").progressEvery(Duration.ZERO),
            () -> Migration.builder().name("x").threads(Thread::new).threads(Thread::new)),
        new Shared("Sync 'x'",
            () -> BidirectionalSync.builder().name("x").state(s).state(s), () -> BidirectionalSync.builder().name("x").retry(RetryPolicy.none()).retry(RetryPolicy.none()),
            () -> BidirectionalSync.builder().name("x").resultCapture(ResultCapture.none()).resultCapture(ResultCapture.none()),
            () -> BidirectionalSync.builder().name("x").progressEvery(Duration.ZERO),
            () -> BidirectionalSync.builder().name("x").threads(Thread::new).threads(Thread::new)),
        new Shared("Correlation 'x'",
            () -> Correlation.builder().name("x").state(s).state(s), () -> Correlation.builder().name("x").retry(RetryPolicy.none()).retry(RetryPolicy.none()),
            () -> Correlation.builder().name("x").resultCapture(ResultCapture.none()).resultCapture(ResultCapture.none()),
            () -> Correlation.builder().name("x").progressEvery(Duration.ZERO),
            () -> Correlation.builder().name("x").threads(Thread::new).threads(Thread::new)),
        new Shared("Broadcast 'x'",
            () -> Broadcast.builder().name("x").state(s).state(s), null,
            () -> Broadcast.builder().name("x").resultCapture(ResultCapture.none()).resultCapture(ResultCapture.none()),
            () -> Broadcast.builder().name("x").progressEvery(Duration.ZERO),
            () -> Broadcast.builder().name("x").threads(Thread::new).threads(Thread::new)));
    for (Shared b : builders) {
      assertEquals(b.label() + ": state store was already set to " + s, refused(b.twiceState()));
      if (b.twiceRetry() != null) {
        assertEquals(b.label() + ": retry was already set to " + RetryPolicy.none(), refused(b.twiceRetry()));
      }
      assertEquals(b.label() + ": result capture was already set", refused(b.twiceCapture()));
      assertEquals(b.label() + ": the progress interval must be positive, was PT0S", refused(b.zeroProgress()));
      assertTrue(refused(b.twiceThreads()).startsWith(b.label() + ": the thread factory was already set"));
    }
  }

  @Test
  void batchSizesAndFailureLimits_haveOneRangeAndOneMessage() {
    assertEquals("Migration 'x': batch size must be between 1 and 100000, was 0",
        refused(() -> Migration.builder().name("x").batchSize(0)));
    assertEquals("Sync 'x': batch size must be between 1 and 100000, was 100001",
        refused(() -> BidirectionalSync.builder().name("x").batchSize(100_001)));
    assertEquals("Correlation 'x': batch size must be between 1 and 100000, was 0",
        refused(() -> Correlation.builder().name("x").batchSize(0)));
    assertEquals("Route 'erp': batch size must be between 1 and 100000, was 0",
        refused(() -> dev.patchbay.patterns.broadcast.Route.to("erp").batchSize(0)));
    assertEquals("Migration 'x': failure limit must not be negative, was -1",
        refused(() -> Migration.builder().name("x").failureLimit(-1)));
    assertEquals("Correlation 'x': failure limit must not be negative, was -1",
        refused(() -> Correlation.builder().name("x").failureLimit(-1)));
    assertEquals("Sync 'x': batch size was already set to 5", refused(() -> BidirectionalSync.builder().name("x").batchSize(5).batchSize(6)));
    assertEquals("Correlation name must not be blank", refused(() -> Correlation.builder().name(" ")));
    assertEquals("Migration name must not be blank", refused(() -> Migration.builder().name("")));
    assertEquals("Sync 'x': the progress interval was already set to PT1S",
        refused(() -> BidirectionalSync.builder().name("x").progressEvery(Duration.ofSeconds(1)).progressEvery(Duration.ofSeconds(2))));
  }

  private static void assertTrue(boolean condition) {
    org.junit.jupiter.api.Assertions.assertTrue(condition);
  }

  @Test
  void aMissingValue_isRefusedWithASentence_namingThePatternAndTheSetting() {
    assertEquals("Migration 'x': the state store must be given, not null",
        assertThrows(NullPointerException.class, () -> Migration.builder().name("x").state(null)).getMessage());
    assertEquals("Broadcast: the name must be given, not null",
        assertThrows(NullPointerException.class, () -> Broadcast.builder().name(null)).getMessage());
    assertEquals("Route.to(name): a destination's name must be given, not null",
        assertThrows(NullPointerException.class, () -> dev.patchbay.patterns.broadcast.Route.to(null)).getMessage());
    assertEquals("Route 'erp': the scope must be given, not null",
        assertThrows(NullPointerException.class, () -> dev.patchbay.patterns.broadcast.Route.to("erp").scope(null)).getMessage());
    assertEquals("Migration 'x': the source must be given, not null",
        assertThrows(NullPointerException.class, () -> Migration.builder().name("x").source(null)).getMessage());
    assertEquals("Sync 'x': the mapping from A to B must be given, not null",
        assertThrows(NullPointerException.class, () -> BidirectionalSync.builder().name("x").mapping(null, f -> f)).getMessage());
    assertEquals("Correlation: the rule must be given, not null",
        assertThrows(NullPointerException.class, () -> Correlation.builder().rule(null)).getMessage());
    assertEquals("Aggregation 'x': the destination must be given, not null", assertThrows(NullPointerException.class,
        () -> dev.patchbay.patterns.aggregation.Aggregation.builder().name("x").destination(null)).getMessage());
  }
}
