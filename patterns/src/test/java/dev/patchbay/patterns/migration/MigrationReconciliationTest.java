package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A run whose destination does not hold what it answered as written (a column that shifts a time
 * by the JVM's zone, a field dropped) once ended COMPLETED, its report saying only "reconciliation
 * does not hold". M1 is broken there: it ends FAILED, naming the counts.
 */
class MigrationReconciliationTest {

  /** A destination that answers each record written, and drops its email on the way. */
  private static final class Lossy implements dev.patchbay.core.Destination<Fields>, Lookup<Fields> {
    final InMemoryStore<Fields> store = InMemoryStore.create("lossy");

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      return store.write(batch.stream().map(c -> c instanceof Change.Upsert<Fields> u
          ? Change.upsert(u.record().withPayload(u.record().payload().without("email"))) : c).toList());
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      return store.lookup(keys);
    }
  }

  @Test
  void aRunWhoseReconciliationDoesNotHold_endsFailed_neverCompleted() {
    InMemoryStore<Fields> source = InMemoryStore.create("crm");
    List<Change<Fields>> rows = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      rows.add(Change.upsert(Envelope.of("k" + i, Fields.of("name", "n" + i, "email", "e" + i + "@example.org"))));
    }
    source.write(rows);
    RunReport report = Migration.builder().name("lossy").source(source).scope(ScopeCriteria.all())
        .transform(Transform.<Fields>identity()).destination(new Lossy()).build().run();
    assertEquals(RunStatus.FAILED, report.status(), report.summary());
    assertEquals(8, report.reconciliation().differing());
    assertTrue(report.message().contains("the destination does not hold what the run wrote: reconciliation desired 8,"
        + " matched 0, missing 0, differing 8"), report.message());
  }
}
