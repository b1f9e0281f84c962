package dev.patchbay.patterns.aggregation;

import static dev.patchbay.core.codec.Html.escape;

import dev.patchbay.core.codec.Html;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import dev.patchbay.patterns.aggregation.GoldenRecord.Origin;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One self-contained HTML page of golden records (no external script, style or font): each record
 * with its values, where each came from and by which rule, the fields where its members disagree
 * highlighted with every value they hold, and filters by text, by input and to conflicts only.
 * Holds record values: a page for the people who may see the data.
 */
public final class AggregationPage {

  private AggregationPage() {
  }

  /**
   * The page. Its filters may be preset in the address's fragment: {@code #q=acme&input=erp&conflicts=1}.
   *
   * @param records the golden records ({@link Aggregation#goldenRecords()})
   */
  public static String html(String title, Collection<GoldenRecord> records) {
    Objects.requireNonNull(title, "title");
    Set<String> inputs = new TreeSet<>();
    long conflicted = 0;
    for (GoldenRecord g : records) {
      g.members().forEach(m -> inputs.add(m.source()));
      conflicted += conflicts(g).isEmpty() ? 0 : 1;
    }
    StringBuilder h = new StringBuilder(8_192 + 1_024 * records.size());
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(escape(title)).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n")
        .append("<h1>").append(escape(title)).append("</h1>\n<p class=\"summary\">").append(records.size())
        .append(" golden records, ").append(conflicted).append(" with fields their inputs disagree on.</p>\n")
        .append("<div class=\"filters\"><label>Find <input id=\"q\" type=\"search\" placeholder=\"a key or a value\"></label>")
        .append(" <label>Input <select id=\"input\"><option value=\"\">every input</option>");
    for (String input : inputs) {
      h.append("<option value=\"").append(escape(input)).append("\">").append(escape(input)).append("</option>");
    }
    h.append("</select></label> <label><input id=\"conflicts\" type=\"checkbox\"> only records with conflicts</label>")
        .append(" <span id=\"shown\"></span></div>\n")
        .append("<table id=\"records\"><thead><tr><th>Golden id</th><th>Merge key</th><th>Field</th><th>Value</th>")
        .append("<th>From</th><th>Rule</th></tr></thead>\n");
    for (GoldenRecord g : records) {
      Set<String> conflicts = conflicts(g);
      Set<String> from = new LinkedHashSet<>();
      g.members().forEach(m -> from.add(m.source()));
      List<String> fields = List.copyOf(g.values().names());
      h.append("<tbody class=\"record").append(conflicts.isEmpty() ? "" : " conflicted").append("\" data-inputs=\"")
          .append(escape(String.join(" ", from))).append("\">\n");
      for (int i = 0; i < fields.size(); i++) {
        String field = fields.get(i);
        List<Origin> origins = g.origins(field);
        boolean conflict = conflicts.contains(field);
        h.append("<tr").append(conflict ? " class=\"conflict\"" : "").append(">");
        if (i == 0) {
          h.append("<td rowspan=\"").append(fields.size()).append("\">").append(escape(g.id())).append("</td><td rowspan=\"")
              .append(fields.size()).append("\">").append(escape(g.key())).append("</td>");
        }
        h.append("<td>").append(escape(field)).append("</td><td>").append(escape(String.valueOf(g.values().get(field))));
        if (conflict) {
          h.append("<ul class=\"others\">");
          for (Member m : g.members()) {
            Object v = m.values().get(field);
            if (v != null) {
              h.append("<li>").append(escape(m.source())).append(" '").append(escape(m.key())).append("': ")
                  .append(escape(String.valueOf(v))).append("</li>");
            }
          }
          h.append("</ul>");
        }
        h.append("</td><td>");
        for (int o = 0; o < origins.size(); o++) {
          Origin origin = origins.get(o);
          h.append(o == 0 ? "" : "<br>").append(origin.source().equals(GoldenRecord.OVERRIDE) ? "a person's override"
              : escape(origin.source()) + " '" + escape(origin.key()) + "' v" + origin.version());
        }
        h.append("</td><td>").append(origins.isEmpty() ? "" : escape(origins.get(0).rule())).append("</td></tr>\n");
      }
      h.append("</tbody>\n");
    }
    h.append("</table>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  /** The fields two members hold different values of. */
  static Set<String> conflicts(GoldenRecord g) {
    Set<String> conflicts = new LinkedHashSet<>();
    for (String field : g.values().names()) {
      Object seen = null;
      for (Member m : g.members()) {
        Object v = m.values().get(field);
        if (v == null) {
          continue;
        }
        if (seen != null && !dev.patchbay.core.Fields.sameValue(seen, v)) {
          conflicts.add(field);
          break;
        }
        seen = v;
      }
    }
    return conflicts;
  }

  private static final String STYLE = Html.STYLE + """
      tbody.record{border-top:2px solid #9aa8b6}
      tr.conflict td{background:#fdf0e6}
      ul.others{margin:.2rem 0 0;padding-left:1.1rem;color:#7a4b1f;font-size:12px}
      tbody[hidden]{display:none}
      """;

  private static final String SCRIPT = """
      (function () {
        var q = document.getElementById('q');
        var input = document.getElementById('input');
        var conflicts = document.getElementById('conflicts');
        var shown = document.getElementById('shown');
        var records = Array.prototype.slice.call(document.getElementById('records').tBodies);
        function apply() {
          var text = q.value.trim().toLowerCase();
          var visible = 0;
          records.forEach(function (r) {
            var keep = (!input.value || (' ' + r.getAttribute('data-inputs') + ' ').indexOf(' ' + input.value + ' ') >= 0)
              && (!conflicts.checked || r.classList.contains('conflicted'))
              && (!text || r.textContent.toLowerCase().indexOf(text) >= 0);
            r.hidden = !keep;
            if (keep) { visible++; }
          });
          shown.textContent = visible + ' of ' + records.length + ' records shown';
        }
        var preset = new URLSearchParams(location.hash.slice(1));
        if (preset.has('q')) { q.value = preset.get('q'); }
        if (preset.has('input')) { input.value = preset.get('input'); }
        if (preset.get('conflicts') === '1') { conflicts.checked = true; }
        [q, input, conflicts].forEach(function (el) { el.addEventListener('input', apply); el.addEventListener('change', apply); });
        apply();
      })();
      """;
}
