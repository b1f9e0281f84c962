package dev.patchbay.patterns.broadcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The two builders' rules (each setting once, ranges named with the value), and the one-line summaries. */
class BroadcastBuilderTest {

  private static final InMemoryStore<Fields> ERP = InMemoryStore.create("erp");

  private static void refused(String message, Executable call) {
    assertEquals(message, assertThrows(SetupException.class, call).getMessage());
  }

  /** Gives a route's setting twice: the second is refused, naming the route and the setting. */
  private static void routeTwice(String message, Consumer<Route.Builder<Fields>> setting) {
    Route.Builder<Fields> route = Route.to("erp");
    setting.accept(route);
    refused(message, () -> setting.accept(route));
  }

  @Test
  void aRoutesSettingsAreEachGivenOnce_andItsRangesAreNamedWithTheValue() {
    ScopeCriteria<Fields> all = ScopeCriteria.where("all", r -> true);
    routeTwice("Route 'erp': scope was already set to all", r -> r.scope(all));
    refused("Route 'erp': transform was already set", () -> Route.to("erp").transform(r -> r).transform(r -> r));
    routeTwice("Route 'erp': deletes was already set to IGNORE", r -> r.deletes(DeletePolicy.IGNORE));
    routeTwice("Route 'erp': batch size was already set to 7", r -> r.batchSize(7));
    routeTwice("Route 'erp': writers was already set to 2", r -> r.writers(2));
    RetryPolicy retry = RetryPolicy.defaults();
    routeTwice("Route 'erp': retry was already set to " + retry, r -> r.retry(retry));
    routeTwice("Route 'erp': park after was already set to 2", r -> r.parkAfter(2));
    routeTwice("Route 'erp': each change was already set to true", Route.Builder::eachChange);
    routeTwice("Route 'erp': versions restart after delete was already set to true", Route.Builder::versionsRestartAfterDelete);
    routeTwice("Route 'erp': dead letter was already set to InMemoryStore[erp]", r -> r.deadLetter(ERP));
    routeTwice("Route 'erp': result capture was already set", r -> r.resultCapture(o -> { }));

    refused("Route 'erp': batch size must be between 1 and 100000, was 0", () -> Route.to("erp").batchSize(0));
    refused("Route 'erp': batch size must be between 1 and 100000, was 100001", () -> Route.to("erp").batchSize(100_001));
    assertEquals(1, Route.to("erp").batchSize(1).into(ERP).batchSize);
    assertEquals(100_000, Route.to("erp").batchSize(100_000).into(ERP).batchSize);
    refused("Route 'erp': writers must be between 1 and 16, was 0", () -> Route.to("erp").writers(0));
    refused("Route 'erp': writers must be between 1 and 16, was 17", () -> Route.to("erp").writers(17));
    assertEquals(1, Route.to("erp").writers(1).into(ERP).writers);
    assertEquals(16, Route.to("erp").writers(16).into(ERP).writers);
    refused("Route 'erp': park after must be at least 1 failed batch, was 0", () -> Route.to("erp").parkAfter(0));
    refused("A broadcast destination's name is 1 to 64 letters, digits, '-' and '_', not 'a b'", () -> Route.to("a b"));
    refused("Route 'erp' needs a destination", () -> Route.to("erp").into(null));

    Route<Fields> route = Route.to("erp").scope(all).into(ERP);
    assertEquals("erp", route.name());
    assertEquals("Route[erp -> InMemoryStore[erp], scope all]", route.toString());
  }

  @Test
  void aBroadcastsSettingsAreEachGivenOnce_andItsRangesAreNamedWithTheValue() {
    Broadcast.Builder b = Broadcast.builder().name("b");
    refused("Broadcast 'b': name was already set to 'b'", () -> b.name("c"));
    b.aggregateType("order");
    refused("Broadcast 'b': aggregate type was already set to order", () -> b.aggregateType("order"));
    Outbox outbox = Outbox.inMemory();
    b.outbox(outbox);
    refused("Broadcast 'b': outbox was already set to " + outbox, () -> b.outbox(outbox));
    StateStore state = StateStore.inMemory();
    b.state(state);
    refused("Broadcast 'b': state store was already set to " + state, () -> b.state(state));
    b.pollInterval(Duration.ofMillis(1));
    refused("Broadcast 'b': poll interval was already set to PT0.001S", () -> b.pollInterval(Duration.ofMillis(2)));
    b.reasonDetail(ReasonDetail.CLASS_AND_STATE);
    refused("Broadcast 'b': reason detail was already set to CLASS_AND_STATE", () -> b.reasonDetail(ReasonDetail.CLASS_AND_STATE));
    assertEquals(b, b.clock(Clock.systemUTC()), "each setting gives the builder back");
    refused("Broadcast 'b': clock was already set to " + Clock.systemUTC(), () -> b.clock(Clock.systemUTC()));
    assertEquals(b, b.buffer(1));
    refused("Broadcast 'b': buffer was already set to 1", () -> b.buffer(2));
    b.purgeBatch(1);
    refused("Broadcast 'b': purge batch was already set to 1", () -> b.purgeBatch(2));

    dev.patchbay.core.ChangeFeed<Fields> feed = InMemoryStore.create("crm");
    assertEquals(b, b.changesOf(feed));
    refused("Broadcast 'b': change feed was already set", () -> b.changesOf(feed));
    refused("Broadcast: poll interval must be positive, was PT0S", () -> Broadcast.builder().pollInterval(Duration.ZERO));
    refused("Broadcast: poll interval must be positive, was PT-1S", () -> Broadcast.builder().pollInterval(Duration.ofSeconds(-1)));
    refused("Broadcast: the buffer must hold at least 1 event, was 0", () -> Broadcast.builder().buffer(0));
    refused("Broadcast: purge batch must be at least 1, was 0", () -> Broadcast.builder().purgeBatch(0));
    refused("A broadcast's name is 1 to 64 letters, digits, '-' and '_', not ''", () -> Broadcast.builder().name(""));
    refused("Broadcast 'b' needs a destination", () -> Broadcast.builder().name("b").build());
  }

  @Test
  void aDestinationsSummary_countsWhatWasDelivered_andNamesTheLastErrorAsLogsWordIt() {
    Counts counts = new Counts(20, 2, 3, 4, 5, 1, 1);
    DestinationStatus quiet = new DestinationStatus("erp", DestinationStatus.State.RUNNING, 40, 0, Duration.ZERO, 0,
        null, null, null, counts, List.of());
    assertEquals("erp: running at 40, 0 behind (0 ms), delivered 14, skipped 1, failed 1", quiet.summary());
    DestinationStatus failing = new DestinationStatus("erp", DestinationStatus.State.RETRYING, 40, 7, Duration.ofMillis(1500), 1,
        "writing: 'x@y' refused", "writing: SQLException (SQLState 23505)", Instant.EPOCH, counts,
        List.of(new Outcome.Failed("k1", Stage.WRITE, null, "refused")));
    assertEquals("erp: retrying at 40, 7 behind (1500 ms), delivered 14, skipped 1, failed 1, 1 failed attempts,"
        + " last error writing: SQLException (SQLState 23505)", failing.summary());

    BroadcastStatus status = status("b", 90, 50, Optional.of("queue"), List.of(quiet, failing));
    assertEquals("Broadcast 'b': outbox at 90, holding 50 (purge held back by queue)\n  " + quiet.summary() + "\n  "
        + failing.summary() + "\n  failed: 1 x WRITE: refused (k1)", status.summary());
    assertEquals("Broadcast 'b': outbox at 90, holding 50", status("b", 90, 50, Optional.empty(), List.of()).summary());
    assertEquals(quiet, status.destination("erp"));
    assertEquals("broadcast 'b' has no destination 'audit'",
        assertThrows(IllegalArgumentException.class, () -> status.destination("audit")).getMessage());
  }

  private static BroadcastStatus status(String name, long end, long size, Optional<String> heldBy,
      List<DestinationStatus> destinations) {
    return new BroadcastStatus(name, dev.patchbay.core.report.RunStatus.COMPLETED, null,
        dev.patchbay.patterns.PatternStatus.State.RUNNING, end, size, heldBy, destinations, Instant.EPOCH, Instant.EPOCH,
        Optional.empty());
  }
}
