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
import dev.patchbay.core.ResultCapture;
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
}
