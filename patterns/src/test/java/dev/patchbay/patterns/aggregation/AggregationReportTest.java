package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.EndpointCounts;
import dev.patchbay.core.report.RunStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The report's summary line by line, and each builder setting given once. */
class AggregationReportTest {

  @Test
  void theSummary_saysWhatEachInputAndTheDestinationDid_theFailuresAndFindings_neverValues() {
    Map<String, EndpointCounts> inputs = new LinkedHashMap<>();
    inputs.put("crm", new EndpointCounts(10, 3, 2, 1, 4, 0, 0));
    inputs.put("erp", new EndpointCounts(7, 1, 0, 0, 2, 3, 1));
    AggregationReport r = new AggregationReport("accounts", RunStatus.PARTIAL, "Aggregation 'accounts' partial: input erp failed",
        inputs, new EndpointCounts(0, 5, 6, 7, 8, 0, 2), List.of("erp"), 4,
        List.of(new Outcome.Failed("erp:e9", Stage.TRANSFORM, "account", "no merge key: absent")), List.of("input 'erp' failed"),
        Instant.EPOCH, Instant.EPOCH.plusSeconds(2));

    assertEquals("""
        Aggregation 'accounts' partial: input erp failed
          input crm: read 10; into entities 3 new, 2 changed, 4 as before; removed 1
          input erp: read 7; into entities 1 new, 0 changed, 2 as before; removed 0; skipped 3 out of scope; failed 1
          output: created 5, updated 6, deleted 7, unchanged 8; failed 2; held back 4 (an input failed)
          failed: 1 x TRANSFORM, field 'account': no merge key: absent (erp:e9)
          finding: input 'erp' failed""", r.summary());
    AggregationReport quiet = new AggregationReport("accounts", RunStatus.COMPLETED, null, Map.of(), EndpointCounts.zero(),
        List.of(), 0, List.of(), List.of(), Instant.EPOCH, Instant.EPOCH);
    assertEquals("Aggregation 'accounts' COMPLETED\n  output: created 0, updated 0, deleted 0, unchanged 0", quiet.summary());
    assertEquals(Duration.ofSeconds(2), r.duration());
  }

  @Test
  void eachSettingOfTheBuilder_isGivenOnce() {
    InMemoryStore<Fields> out = InMemoryStore.create("out");
    List<UnaryOperator<Aggregation.Builder>> twice = List.of(
        b -> b.destination(out).destination(out),
        b -> b.survivorship(Survivorship.max()).survivorship(Survivorship.min()),
        b -> b.survivorship("name", Survivorship.max()).survivorship("name", Survivorship.min()),
        b -> b.outputKey(Aggregation.OutputKey.MERGE_KEY).outputKey(Aggregation.OutputKey.GOLDEN_ID),
        b -> b.transformOutput(Transform.identity()).transformOutput(Transform.identity()),
        b -> b.goldenIdField("id").goldenIdField("gid"),
        b -> b.lookupTimeout(Duration.ofSeconds(1)).lookupTimeout(Duration.ofSeconds(2)),
        b -> b.group("g", List.of("a"), Survivorship.mostRecent()).group("h", List.of("a"), Survivorship.mostRecent()));
    for (UnaryOperator<Aggregation.Builder> t : twice) {
      SetupException e = assertThrows(SetupException.class, () -> t.apply(Aggregation.builder().name("accounts")));
      assertTrue(e.getMessage().startsWith("Aggregation 'accounts': "), e.getMessage());
    }
    assertThrows(SetupException.class, () -> Aggregation.builder().lookupTimeout(Duration.ZERO));
    assertThrows(SetupException.class, () -> Aggregation.builder().group("g", List.of(), Survivorship.mostRecent()));
  }

  @Test
  void clearingAnOverride_returnsTheRecordTheRuleMakesAgain() {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.write(List.of(dev.patchbay.core.Change.upsert(new dev.patchbay.core.Envelope<>("c1", 1, Fields.of("id", "A", "name", "Acme")))));
    Aggregation agg = Aggregation.builder().name("accounts").destination(InMemoryStore.create("out"))
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("id")).build();
    agg.run();
    agg.override("A", "name", "Acme Corp");

    GoldenRecord back = agg.clearOverride("A", "name");

    assertEquals("Acme", back.values().get("name"));
    assertEquals("crm", back.origins("name").get(0).source());
    assertTrue(agg.golden("B").isEmpty());
    assertEquals("Aggregation[accounts]", agg.toString());
  }
}
