package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A migration's report, counted per endpoint: what the source gave and lost, what the destination took and refused. */
class MigrationReportTest {

  @Test
  void theReportCountsEachEndpoint_andItsJsonHasThemUnderTheCommonField() throws Exception {
    InMemoryStore<Fields> source = InMemoryStore.create("legacy");
    for (int i = 1; i <= 6; i++) {
      source.putAll(List.of(Envelope.of("k" + i, Fields.of("n", i))));
    }
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    target.putAll(List.of(Envelope.of("k2", Fields.of("n", 2))));   // there already: unchanged
    Faulty<Fields> refusing = Faulty.around(target);
    refusing.inject(Faults.builder().rejectKey("k5").build());
    RunReport report = Migration.builder()
        .name("per-endpoint")
        .source(source)
        .scope(ScopeCriteria.<Fields>where("not k3", r -> !r.key().equals("k3")))
        .transform(r -> {
          if (r.key().equals("k4")) {
            throw DataException.field("n", "four is not allowed");
          }
          return r;
        })
        .destination(refusing)
        .failureLimit(10)
        .build()
        .run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(Map.of(
        "source", new EndpointCounts(6, 0, 0, 0, 0, 1, 1),              // read 6: k3 out of scope, k4 failed at transform
        "destination", new EndpointCounts(0, 2, 0, 0, 1, 0, 1)),         // k1, k6 created; k2 unchanged; k5 refused
        report.endpoints(), report.summary());
    assertEquals(List.of("source", "destination"), List.copyOf(report.endpoints().keySet()));

    JsonNode json = new ObjectMapper().readTree(report.toJson());
    JsonNode destination = json.get("endpoints").get("destination");
    assertEquals(2, destination.get("created").asLong(), report.toJson());
    assertEquals(1, destination.get("unchanged").asLong(), report.toJson());
    assertEquals(1, destination.get("failed").asLong(), report.toJson());
    assertEquals(6, json.get("endpoints").get("source").get("read").asLong(), report.toJson());
    assertEquals(1, json.get("endpoints").get("source").get("skipped").asLong(), report.toJson());
  }
}
