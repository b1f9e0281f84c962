package dev.patchbay.examples;


import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.Plan;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo: migrates the city's legacy case export into the new case system, then keeps two
 * systems' contacts in sync.
 *
 * <ol>
 *   <li>a dry run shows what would be written;</li>
 *   <li>the first run stops at its failure limit of 2, with a checkpoint;</li>
 *   <li>a run with a higher limit resumes there and completes, reconciled;</li>
 *   <li>running again changes nothing;</li>
 *   <li>then a bi-directional sync between the CRM's contacts and the permitting system: records
 *       created on each side copied over, conflicting edits merged or decided, a delete carried
 *       over, and a quiet round after;</li>
 *   <li>then the city's integration catalog: read from its spreadsheet, reviewed, a roadmap, the
 *       demo's own patterns held to it by the compliance gate, and an HTML report;</li>
 *   <li>then a correlation of two hospitals' patients: a rule too strict, one too lax and an
 *       accurate one side by side, then the accurate one syncing one patient's new phone;</li>
 *   <li>then a broadcast: opportunities closed-won in the CRM fanned out to an ERP table, a
 *       fulfilment queue and a warehouse file; the queue down for a while, the others current,
 *       the queue catching up;</li>
 *   <li>then an aggregation: each account as the CRM, the ERP and the issue tracker know it, merged
 *       field by field with its provenance; the ERP down for a run, then back; a person's override;
 *       one account collected live.</li>
 * </ol>
 * The target is a journaled store and the state a crash-safe directory, both under a temporary
 * folder: kill the demo at any moment and run the same migration again, and it resumes.
 */
public final class Demo {

  private Demo() {
  }

  public static void main(String[] args) throws Exception {
    Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("patchbay-demo");
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy-case-export");
    legacy.putAll(LegacyCases.export(2_000));
    InMemoryStore<Fields> cases = InMemoryStore.journaled("case-system", work.resolve("cases.jsonl"));
    StateStore state = StateStore.directory(work.resolve("state"));

    section("1. Dry run: what a migration would write");
    Plan<RunReport> plan = migration(legacy, cases, state, 2).dryRun(cases);
    System.out.println(plan.writes().size() + " planned writes, for example " + plan.writes().get(0));
    System.out.println(plan.report().summary());
    System.out.println("The case system still holds " + cases.size() + " cases.");

    section("2. Run with a failure limit of 2");
    RunReport stopped = migration(legacy, cases, state, 2).run();
    System.out.println(stopped.summary());

    section("3. Run again with a failure limit of 10: resumes at the checkpoint");
    RunReport completed = migration(legacy, cases, state, 10).run();
    System.out.println(completed.summary());

    section("4. Run once more: idempotent");
    RunReport again = migration(legacy, cases, state, 10).run();
    System.out.println(again.summary());

    section("The report of run 3 as JSON");
    System.out.println(completed.toJson());
    System.out.println();
    System.out.println("Case system journal: " + work.resolve("cases.jsonl"));

    section("5. Bi-directional sync: CRM contacts and the permitting system");
    ContactsSync contacts = new ContactsSync(work);
    contacts.seed();
    System.out.println(contacts.sync.round().summary());
    contacts.edit();
    System.out.println("Edited on both sides: Ada's email in the CRM and her suburb in permits; Bob's suburb on both"
        + " (permits later); Cy deleted in the CRM.");
    System.out.println(contacts.sync.round().summary());
    System.out.println("Ada in permits now: " + contacts.permits.get("c-1").payload().asMap());
    System.out.println("Bob in the CRM now: " + contacts.crm.get("c-2").payload().asMap());
    System.out.println(contacts.sync.round().summary());

    section("6. The city's integration catalog: reviewed, a roadmap, the gate, a report");
    List<CatalogEntry> running = new ArrayList<>();
    legacy.describedAs("cases", "Records team", "email");
    cases.describedAs("cases", "Case management", "email");
    running.add(migration(legacy, cases, state, 10).catalogEntry(b -> b.status(CatalogEntry.Status.IN_PRODUCTION)
        .volumes(2_000L, 0L).frequency(CatalogEntry.Frequency.ONCE)));
    contacts.crm.describedAs("contacts", "Customer services", "email");
    contacts.permits.describedAs("contacts", "Building control", "email");
    running.addAll(contacts.sync.catalogEntries(b -> b.status(CatalogEntry.Status.IN_PRODUCTION)
        .frequency(CatalogEntry.Frequency.HOURLY)));
    CityCatalog.show(running, work.resolve("catalog.html"));

    section("7. Correlation: two hospitals share the patients both treated, and nothing else");
    Hospitals hospitals = new Hospitals();
    hospitals.compareRules();
    System.out.println();
    hospitals.run(state, work);

    section("8. Broadcast: an opportunity closed-won, to the ERP, the fulfilment queue and the warehouse");
    new ClosedWon(work).run();

    section("9. Aggregation: the CRM's view of each account, from the CRM, the ERP and the issue tracker");
    new AccountView(state, work).run();
    System.out.println();
    System.out.println("The demo's files (the case system's journal, the state, the sync's links, the catalog"
        + " report, the review page, the ERP's H2 database with the outbox, the warehouse's pick list, the account view) are in " + work + (args.length > 0 ? "" : "; delete the folder when done"));
  }

  static Migration<Fields, Fields> migration(InMemoryStore<Fields> legacy, InMemoryStore<Fields> cases,
      StateStore state, int failureLimit) {
    return Migration.builder()
        .name("legacy-cases")
        .source(legacy)
        .scope(LegacyCases.NOT_ARCHIVED)
        .transform(LegacyCases.TO_CASE)
        .destination(cases)
        .batchSize(250)
        .failureLimit(failureLimit)
        .state(state)
        .build();
  }

  private static void section(String title) {
    System.out.println();
    System.out.println("== " + title);
  }
}
