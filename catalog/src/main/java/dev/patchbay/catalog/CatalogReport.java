package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.codec.Html;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The catalog, its findings and its roadmap as one self-contained HTML page: no external scripts,
 * styles or fonts, so it can be mailed or opened from a file share. Tables sort by a click on a
 * column header; a text box and system and status lists filter every table at once, and a link
 * may preset them ({@code report.html#system=crm&status=In%20production&q=contacts}). Every value
 * from the catalog is escaped.
 */
public final class CatalogReport {

  private CatalogReport() {
  }

  /** The page for {@code catalog} with its {@code findings} and {@code roadmap}, titled {@code title}. */
  public static String html(String title, List<CatalogEntry> catalog, List<Finding> findings, List<Roadmap.Item> roadmap) {
    StringBuilder h = new StringBuilder(16_384);
    TreeSet<String> systems = new TreeSet<>();
    catalog.forEach(e -> {
      systems.add(e.sourceSystem());
      systems.add(e.targetSystem());
    });
    h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<title>").append(esc(title)).append("</title>\n<style>").append(STYLE).append("</style></head>\n<body>\n")
        .append("<h1>").append(esc(title)).append("</h1>\n")
        .append("<p class=\"summary\">").append(catalog.size()).append(" integrations, ").append(findings.size())
        .append(" findings (").append(findings.stream().filter(Finding::security).count()).append(" security), ")
        .append(systems.size()).append(" systems</p>\n");
    h.append("<div class=\"filters\"><label>Find <input id=\"q\" type=\"search\" placeholder=\"any text\"></label>")
        .append(" <label>System <select id=\"system\"><option value=\"\">all systems</option>");
    systems.forEach(s -> h.append("<option value=\"").append(esc(s)).append("\">").append(esc(s)).append("</option>"));
    h.append("</select></label> <label>Status <select id=\"status\"><option value=\"\">any status</option>");
    for (CatalogEntry.Status s : CatalogEntry.Status.values()) {
      h.append("<option>").append(esc(s.label())).append("</option>");
    }
    h.append("</select></label> <span id=\"shown\"></span></div>\n");

    Landscape landscape = Landscape.of(catalog, findings);
    h.append("<h2>Landscape</h2>\n<p class=\"legend\">Each system a box, each integration an arrow to its target, coloured"
        + " by its worst finding: <span style=\"color:#c62828\">security or critical</span>, <span style=\"color:#ef6c00\">high</span>,"
        + " <span style=\"color:#f9a825\">medium</span>, <span style=\"color:#1565c0\">low</span>, <span style=\"color:#9e9e9e\">none</span>."
        + " Hover an arrow for the integration and its finding.</p>\n").append(landscape.svg()).append('\n');

    h.append("<h2>Roadmap</h2>\n<table id=\"roadmap\" class=\"sortable\"><thead><tr><th>#</th><th>Integration</th>")
        .append("<th>Rule</th><th>Severity</th><th>What is wrong</th><th>Why here</th></tr></thead><tbody>\n");
    for (Roadmap.Item item : roadmap) {
      CatalogEntry e = item.finding().entry();
      row(h, e, item.finding().security() ? "security" : "");
      cells(h, String.valueOf(item.rank()), e.name(), item.finding().rule(), item.finding().severity().name(),
          item.finding().explanation(), item.why());
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Findings</h2>\n<table id=\"findings\" class=\"sortable\"><thead><tr><th>Integration</th><th>Rule</th>")
        .append("<th>Severity</th><th>Effort</th><th>What is wrong</th></tr></thead><tbody>\n");
    for (Finding f : findings) {
      row(h, f.entry(), f.security() ? "security" : "");
      cells(h, f.entry().name(), f.rule(), f.severity().name(), f.effort().name().toLowerCase(Locale.ROOT), f.explanation());
    }
    h.append("</tbody></table>\n");

    h.append("<h2>Catalog</h2>\n<table id=\"catalog\" class=\"sortable\"><thead><tr>");
    CatalogCsv.COLUMNS.forEach(c -> h.append("<th>").append(esc(c)).append("</th>"));
    h.append("</tr></thead><tbody>\n");
    for (CatalogEntry e : catalog) {
      row(h, e, "");
      Map<String, String> columns = Columns.of(e);
      cells(h, columns.values().toArray(String[]::new));
    }
    h.append("</tbody></table>\n<script>").append(SCRIPT).append("</script>\n</body></html>\n");
    return h.toString();
  }

  private static void row(StringBuilder h, CatalogEntry e, String cssClass) {
    h.append("<tr data-source=\"").append(esc(e.sourceSystem())).append("\" data-target=\"").append(esc(e.targetSystem()))
        .append("\" data-status=\"").append(esc(e.status().label())).append('"')
        .append(cssClass.isEmpty() ? "" : " class=\"" + cssClass + "\"").append('>');
  }

  private static void cells(StringBuilder h, String... values) {
    for (String v : values) {
      h.append("<td>").append(esc(v)).append("</td>");
    }
    h.append("</tr>\n");
  }

  private static String esc(String s) {
    return Html.escape(s);
  }

  private static final String STYLE = Html.STYLE + """
      td{white-space:pre-wrap}th{cursor:pointer;user-select:none;position:relative}
      th[aria-sort=ascending]::after{content:" \\25B2"}th[aria-sort=descending]::after{content:" \\25BC"}
      tr.security td{background:#fdeeee}
      """;

  private static final String SCRIPT = """
      (function () {
        var q = document.getElementById('q');
        var system = document.getElementById('system');
        var status = document.getElementById('status');
        var shown = document.getElementById('shown');
        var tables = Array.prototype.slice.call(document.querySelectorAll('table.sortable'));
        function apply() {
          var text = q.value.trim().toLowerCase();
          var visible = 0;
          tables.forEach(function (table) {
            Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
              var keep = (!system.value || row.getAttribute('data-source') === system.value
                  || row.getAttribute('data-target') === system.value)
                && (!status.value || row.getAttribute('data-status') === status.value)
                && (!text || row.textContent.toLowerCase().indexOf(text) >= 0);
              row.hidden = !keep;
              if (keep && table.id === 'catalog') { visible++; }
            });
          });
          shown.textContent = visible + ' of ' + document.getElementById('catalog').tBodies[0].rows.length
            + ' integrations shown';
        }
        function sortBy(table, index, th) {
          var ascending = th.getAttribute('aria-sort') !== 'ascending';
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute('aria-sort'); });
          th.setAttribute('aria-sort', ascending ? 'ascending' : 'descending');
          var rows = Array.prototype.slice.call(table.tBodies[0].rows);
          rows.sort(function (a, b) {
            var x = a.cells[index].textContent, y = b.cells[index].textContent;
            var nx = parseFloat(x.replace(/,/g, '')), ny = parseFloat(y.replace(/,/g, ''));
            var order = !isNaN(nx) && !isNaN(ny) && /^[0-9,.]+$/.test(x) && /^[0-9,.]+$/.test(y)
              ? nx - ny : x.localeCompare(y);
            return ascending ? order : -order;
          });
          rows.forEach(function (r) { table.tBodies[0].appendChild(r); });
        }
        tables.forEach(function (table) {
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
            th.addEventListener('click', function () { sortBy(table, index, th); });
          });
        });
        var preset = new URLSearchParams(location.hash.slice(1));
        if (preset.has('q')) { q.value = preset.get('q'); }
        if (preset.has('system')) { system.value = preset.get('system'); }
        if (preset.has('status')) { status.value = preset.get('status'); }
        if (preset.has('sort')) {
          var catalog = document.getElementById('catalog');
          Array.prototype.forEach.call(catalog.tHead.rows[0].cells, function (th, index) {
            if (th.textContent === preset.get('sort')) { sortBy(catalog, index, th); }
          });
        }
        [q, system, status].forEach(function (el) { el.addEventListener('input', apply); });
        apply();
      })();
      """;
}
