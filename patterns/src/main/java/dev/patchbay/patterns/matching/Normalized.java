package dev.patchbay.patterns.matching;

import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The form in which values are compared: text folded to lower case, accents taken off,
 * punctuation dropped, runs of whitespace made one space and the ends trimmed; "José  O'Brien-Smith"
 * becomes "jose obriensmith". A value that is null or leaves nothing is missing (null).
 */
public final class Normalized {

  private static final Pattern MARKS = Pattern.compile("\\p{M}+");
  private static final Pattern PUNCTUATION = Pattern.compile("[\\p{P}\\p{S}]+");
  private static final Pattern SPACE = Pattern.compile("\\s+");

  private Normalized() {
  }

  /** {@code value} as text in its compared form; null where it is null or nothing is left of it. */
  public static String text(Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    if (plain(text)) {
      return text;   // in its compared form already (most values are): no copy made
    }
    String folded = Normalizer.normalize(text, Normalizer.Form.NFD);
    folded = MARKS.matcher(folded).replaceAll("");
    folded = PUNCTUATION.matcher(folded).replaceAll("");
    folded = SPACE.matcher(folded).replaceAll(" ").trim().toLowerCase(Locale.ROOT);
    return folded.isEmpty() ? null : folded;
  }

  /** Whether {@code text} is lower-case ASCII letters and digits, single spaces between them only. */
  private static boolean plain(String text) {
    int n = text.length();
    if (n == 0 || text.charAt(0) == ' ' || text.charAt(n - 1) == ' ') {
      return false;
    }
    char previous = 'a';
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ' && previous != ' ')) {
        return false;
      }
      previous = c;
    }
    return true;
  }
}
