package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.file.CsvFile;
import dev.patchbay.connectors.file.FileSchema;
import dev.patchbay.connectors.file.JsonLinesFile;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.HeadlessBrowser;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Transform;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The golden records listed, exported to CSV and JSON Lines through the files connector, and as an HTML page in a real browser. */
class AggregationReportsTest {

  @TempDir
  Path dir;

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private Aggregation agg;

  private static void put(InMemoryStore<Fields> store, String key, long version, Object... fields) {
    store.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }

  @BeforeEach
  void aggregate() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme", "email", "a@acme.test");
    put(erp, "e1", 2, "account", "A-1", "name", "ACME Ltd", "email", "a@acme.test", "credit", 10);
    put(crm, "c2", 1, "account", "<b>A-2</b>", "name", "Beta & Sons");
    put(erp, "e3", 1, "account", "A-3", "name", "Gamma", "credit", 5);
    agg = Aggregation.builder().name("accounts").destination(InMemoryStore.create("out"))
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", erp).transform(Transform.identity()).mergeKey("account"))
        .survivorship("credit", Survivorship.max()).build();
    agg.run();
  }

  @Test
  void goldenRecords_listsEveryEntityWithAMember_inMergeKeyOrder_notOnesLeftWithout() {
    List<GoldenRecord> all = agg.goldenRecords();
    assertEquals(List.of("<b>A-2</b>", "A-1", "A-3"), all.stream().map(GoldenRecord::key).toList());
    assertEquals(agg.golden("A-1").orElseThrow(), all.get(1));
    put(crm, "c2", 2, "account", "A-1", "name", "Beta moved");   // <b>A-2</b> left with no member
    agg.run();
    assertEquals(List.of("A-1", "A-3"), agg.goldenRecords().stream().map(GoldenRecord::key).toList());
  }

  @Test
  void export_writesEachRecordsValuesAndOrigins_toACsvAndAJsonLinesFile() throws Exception {
    FileSchema schema = FileSchema.keyedBy("golden_id").text("merge_key").text("account").text("account_from").text("name")
        .text("name_from").text("email").text("email_from").wholeNumber("credit").text("credit_from").build();
    CsvFile csv = CsvFile.of(dir.resolve("golden.csv"), schema, "reports", "accounts", "Data office");
    JsonLinesFile jsonl = JsonLinesFile.of(dir.resolve("golden.jsonl"), schema, "reports", "accounts", "Data office");

    List<Outcome> toCsv = agg.export(csv);
    List<Outcome> toJsonl = agg.export(jsonl);

    assertEquals(3, toCsv.stream().filter(o -> o instanceof Outcome.Created).count(), toCsv.toString());
    assertEquals(3, toJsonl.stream().filter(o -> o instanceof Outcome.Created).count(), toJsonl.toString());
    String id = agg.golden("A-1").orElseThrow().id();
    for (var file : List.of(csv, jsonl)) {
      Fields row = file.lookup(List.of(id)).get(id).payload();
      assertEquals("A-1", row.get("merge_key"));
      assertEquals("Acme", row.get("name"));
      assertEquals("crm 'c1' v1", row.get("name_from"));
      assertEquals(10L, ((Number) row.get("credit")).longValue());
      assertEquals("erp 'e1' v2", row.get("credit_from"));
    }
  }

  /** The record bodies of the page's table: their text, and whether each is hidden. */
  private static List<String[]> records(String dom) {
    List<String[]> out = new ArrayList<>();
    Matcher m = Pattern.compile("<tbody([^>]*)>(.*?)</tbody>", Pattern.DOTALL).matcher(dom);
    while (m.find()) {
      out.add(new String[] {HeadlessBrowser.text(m.group(2).replaceAll("<[^>]+>", " ").replaceAll("\\s+", " ")),
          m.group(1).contains(" hidden") ? "hidden" : "shown"});
    }
    return out;
  }

  @Test
  void thePage_showsEachRecordWithItsOrigins_highlightsConflicts_filters_andEscapes() throws Exception {
    HeadlessBrowser browser = HeadlessBrowser.require();
    String page = AggregationPage.html("Accounts <golden>", agg.goldenRecords());
    assertFalse(page.contains("<b>A-2</b>"), "a key is text, never markup");
    assertTrue(page.contains("3 golden records, 1 with fields their inputs disagree on."), "the summary counts conflicts");
    assertFalse(page.contains("<script src") || page.contains("<link"), "self-contained");

    HeadlessBrowser.Page loaded = browser.load(dir, page, "");
    assertEquals(List.of(), loaded.console(), "no console messages");
    List<String[]> shown = records(loaded.dom());
    assertEquals(3, shown.size());
    assertTrue(shown.get(1)[0].contains("name Acme") && shown.get(1)[0].contains("crm 'c1' v1 source priority"), shown.get(1)[0]);
    assertTrue(shown.get(1)[0].contains("erp 'e1': ACME Ltd"), "the conflicting values listed: " + shown.get(1)[0]);
    assertTrue(shown.get(0)[0].contains("<b>A-2</b>"), "the key shown as text: " + shown.get(0)[0]);
    assertTrue(loaded.dom().contains("3 of 3 records shown"));
    assertEquals(1, loaded.dom().split("class=\"conflict\"", -1).length - 1, "one field in conflict: A-1's name");

    List<String[]> conflicted = records(browser.load(dir, page, "#conflicts=1").dom());
    assertEquals(List.of("hidden", "shown", "hidden"), conflicted.stream().map(r -> r[1]).toList());
    List<String[]> erpOnly = records(browser.load(dir, page, "#input=erp").dom());
    assertEquals(List.of("hidden", "shown", "shown"), erpOnly.stream().map(r -> r[1]).toList());
    List<String[]> found = records(browser.load(dir, page, "#q=gamma").dom());
    assertEquals(List.of("hidden", "hidden", "shown"), found.stream().map(r -> r[1]).toList());
  }
}
