package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Score;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The review page's markup, read as text: what the browser test ({@link ReviewPageBrowserTest}) sees drawn, without a browser. */
class ReviewPageTest {

  private static Score score(double value, double given) {
    return new Score(value, List.of(new Score.Comparison("given", "equal", given),
        new Score.Comparison("dob", "else", value - given)));
  }

  private final List<ReviewItem> queue = List.of(
      new ReviewItem("n-1", "s-1", score(8.5, 6), ReviewItem.Reason.BETWEEN_THRESHOLDS, null),
      new ReviewItem("n-2", "<b>s-2</b>", score(12, 6), ReviewItem.Reason.AMBIGUOUS, null),
      new ReviewItem("n-3", "s-3", score(12, 6), ReviewItem.Reason.AMBIGUOUS, null),
      new ReviewItem("n-4", "s-4", score(15.25, 9), ReviewItem.Reason.REQUIRED_FIELD_DIFFERS, "ward"));

  private final String page = ReviewPage.html("Patients & visits", queue,
      new Histogram(-2, 2, List.of(1L, 4L, 2L, 0L), 1, -1));

  @Test
  void theSummary_countsThePairsByReason_andNamesTheThresholds() {
    assertTrue(page.contains("<title>Patients &amp; visits</title>"), page);
    assertTrue(page.contains("<p class=\"summary\">4 pairs waiting for a person, 1 between the thresholds, 2 ambiguous,"
        + " 1 a required field differs. Link threshold 1.00, review threshold -1.00.</p>"), page);
  }

  @Test
  void theHistogram_isARowABin_itsBarScaledToTheFullest_theThresholdsMarked() {
    assertTrue(page.contains("<tr class=\"review\"><td>-2.00</td><td>0.00</td><td>1</td><td><span class=\"bar\""
        + " style=\"width:25.0%\"></span> review threshold</td></tr>"), page);
    assertTrue(page.contains("<tr class=\"link\"><td>0.00</td><td>2.00</td><td>4</td><td><span class=\"bar\""
        + " style=\"width:100.0%\"></span> link threshold</td></tr>"), page);
    assertTrue(page.contains("<tr><td>2.00</td><td>4.00</td><td>2</td><td><span class=\"bar\" style=\"width:50.0%\">"
        + "</span></td></tr>"), page);
    assertTrue(page.contains("<tr><td>4.00</td><td>6.00</td><td>0</td><td><span class=\"bar\" style=\"width:0.0%\">"
        + "</span></td></tr>"), page);
    String empty = ReviewPage.html("none", List.of(), new Histogram(0, 1, List.of(), 10, 4));
    assertTrue(empty.contains("0 pairs waiting for a person. Link threshold 10.00, review threshold 4.00."), empty);
    assertFalse(empty.contains("<tr class="), "no bins, no rows");
  }

  @Test
  void eachPair_isARow_withWhyItWaits_andItsFieldsWeights_everyKeyEscaped() {
    assertTrue(page.contains("<tr data-reason=\"BETWEEN_THRESHOLDS\" data-score=\"8.500000\"><td>n-1</td><td>s-1</td>"
        + "<td>8.50</td><td>between the thresholds</td><td><ul><li>given: equal (+6.00)</li><li>dob: else (+2.50)</li>"
        + "</ul></td></tr>"), page);
    assertTrue(page.contains("<td>n-2</td><td>&lt;b&gt;s-2&lt;/b&gt;</td><td>12.00</td><td>ambiguous</td>"), page);
    assertTrue(page.contains("<tr data-reason=\"REQUIRED_FIELD_DIFFERS\" data-score=\"15.250000\"><td>n-4</td><td>s-4</td>"
        + "<td>15.25</td><td>a required field differs: ward</td>"), page);
    assertFalse(page.contains("<b>s-2</b>"), "a key is never markup");
    for (ReviewItem.Reason r : ReviewItem.Reason.values()) {
      assertTrue(page.contains("<option value=\"" + r.name() + "\">"), "the filter offers " + r);
    }
  }

  @Test
  void aThresholdOnABinsEdge_marksTheBinItBegins() {
    String edges = ReviewPage.html("edges", List.of(), new Histogram(0, 1, List.of(1L, 1L), 1, 0));
    assertTrue(edges.contains("<tr class=\"review\"><td>0.00</td><td>1.00</td>"), edges);
    assertTrue(edges.contains("<tr class=\"link\"><td>1.00</td><td>2.00</td>"), edges);
  }
}
