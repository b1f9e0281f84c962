package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A sync hands its result capture every write outcome and each round's report, in the form every pattern's report has. */
class SyncResultCaptureTest {

  @Test
  void theCapture_getsEveryWriteOutcome_andTheRoundsReport_whoseJsonHasTheCommonFields() throws Exception {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    crm.write(List.of(Change.upsert(Envelope.of("a-1", Fields.of("name", "Ada")))));
    List<Outcome> outcomes = new ArrayList<>();
    List<Report> reports = new ArrayList<>();
    BidirectionalSync sync = BidirectionalSync.builder().name("captured").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(Envelope::key, Envelope::key).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .resultCapture(new ResultCapture() {
          @Override
          public void capture(Outcome outcome) {
            outcomes.add(outcome);
          }

          @Override
          public void report(Report report) {
            reports.add(report);
          }
        }).build();

    SyncReport report = sync.round();

    assertEquals(List.of(Outcome.created("a-1")), outcomes);
    assertEquals(List.of(report), reports);
    JsonNode json = new ObjectMapper().readTree(report.toJson());
    assertEquals("captured", json.get("name").asText());
    assertEquals("sync", json.get("pattern").asText());
    assertEquals(RunStatus.COMPLETED.name(), json.get("status").asText());
    assertTrue(json.get("failures").isArray() && json.get("findings").isArray(), report.toJson());
    assertEquals(1, json.get("endpoints").get("b").get("created").asLong(), report.toJson());
    assertEquals(1, json.get("endpoints").get("a").get("read").asLong(), report.toJson());
    assertTrue(json.get("conflicts").isArray(), "the sync's own fields after the common ones: " + report.toJson());
    assertTrue(json.has("clockSkewMillis"), report.toJson());
  }

  /**
   * Defect 15: linked records that left a side's scope were counted, never named: no failure,
   * finding or outcome carried their keys. Now each ends in a SKIPPED outcome naming the pair, the
   * side and the scope, given to the capture, and in a finding.
   */
  @Test
  void aLinkedRecordThatLeavesItsScope_endsInASkippedOutcomeNamingIt_andAFinding() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    InMemoryStore<Fields> permits = InMemoryStore.create("permits");
    crm.write(List.of(Change.upsert(Envelope.of("a-1", Fields.of("name", "Ada", "active", true))),
        Change.upsert(Envelope.of("a-2", Fields.of("name", "Bo", "active", true)))));
    List<Outcome> outcomes = new ArrayList<>();
    ScopeCriteria<Fields> active = ScopeCriteria.where("active", r -> Boolean.TRUE.equals(r.payload().get("active")));
    BidirectionalSync sync = BidirectionalSync.builder().name("scoped").sideA(crm).sideB(permits)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity()).scopes(active, ScopeCriteria.all())
        .keys(Envelope::key, Envelope::key).conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .resultCapture(outcomes::add).build();
    sync.round();
    outcomes.clear();
    crm.write(List.of(Change.upsert(new Envelope<>("a-1", crm.get("a-1").version() + 1,
        Fields.of("name", "Ada", "active", false)))));
    SyncReport report = sync.round();
    String why = "'a-1' (side A) and 'a-1' (side B) are linked, and the record on side A left its scope (active):"
        + " neither is written while it is out";
    assertEquals(List.of(new Outcome.Skipped("a-1", why)), outcomes);
    assertTrue(report.findings().contains(why), report.findings().toString());
    assertEquals(1, report.a().skipped(), report.toJson());
  }
}
