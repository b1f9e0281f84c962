package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.Score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.HeadlessBrowser;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review page in a real headless browser ({@link HeadlessBrowser}): every queued pair, explained, and its filters. */
class ReviewPageBrowserTest {

  private static HeadlessBrowser browser;

  @TempDir
  Path dir;

  private List<ReviewItem> queue;
  private Histogram histogram;
  private String page;

  @BeforeAll
  static void browser() throws Exception {
    browser = HeadlessBrowser.require();
  }

  private static void put(InMemoryStore<Fields> side, String key, Object... fields) {
    side.write(List.of(Change.upsert(new Envelope<>(key, 1, Fields.of(fields)))));
  }

  /** A queue with a pair of every reason, and a key that holds markup. */
  @BeforeEach
  void queue() {
    InMemoryStore<Fields> north = InMemoryStore.create("north");
    InMemoryStore<Fields> south = InMemoryStore.create("south");
    put(north, "n-1", "given", "Ada", "surname", "Lovelace", "dob", "1815-12-10", "ward", "7");
    put(south, "s-1", "given", "Ada", "surname", "Lovelace", "dob", "1816-01-01", "ward", "7");      // between the thresholds
    put(north, "n-2", "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "ward", "1");
    put(south, "s-2", "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "ward", "1");
    put(south, "<b>s-3</b>", "given", "Alan", "surname", "Turing", "dob", "1912-06-23", "ward", "1"); // a twin: ambiguous
    put(north, "n-4", "given", "Grace", "surname", "Hopper", "dob", "1906-12-09", "ward", "2");
    put(south, "s-4", "given", "Grace", "surname", "Hopper", "dob", "1906-12-09", "ward", "5");      // the required ward differs
    Correlation c = Correlation.builder().name("patients").sideA(north).sideB(south)
        .mapping(f -> Fields.empty(), f -> Fields.empty())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(CorrelationTest.RULE).blocking(Blocking.field("surname"))
        .thresholds(10, 4).ambiguityMargin(1).require("ward")
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .build();
    CorrelationReport report = c.round();
    queue = c.reviewQueue();
    histogram = report.linking().histogram();
    page = ReviewPage.html("Patients to review", queue, histogram);
  }

  @Test
  void everyQueuedPairIsShown_withItsExplanation_andNoConsoleErrors() throws Exception {
    assertEquals(4, queue.size(), queue.toString());
    HeadlessBrowser.Page loaded = browser.load(dir, page, "");
    assertEquals(List.of(), loaded.console(), "no console messages");
    List<String> rows = HeadlessBrowser.rows(loaded.dom(), "queue", false);
    assertEquals(queue.size(), rows.size());
    for (int i = 0; i < queue.size(); i++) {
      ReviewItem item = queue.get(i);
      String row = rows.get(i);
      assertTrue(row.startsWith(item.aKey() + "|" + item.bKey() + "|"), row);
      for (Score.Comparison c : item.score().fields()) {
        assertTrue(row.contains(c.field() + ": " + c.level()), row + " explains " + c.field());
      }
    }
    assertFalse(loaded.dom().contains("<b>s-3</b>"), "a key is never markup");
    assertTrue(loaded.dom().contains("4 of 4 pairs shown"), "the script ran");
    assertFalse(loaded.dom().contains("Lovelace"), "no record value is on the page");
    assertEquals(histogram.counts().size(), HeadlessBrowser.rows(loaded.dom(), "histogram", false).size(), "a bar a bin");
    assertTrue(loaded.dom().contains("link threshold"), "the link threshold is marked");
  }

  @Test
  void filteringByReason_showsExactlyThosePairs() throws Exception {
    HeadlessBrowser.Page loaded = browser.load(dir, page, "#reason=AMBIGUOUS");
    assertEquals(List.of(), loaded.console());
    List<String> shown = HeadlessBrowser.rows(loaded.dom(), "queue", false);
    long ambiguous = queue.stream().filter(i -> i.reason() == ReviewItem.Reason.AMBIGUOUS).count();
    assertEquals(2, ambiguous);
    assertEquals(ambiguous, shown.size(), shown.toString());
    assertTrue(shown.stream().allMatch(r -> r.contains("ambiguous")), shown.toString());
    assertEquals(queue.size() - ambiguous, HeadlessBrowser.rows(loaded.dom(), "queue", true).size());
  }

  @Test
  void filteringByTextAndLowestScore_narrowsTheQueue() throws Exception {
    HeadlessBrowser.Page byKey = browser.load(dir, page, "#q=s-4");
    assertEquals(List.of("n-4"), HeadlessBrowser.rows(byKey.dom(), "queue", false).stream()
        .map(r -> r.substring(0, r.indexOf('|'))).toList());
    double lowest = queue.stream().mapToDouble(i -> i.score().value()).min().orElseThrow();
    HeadlessBrowser.Page byScore = browser.load(dir, page, "#min=" + (lowest + 0.01));
    assertEquals(queue.stream().filter(i -> i.score().value() >= lowest + 0.01).count(),
        HeadlessBrowser.rows(byScore.dom(), "queue", false).size());
    assertTrue(HeadlessBrowser.rows(byScore.dom(), "queue", true).size() >= 1, "the lowest pair is hidden");
  }
}
