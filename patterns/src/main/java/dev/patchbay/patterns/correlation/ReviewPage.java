package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Score;
import static dev.patchbay.core.codec.Html.escape;

import dev.patchbay.core.codec.Html;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A correlation's review queue as one self-contained HTML page (no external scripts, styles or
 * fonts): the score histogram with the thresholds, then every queued pair with why it waits and
 * its field-by-field explanation (each field's comparison level and weight). A text box, a reason
 * list and a lowest score filter the queue, and a link may preset them
 * ({@code review.html#reason=AMBIGUOUS&q=n-01&min=8}). The page holds keys, levels and weights,
 * never a record's values, so it can be mailed: the reviewer opens the two records in their
 * systems, then decides ({@link Correlation#assertLink}, {@link Correlation#rejectLink}). Every
 * text on it is escaped.
 */
public final class ReviewPage {

  private ReviewPage() {
  }

  /** The page for {@code queue}, with the {@code histogram} of the round that made it, titled {@code title}. */
  public static String html(String title, List<ReviewItem> queue, Histogram histogram) {
    StringBuilder h = new StringBuilder(8_192 + 512 * queue.size());
    Map<ReviewItem.Reason, Integer> byReason = new EnumMap<>(ReviewItem.Reason.class);
    queue.forEach(i -> byReason.merge(i.reason(), 1, Integer::sum));
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n")
        .append("<h1>").append(escape(title)).append("</h1>\n<p class=\"summary\">").append(queue.size())
        .append(" pairs waiting for a person");
    byReason.forEach((r, n) -> h.append(", ").append(n).append(' ').append(label(r)));
    h.append(String.format(Locale.ROOT, ". Link threshold %s, review threshold %s.</p>%n", number(histogram.link()),
        number(histogram.review())));

    h.append("<h2>Scores of the pairs compared</h2>\n<table id=\"histogram\"><thead><tr><th>from</th><th>to</th>")
        .append("<th>pairs</th><th></th></tr></thead><tbody>\n");
    long most = histogram.counts().stream().mapToLong(Long::longValue).max().orElse(1);
    for (int i = 0; i < histogram.counts().size(); i++) {
      double lo = histogram.from() + i * histogram.width();
      double hi = lo + histogram.width();
      String mark = lo <= histogram.link() && histogram.link() < hi ? "link"
          : lo <= histogram.review() && histogram.review() < hi ? "review" : "";
      long n = histogram.counts().get(i);
      h.append("<tr").append(mark.isEmpty() ? "" : " class=\"" + mark + "\"").append("><td>").append(number(lo))
          .append("</td><td>").append(number(hi)).append("</td><td>").append(n).append("</td><td><span class=\"bar\" style=\"width:")
          .append(String.format(Locale.ROOT, "%.1f", 100.0 * n / Math.max(1, most))).append("%\"></span>")
          .append(mark.isEmpty() ? "" : " " + mark + " threshold").append("</td></tr>\n");
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Queue</h2>\n<div class=\"filters\"><label>Find <input id=\"q\" type=\"search\" placeholder=\"a key or a field\">")
        .append("</label> <label>Why <select id=\"reason\"><option value=\"\">every reason</option>");
    for (ReviewItem.Reason r : ReviewItem.Reason.values()) {
      h.append("<option value=\"").append(r.name()).append("\">").append(escape(label(r))).append("</option>");
    }
    h.append("</select></label> <label>Score at least <input id=\"min\" type=\"number\" step=\"any\"></label>")
        .append(" <span id=\"shown\"></span></div>\n")
        .append("<table id=\"queue\"><thead><tr><th>Side A</th><th>Side B</th><th>Score</th><th>Why</th>")
        .append("<th>Field by field</th></tr></thead><tbody>\n");
    for (ReviewItem item : queue) {
      h.append("<tr data-reason=\"").append(item.reason().name()).append("\" data-score=\"")
          .append(String.format(Locale.ROOT, "%.6f", item.score().value())).append("\"><td>").append(escape(item.aKey()))
          .append("</td><td>").append(escape(item.bKey())).append("</td><td>").append(number(item.score().value()))
          .append("</td><td>").append(escape(label(item.reason())))
          .append(item.detail() == null ? "" : ": " + escape(item.detail())).append("</td><td><ul>");
      for (Score.Comparison c : item.score().fields()) {
        h.append("<li>").append(escape(c.field())).append(": ").append(escape(c.level())).append(" (")
            .append(String.format(Locale.ROOT, "%+.2f", c.weight())).append(")</li>");
      }
      h.append("</ul></td></tr>\n");
    }
    h.append("</tbody></table>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static String label(ReviewItem.Reason r) {
    return switch (r) {
      case BETWEEN_THRESHOLDS -> "between the thresholds";
      case AMBIGUOUS -> "ambiguous";
      case REQUIRED_FIELD_DIFFERS -> "a required field differs";
    };
  }

  private static String number(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }

  private static final String STYLE = Html.STYLE + """
      td ul{margin:0;padding-left:1.1rem}
      #histogram{width:auto}#histogram td:last-child{width:24rem}
      .bar{display:inline-block;height:.8rem;background:#5b7fa6;vertical-align:middle}
      tr.link td{background:#e9f6ec}tr.review td{background:#fdf6e3}
      """;

  private static final String SCRIPT = """
      (function () {
        var q = document.getElementById('q');
        var reason = document.getElementById('reason');
        var min = document.getElementById('min');
        var shown = document.getElementById('shown');
        var rows = Array.prototype.slice.call(document.getElementById('queue').tBodies[0].rows);
        function apply() {
          var text = q.value.trim().toLowerCase();
          var lowest = min.value === '' ? -Infinity : parseFloat(min.value);
          var visible = 0;
          rows.forEach(function (row) {
            var keep = (!reason.value || row.getAttribute('data-reason') === reason.value)
              && parseFloat(row.getAttribute('data-score')) >= lowest
              && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
            row.hidden = !keep;
            if (keep) { visible++; }
          });
          shown.textContent = visible + ' of ' + rows.length + ' pairs shown';
        }
        var preset = new URLSearchParams(location.hash.slice(1));
        if (preset.has('q')) { q.value = preset.get('q'); }
        if (preset.has('reason')) { reason.value = preset.get('reason'); }
        if (preset.has('min')) { min.value = preset.get('min'); }
        [q, reason, min].forEach(function (el) { el.addEventListener('input', apply); });
        apply();
      })();
      """;
}
