package dev.patchbay.core.codec;

/** What the HTML reports (the catalog's, a correlation's review page) share: text made safe in a page. */
public final class Html {

  /** The look the reports share: type, headings, the summary line, the sticky filter bar, tables, hidden rows. */
  public static final String STYLE = """
      body{font:14px/1.4 system-ui,-apple-system,"Segoe UI",sans-serif;margin:1.5rem;color:#1d2733}
      h1{font-size:1.5rem;margin:0 0 .25rem}h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
      .summary{color:#4a5868;margin:0 0 1rem}
      .filters{position:sticky;top:0;background:#fff;padding:.5rem 0;border-bottom:1px solid #d5dbe1}
      .filters label{margin-right:1rem}#shown{color:#4a5868}
      table{border-collapse:collapse;width:100%;font-size:13px}
      th,td{border:1px solid #d5dbe1;padding:.3rem .45rem;text-align:left;vertical-align:top}
      th{background:#eef2f6}tr[hidden]{display:none}
      """;

  private Html() {
  }

  /** {@code s} made safe in an HTML element or a quoted attribute: never markup, whatever it holds. */
  public static String escape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
