package dev.patchbay.examples;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.migration.Migration;
import java.nio.file.Path;
import java.util.Locale;

/** The example in README.md, kept compiling. */
final class ReadmeExample {

  private ReadmeExample() {
  }

  static RunReport migrateContacts(InMemoryStore<Fields> crm, InMemoryStore<Fields> mailing, Path state) {
    Migration<Fields, Fields> migration = Migration.builder()
        .name("crm-contacts")
        .source(crm)
        .scope(ScopeCriteria.where("opted in", r -> Boolean.TRUE.equals(r.payload().get("optIn"))))
        .transform(Transform.payload(f -> {
          String email = f.requireText("email");
          if (!email.contains("@")) {
            throw DataException.field("email", "is not an address");
          }
          return Fields.of("email", email.toLowerCase(Locale.ROOT), "name", f.requireText("name"));
        }))
        .destination(mailing)
        .batchSize(1_000)
        .failureLimit(50)
        .state(StateStore.directory(state))
        .build();

    RunReport report = migration.run();   // resumes from the last checkpoint if a run was cut short
    System.out.println(report.summary()); // counts, every failure with key/stage/field/reason, reconciliation
    return report;
  }
}
