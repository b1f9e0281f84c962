package dev.patchbay.benchmarks;

import dev.patchbay.core.Fields;
import java.time.LocalDate;
import java.util.Random;

/**
 * Generated person records as FEBRL makes them, seeded: names, an address, a date of birth and a
 * phone, drawn from pools where a few values are common and most are rare; and corrupted copies,
 * each with none to three modifications (a typo: a letter substituted, inserted, deleted or two
 * swapped; a value missing; given name and surname swapped).
 */
final class People {

  static final String[] FIELDS = {"given_name", "surname", "street_number", "address_1", "address_2", "suburb",
      "postcode", "state", "date_of_birth", "phone"};
  private static final String[] SYLLABLES = {"an", "ber", "ca", "dor", "el", "fin", "ga", "hol", "is", "jo", "ka",
      "lin", "mar", "nel", "o", "pe", "qui", "ra", "son", "ta", "ul", "vi", "wen", "xa", "yo", "zen", "bra", "cha",
      "dre", "fla", "gro", "ste", "tri", "ell", "ton", "ley", "ford", "wood", "ham", "ria"};
  private static final String[] TYPES = {"street", "road", "avenue", "place", "crescent", "circuit", "close", "drive"};
  private static final String[] STATES = {"nsw", "vic", "qld", "wa", "sa", "tas", "act", "nt"};

  private final String[] given = pool(3_000, 2, 1);
  private final String[] surnames = pool(30_000, 3, 2);
  private final String[] streets = pool(8_000, 2, 3);
  private final String[] suburbs = pool(4_000, 3, 4);
  private final String[] extras = pool(2_000, 2, 5);

  /** A pool of {@code n} distinct made-up words of {@code syllables} syllables or so. */
  private static String[] pool(int n, int syllables, long seed) {
    Random r = new Random(seed);
    java.util.Set<String> words = new java.util.LinkedHashSet<>();
    while (words.size() < n) {
      StringBuilder w = new StringBuilder();
      int k = syllables + r.nextInt(2);
      for (int i = 0; i < k; i++) {
        w.append(SYLLABLES[r.nextInt(SYLLABLES.length)]);
      }
      words.add(w.toString());
    }
    return words.toArray(String[]::new);
  }

  /** A value of {@code pool}, the first ones far more often than the last (about Zipf). */
  private static String skewed(String[] pool, Random r) {
    double u = r.nextDouble();
    return pool[(int) (pool.length * u * u * u)];
  }

  /** One copy of each value made, as a system holding a million records shares its repeated values. */
  private final java.util.Map<String, String> values = new java.util.HashMap<>();

  private String one(String value) {
    String held = values.putIfAbsent(value, value);
    return held == null ? value : held;
  }

  /** The record of entity {@code n}: the same {@code n}, the same record. */
  Fields person(long n) {
    Random r = new Random(n * 0x9E3779B97F4A7C15L + 17);
    return Fields.ofNullable(
        "given_name", skewed(given, r),
        "surname", skewed(surnames, r),
        "street_number", one(String.valueOf(1 + r.nextInt(300))),
        "address_1", one(skewed(streets, r) + " " + TYPES[r.nextInt(TYPES.length)]),
        "address_2", r.nextInt(3) == 0 ? skewed(extras, r) : null,
        "suburb", skewed(suburbs, r),
        "postcode", one(String.valueOf(1000 + r.nextInt(9000))),
        "state", STATES[r.nextInt(STATES.length)],
        "date_of_birth", one(LocalDate.of(1920, 1, 1).plusDays(r.nextInt(32_000)).toString().replace("-", "")),
        "phone", String.format("04%08d", r.nextInt(100_000_000)));
  }

  /** A corrupted copy of {@code person}, as entity {@code n}'s record in the other system. */
  static Fields corrupted(Fields person, long n) {
    Random r = new Random(n * 31 + 7);
    Fields out = person;
    int modifications = new int[] {0, 0, 0, 1, 1, 1, 1, 2, 2, 3}[r.nextInt(10)];
    for (int i = 0; i < modifications; i++) {
      String field = new String[] {"given_name", "surname", "address_1", "suburb", "postcode", "date_of_birth",
          "street_number", "address_2"}[r.nextInt(8)];
      Object value = out.get(field);
      int what = r.nextInt(10);
      if (value == null) {
        continue;
      }
      if (what < 7) {
        out = out.with(field, typo((String) value, r));
      } else if (what < 9) {
        out = out.without(field);
      } else if (out.get("given_name") != null && out.get("surname") != null) {
        out = out.with("given_name", out.get("surname")).with("surname", out.get("given_name"));
      }
    }
    return out;
  }

  /** {@code s} with one typo: a character substituted, inserted, deleted, or two neighbours swapped. */
  static String typo(String s, Random r) {
    if (s.length() < 2) {
      return s + (char) ('a' + r.nextInt(26));
    }
    int at = r.nextInt(s.length() - 1);
    char c = Character.isDigit(s.charAt(at)) ? (char) ('0' + r.nextInt(10)) : (char) ('a' + r.nextInt(26));
    return switch (r.nextInt(4)) {
      case 0 -> s.substring(0, at) + c + s.substring(at + 1);
      case 1 -> s.substring(0, at) + c + s.substring(at);
      case 2 -> s.substring(0, at) + s.substring(at + 1);
      default -> s.substring(0, at) + s.charAt(at + 1) + s.charAt(at) + s.substring(at + 2);
    };
  }
}
