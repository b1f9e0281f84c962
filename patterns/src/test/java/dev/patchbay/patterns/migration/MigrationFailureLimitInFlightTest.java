package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * M5 with batches in flight: the failures of batches read but not yet settled count towards the
 * limit, so the run stops at the record that crosses it, as with one writer.
 */
class MigrationFailureLimitInFlightTest {

  @Test
  void theLimitCrossedInALaterBatch_stopsAtThatRecord_countingTheFailuresOfBatchesStillInFlight() {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    List<Envelope<Fields>> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      records.add(Envelope.of(String.format("r%02d", i), Fields.of("i", i)));
    }
    source.putAll(records);
    Transform<Fields, Fields> rejectsTwoAndSeven = r -> {
      int i = (Integer) r.payload().get("i");
      if (i == 2 || i == 7) {
        throw DataException.field("i", "is " + i);
      }
      return r;
    };
    for (int writers : new int[] {1, 3}) {
      InMemoryStore<Fields> target = InMemoryStore.create("target");
      RunReport report = Migration.builder().name("limit-" + writers).source(source).scope(ScopeCriteria.all())
          .transform(rejectsTwoAndSeven).destination(target).batchSize(5).writers(writers).failureLimit(1)
          .reconcile(false).build().run();

      assertEquals(RunStatus.FAILED, report.status(), report.summary());
      assertEquals(8, report.counts().read(), "records r00 to r07, and not one more, with " + writers + " writers: "
          + report.summary());
      assertEquals("r07", report.checkpoint().position(), "the checkpoint is just after the record that crossed the limit");
      assertEquals(2, report.failures().size());
    }
  }
}
