package dev.patchbay.examples;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.aggregation.Aggregation;
import dev.patchbay.patterns.aggregation.AggregationReport;
import dev.patchbay.patterns.aggregation.Input;
import dev.patchbay.patterns.aggregation.Survivorship;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.migration.Migration;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** The examples in README.md, kept compiling. */
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

  /** The aggregation example in README.md. */
  static AggregationReport aggregateAccounts(InMemoryStore<Fields> crmAccounts, InMemoryStore<Fields> erpCustomers,
      InMemoryStore<Fields> tickets, InMemoryStore<Fields> accountView, StateStore state) {
    Transform<Fields, Fields> toAccount = Transform.payload(c -> Fields.ofNullable("account_no", c.get("account"),
        "credit_limit", c.get("credit"), "email", c.get("billing_email")));
    Transform<Fields, Fields> ticketToAccount = Transform.payload(t -> Fields.of("account_no", t.get("account"),
        "open_tickets", t.get("subject")));
    Aggregation accounts = Aggregation.builder().name("accounts")
        .input(Input.from("crm", crmAccounts).transform(Transform.identity()).mergeKey("account_no"))
        .input(Input.from("erp", erpCustomers).transform(toAccount).mergeKey("account_no"))
        .input(Input.changesOf("tracker", tickets, DeletePolicy.PROPAGATE).transform(ticketToAccount).mergeKey("account_no"))
        .survivorship("credit_limit", Survivorship.max())
        .survivorship("email", Survivorship.mostRecent())
        .survivorship("open_tickets", Survivorship.allValues())
        .group("address", List.of("street", "town", "postcode"), Survivorship.mostComplete())
        .destination(accountView).outputKey(Aggregation.OutputKey.MERGE_KEY)
        .state(state)
        .build();
    AggregationReport report = accounts.run();
    if (report.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException(report.summary());   // PARTIAL names the input that failed
    }
    return report;
  }

  /** The aggregation by matching in README.md: people of three systems that share no key. */
  static Aggregation matchPeople(InMemoryStore<Fields> crmContacts, InMemoryStore<Fields> erpCustomers,
      InMemoryStore<Fields> payers, InMemoryStore<Fields> personView, StateStore state) {
    Transform<Fields, Fields> toPerson = Transform.payload(c -> Fields.ofNullable("surname", c.get("last_name"),
        "date_of_birth", c.get("born"), "email", c.get("email")));
    Aggregation people = Aggregation.builder().name("people")
        .input(Input.from("crm", crmContacts).transform(Transform.identity()).matched())
        .input(Input.from("erp", erpCustomers).transform(toPerson).matched())
        .input(Input.changesOf("billing", payers, DeletePolicy.PROPAGATE).transform(toPerson).matched())
        .match(MatchRule.exact("surname", "date_of_birth"), Blocking.field("date_of_birth"), 1)
        .survivorship(Survivorship.mostFrequent())
        .destination(personView).state(state)
        .build();
    AggregationReport report = people.run();
    if (report.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException(report.summary());
    }
    return people;
  }
}
