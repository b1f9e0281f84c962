package dev.patchbay.core.report;

/** What the HTML reports (the catalog's, a correlation's review page) share: text made safe in a page. */
public final class Html {

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
