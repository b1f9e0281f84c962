package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExamplesTest {

  @Test
  void readmeExample_migratesOptedInContacts_andReportsTheBadAddress(@TempDir Path dir) {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.putAll(List.of(
        Envelope.of("1", Fields.of("email", "Ada@Example.org", "name", "Ada", "optIn", true)),
        Envelope.of("2", Fields.of("email", "no-address", "name", "Bob", "optIn", true)),
        Envelope.of("3", Fields.of("email", "cy@example.org", "name", "Cy", "optIn", false))));
    InMemoryStore<Fields> mailing = InMemoryStore.create("mailing");

    RunReport report = ReadmeExample.migrateContacts(crm, mailing, dir);

    assertEquals(RunStatus.COMPLETED, report.status());
    assertEquals(Fields.of("email", "ada@example.org", "name", "Ada"), mailing.get("1").payload());
    assertEquals(1, mailing.size());
    assertEquals(1, report.counts().skipped());
    assertEquals(List.of(new Outcome.Failed("2", dev.patchbay.core.Stage.TRANSFORM, "email", "is not an address")),
        report.failures());
  }

  @Test
  void theCorrelationQuickStart_linksTheSharedPatient_andSyncsNothingElse(@TempDir Path dir) {
    InMemoryStore<Fields> north = InMemoryStore.create("north");
    InMemoryStore<Fields> south = InMemoryStore.create("south");
    north.write(List.of(dev.patchbay.core.Change.upsert(new dev.patchbay.core.Envelope<>("n-1", 1,
        Fields.of("given", "Ada", "surname", "Lovelace", "dob", "1985-12-10", "phone", "021 1")))));
    south.write(List.of(dev.patchbay.core.Change.upsert(new dev.patchbay.core.Envelope<>("s-1", 1,
        Fields.of("given", "ada", "surname", "Lovelace", "dob", "1985-12-10", "phone", "021 1", "ward", "3"))),
        dev.patchbay.core.Change.upsert(new dev.patchbay.core.Envelope<>("s-2", 1,
        Fields.of("given", "Alan", "surname", "Turing", "dob", "1954-06-23", "phone", "021 2")))));
    dev.patchbay.patterns.correlation.Correlation patients = QuickStart.correlation(north, south, dir);
    assertEquals(java.util.Map.of("n-1", "s-1"), patients.links());
    assertEquals(1, north.size(), "Turing is not created in the north");
  }

  @Test
  void theBroadcastScene_withoutRabbitMq_saysSo_andUsesAnInMemoryQueue(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setProperty("patchbay.demo.rabbitPort", "1");   // nothing listens there: as on a machine without the broker
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      new ClosedWon(dir).run();
    } finally {
      System.setOut(original);
      System.clearProperty("patchbay.demo.rabbitPort");
    }
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("Fulfilment queue: RabbitMQ is not running here, so an in-memory queue stands in for it"), out);
    assertTrue(out.contains("  fulfilment: running at 6, 0 behind (0 ms), delivered 5, skipped 1, failed 0"), out);
    assertTrue(out.contains("In-memory queue holds: [o-1, o-2, o-3, o-4]"), out);
  }

  @Test
  void demo_runsItsScenes_migrationReconciledAndIdempotent_syncMergedThenQuiet(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      Demo.main(new String[] {dir.toString()});
    } finally {
      System.setOut(original);
    }
    String out = buffer.toString(StandardCharsets.UTF_8);
    assertTrue(out.contains("FAILED - Migration 'legacy-cases' stopped: 3 records failed, more than the failure limit of 2"), out);
    assertTrue(out.contains("reconciliation holds: desired 1626, matched 1626, missing 0, differing 0, failed and excluded 3"), out);
    assertTrue(out.contains("read 2000: created 0, updated 0, unchanged 1626, deleted 0, skipped 371, failed 3"), out);
    assertEquals(1626, InMemoryStore.journaled("check", dir.resolve("cases.jsonl")).size());
    assertTrue(Files.list(dir.resolve("state")).noneMatch(f -> f.getFileName().toString().equals("legacy-cases.state")),
        "a completed run clears its state (its lock file stays: removing it could let two runs hold one name)");
    assertTrue(out.contains("  side B: read 2 changes from its feed; wrote 5 (created 5, updated 0, deleted 0); left 2 as they were"), out);
    assertTrue(out.contains("    c-1 <-> c-1: field merge: different fields changed"), out);
    assertTrue(out.contains("    c-2 <-> c-2: field merge; both changed [suburb], there last writer wins: side B changed later"), out);
    assertTrue(out.contains("Ada in permits now: {applicant=Ada Lovelace, contactEmail=ada.lovelace@example.org, suburb=Te Aro}"), out);
    assertTrue(out.contains("Bob in the CRM now: {name=Bob Kahn, email=bob@example.org, suburb=Khandallah}"), out);
    String last = out.substring(out.lastIndexOf("Sync 'crm-permits' round COMPLETED"));
    assertTrue(last.contains("side A: read 2 changes from its feed; wrote 0 (created 0, updated 0, deleted 0); left 2 as they were")
        && last.contains("side B: read 2 changes from its feed; wrote 0 (created 0, updated 0, deleted 0); left 2 as they were"), "the last round writes nothing: " + last);

    assertTrue(out.contains("Read 31 integrations from city-catalog.csv; 1 row refused:\n"
        + "  line 33: Status 'live' is none of Proposed, In production, Retired\n"), out);
    assertTrue(out.contains("Review: 48 findings, 8 of them security: {file-where-api-offered=7, missing-owner=8,"
        + " not-from-system-of-record=12, redundant-flow=13, sensitive-data-unencrypted=8}"), out);
    assertTrue(out.contains("  1. elections-to-crm — sensitive-data-unencrypted: sensitive fields (address, email) travel over"
        + " a transport not known to be encrypted by FILE (a security finding; 50,000 records a month; runs yearly; medium"
        + " effort)"), out);
    assertTrue(out.contains("  - crm-permits: permit-applicants → crm-contacts (contacts): the catalog entry differs from"
        + " the code in integration method (code: API, catalog: FILE)"), out);
    assertTrue(out.lines().noneMatch(l -> l.startsWith("  - legacy-cases")), "the migration's entry matches the catalog");
    String html = Files.readString(dir.resolve("catalog.html"));
    assertTrue(html.contains("<td>consents-to-permits</td>"), "the report lists the catalog read");
    assertFalse(html.contains("<td>bins-to-gis</td>"), "and not the refused row");
    // The aggregation scene: merged with provenance, the ERP down (partial, nothing mixed), back, an override, a live lookup.
    assertTrue(out.contains("  credit_limit = 5000.00  <- erp 'C-9001' v20 (source priority [erp])"), out);
    assertTrue(out.contains("  open_tickets = [Card reader offline, Invoice copy]  <- tracker 'T-1' v1, tracker 'T-2' v2 (all values)"), out);
    assertTrue(out.contains("Aggregation 'account-view' partial: input erp failed; nothing was derived from what was not read of it"), out);
    assertTrue(out.contains("A-200's name in the view: Te Aro Books (held back"), out);
    assertTrue(out.contains("The ERP is back: COMPLETED; A-200 is now Te Aro Books & Music, A-100's credit limit 7500.00"), out);
    assertTrue(out.contains("the view says: key account (Kelburn Dental Group)"), out);
    assertTrue(out.contains("Collected live, A-100: answered [crm, erp], missing {tracker=timed out after 200 ms}; credit limit 7500.00"), out);
    String view = Files.readString(dir.resolve("account-view.html"));
    assertTrue(view.contains("3 golden records, 2 with fields their inputs disagree on."), view);
    // The broadcast scene: the queue down, the ERP and the warehouse current, the queue catching up.
    assertTrue(out.contains("ERP orders: SO-o-1 Harbour Cafe 1200.00, SO-o-2 Te Aro Books 520.00, SO-o-3 Kelburn Dental 3150.00\n"),
        "o-2 reached the ERP once closed-won, not while in negotiation: " + out);
    String down = out.substring(out.indexOf("A second later:"));
    assertTrue(down.contains("  erp: running at 6, 0 behind (0 ms), delivered 5, skipped 1, failed 0"), down);
    assertTrue(down.contains("  fulfilment: retrying at 4, 2 behind"), down);
    assertTrue(down.contains("(purge held back by fulfilment)"), down);
    assertTrue(down.contains("ERP orders: SO-o-1 Harbour Cafe 1350.00, SO-o-2 Te Aro Books 520.00, SO-o-3 Kelburn Dental 3150.00,"
        + " SO-o-4 Island Bay Surf 860.00"), down);
    assertTrue(down.contains("payload={\"account\":\"Island Bay Surf\",\"amount\":860.00,\"stage\":\"closed-won\"}"), down);
    String back = out.substring(out.indexOf("The queue is back"));
    assertTrue(back.contains("  fulfilment: running at 6, 0 behind (0 ms), delivered 5, skipped 1, failed 0"), back);
    assertTrue(back.contains("The queue held 5 messages") || back.contains("In-memory queue holds: [o-1, o-2, o-3, o-4]"), back);
    assertEquals(4, Files.readAllLines(dir.resolve("warehouse-picklist.jsonl")).size(),
        "the warehouse's pick list: o-1, o-3, o-2, o-4 (o-1's new amount is not on it, nor written again)");
    // The correlation scene: what each rule does, then one phone carried across and nothing else.
    assertTrue(out.contains("too strict exact on given, surname, dob (normalised), link at 1: 3 linked, 3 of 6 shared patients"
        + " found (3 missed), 0 linked to a stranger"), out);
    assertTrue(out.contains("too lax    exact on surname (normalised), link at 1: 8 linked, 5 of 6 shared patients found"
        + " (1 missed), 3 linked to a stranger"), out);
    assertTrue(out.contains("3 South records given a North stranger's phone"), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("accurate   Fellegi-Sunter") && l.contains("5 linked, 5 of 6 shared"
        + " patients found (1 missed), 0 linked to a stranger; 1 in review")), out);
    assertTrue(out.contains("In review: n-08 <-> s-110, BETWEEN_THRESHOLDS"), out);
    String afterPhone = out.substring(out.indexOf("North records Ada Lovelace's new phone number"));
    assertTrue(afterPhone.contains("  sync of linked pairs: wrote 0 to A, 1 to B, 0 conflicts"), afterPhone);
    assertTrue(afterPhone.contains("Ada at South now: {given=ada, surname=LOVELACE, dob=1985-12-10, postcode=6011,"
        + " phone=022 123 4567}"), afterPhone);
    String review = Files.readString(dir.resolve("review.html"));
    assertTrue(review.contains("<td>n-08</td><td>s-110</td>"), "the review page lists the queued pair");
    assertFalse(review.contains("Patel"), "and no patient's data");
  }

  @Test
  void theReadmesAggregation_mergesTheThreeSystemsAccounts() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> tickets = InMemoryStore.create("tickets");
    InMemoryStore<Fields> view = InMemoryStore.create("view");
    crm.putAll(List.of(new dev.patchbay.core.Envelope<>("A-1", 1, Fields.of("account_no", "A-1", "name", "Acme",
        "email", "old@acme.test", "street", "1 Quay St"))));
    erp.putAll(List.of(new dev.patchbay.core.Envelope<>("C-7", 5, Fields.of("account", "A-1", "credit", 900,
        "billing_email", "new@acme.test"))));
    tickets.putAll(List.of(new dev.patchbay.core.Envelope<>("T-1", 1, Fields.of("account", "A-1", "subject", "Invoice copy")),
        new dev.patchbay.core.Envelope<>("T-2", 2, Fields.of("account", "A-1", "subject", "Card reader"))));

    dev.patchbay.patterns.aggregation.AggregationReport report = ReadmeExample.aggregateAccounts(crm, erp, tickets, view,
        dev.patchbay.core.state.StateStore.inMemory());

    assertEquals(1, report.output().created(), report.summary());
    assertEquals(Fields.of("account_no", "A-1", "name", "Acme", "email", "new@acme.test", "street", "1 Quay St",
        "credit_limit", 900, "open_tickets", List.of("Invoice copy", "Card reader")), view.get("A-1").payload());
  }

  @Test
  void theReadmesAggregationByMatching_findsThePeopleTheThreeSystemsShare() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> erp = InMemoryStore.create("erp");
    InMemoryStore<Fields> payers = InMemoryStore.create("payers");
    InMemoryStore<Fields> view = InMemoryStore.create("view");
    crm.putAll(List.of(new dev.patchbay.core.Envelope<>("c1", 1, Fields.of("surname", "O'Brien", "date_of_birth", "1980-02-03",
        "email", "sean@x.test")), new dev.patchbay.core.Envelope<>("c2", 1, Fields.of("surname", "Ng", "date_of_birth",
        "1980-02-03"))));
    erp.putAll(List.of(new dev.patchbay.core.Envelope<>("C-17", 1, Fields.of("last_name", "OBRIEN", "born", "1980-02-03",
        "email", "sean@x.test"))));
    payers.putAll(List.of(new dev.patchbay.core.Envelope<>("P-9", 1, Fields.of("last_name", "obrien", "born", "1980-02-03",
        "email", "s.obrien@y.test"))));

    dev.patchbay.patterns.aggregation.Aggregation people = ReadmeExample.matchPeople(crm, erp, payers, view,
        dev.patchbay.core.state.StateStore.inMemory());

    assertEquals(2, view.size(), "O'Brien of three systems is one person; Ng, born the same day, another");
    var sean = people.goldenRecords().stream().filter(g -> g.members().size() == 3).findFirst().orElseThrow();
    assertEquals("sean@x.test", sean.values().get("email"), "held by two of the three");
    assertEquals(sean.values(), view.get(sean.id()).payload());
  }
}
