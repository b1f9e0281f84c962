package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.PlannedWrite;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;

class OperationsExampleTest {

  @Test
  void theReadmesOperations_planListenMeterScheduleStopAndStatus() throws Exception {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> mailing = InMemoryStore.create("mailing");
    crm.write(List.of(Change.upsert(new Envelope<>("1", 1, Fields.of("email", "ADA@example.org"))),
        Change.upsert(new Envelope<>("2", 1, Fields.of("email", "Bob@example.org")))));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    OperationsExample.Seen seen = OperationsExample.operate(crm, mailing, registry, r -> { });

    assertEquals(RunStatus.PLANNED, seen.plan().report().status());
    assertEquals(List.of(PlannedWrite.Action.CREATE, PlannedWrite.Action.CREATE),
        seen.plan().writes().stream().map(PlannedWrite::action).toList());
    assertEquals(RunStatus.COMPLETED, seen.run().status());
    assertEquals("ada@example.org", mailing.get("1").payload().get("email"));
    assertEquals(PatternStatus.State.STOPPED, seen.afterStop().state());
    assertTrue(seen.progressCalls() > 0, "the listener was told");
    assertEquals(2.0, registry.get("patchbay.records").tags("name", "crm-contacts", "outcome", "created").counter().count());
  }
}
