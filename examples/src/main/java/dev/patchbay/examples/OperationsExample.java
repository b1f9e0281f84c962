package dev.patchbay.examples;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.micrometer.PatchbayMetrics;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.Schedule;
import dev.patchbay.patterns.migration.Migration;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.function.Consumer;

/** The README's "Running a pattern", compiled: plan, listen, meters, a schedule, stop, status. */
final class OperationsExample {

  private OperationsExample() {
  }

  /** What the example did, for its test. */
  record Seen(Plan<RunReport> plan, RunReport run, PatternStatus afterStop, long progressCalls) {
  }

  static Seen operate(InMemoryStore<Fields> crm, InMemoryStore<Fields> mailing, MeterRegistry registry,
      Consumer<RunReport> reports) throws InterruptedException {
    Migration<Fields, Fields> migration = Migration.builder()
        .name("crm-contacts")
        .source(crm)
        .scope(ScopeCriteria.all())
        .transform(Transform.payload(f -> f.with("email", f.requireText("email").toLowerCase(Locale.ROOT))))
        .transformVersion("lower-case-email-1")
        .destination(mailing)
        .progressEvery(Duration.ofSeconds(30))           // a line at INFO every 30 s of a long run
        .build();

    long[] progress = {0};
    migration.listen(p -> progress[0]++);                // a host's own progress bar: told after each batch
    new PatchbayMetrics(migration).bindTo(registry);      // patchbay.records, patchbay.run, ... in the host's registry

    Plan<RunReport> plan = migration.plan();              // what a run would write now; writes and saves nothing
    System.out.println(plan.writes().size() + " writes planned: " + plan.report().summary());

    RunReport run = migration.run();
    try (Schedule schedule = migration.every(Duration.ofMinutes(5), reports)) {   // again five minutes after each run
      migration.stop();                                  // ends the run under way at its checkpoint, and the schedule
      while (schedule.isActive()) {
        Thread.sleep(1);
      }
    }
    PatternStatus status = migration.status();            // STOPPED, with the last report
    System.out.println(status.state() + ": " + status.last().map(r -> r.status().toString()).orElse("no run yet"));
    return new Seen(plan, run, status, progress[0]);
  }
}
