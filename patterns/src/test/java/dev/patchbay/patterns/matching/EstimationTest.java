package dev.patchbay.patterns.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Weights estimated without labels, judged against the truth of a generated population. */
class EstimationTest {

  private static final String[] GIVEN = {"anna", "ben", "chloe", "daniel", "emma", "finn", "grace", "harry", "isla",
      "jack", "kate", "liam", "mia", "noah", "olivia", "peter"};
  private static final String[] SURNAMES = {"smith", "jones", "taylor", "brown", "williams", "wilson", "johnson",
      "davies", "robinson", "wright", "thompson", "evans", "walker", "white", "roberts", "green", "hall", "wood",
      "jackson", "clarke"};

  private static String typo(String s, Random r) {
    int i = r.nextInt(s.length() - 1);
    return s.substring(0, i) + s.charAt(i + 1) + s.charAt(i) + s.substring(i + 2);   // two letters swapped
  }

  @Test
  void weightsEstimatedWithoutLabels_separateTheSameEntitiesFromTheOthers() {
    Random r = Seeds.random("match rule estimation population");
    Map<String, Fields> a = new LinkedHashMap<>();
    Map<String, Fields> b = new LinkedHashMap<>();
    for (int e = 0; e < 600; e++) {
      String given = GIVEN[r.nextInt(GIVEN.length)];
      String surname = SURNAMES[r.nextInt(SURNAMES.length)];
      String dob = String.format("19%02d%02d%02d", 40 + r.nextInt(60), 1 + r.nextInt(12), 1 + r.nextInt(28));
      String postcode = Integer.toString(2000 + r.nextInt(300));
      if (e < 450) {   // entities 0 to 449 on side A
        a.put("a" + e, Fields.of("given", given, "surname", surname, "dob", dob, "postcode", postcode));
      }
      if (e >= 150) {   // entities 150 to 599 on side B, corrupted: 300 shared, 150 on each side only
        b.put("b" + e, Fields.ofNullable(
            "given", r.nextDouble() < 0.2 ? typo(given, r) : given,
            "surname", r.nextDouble() < 0.2 ? typo(surname, r) : surname,
            "dob", r.nextDouble() < 0.1 ? dob.substring(0, 6) + String.format("%02d", 1 + r.nextInt(28)) : dob,
            "postcode", r.nextDouble() < 0.15 ? null : postcode));
      }
    }
    Estimation.Result fit = Estimation.builder()
        .field("given", FieldComparator.jaroWinkler(0.9))
        .field("surname", FieldComparator.jaroWinkler(0.9))
        .field("dob", FieldComparator.daysApart(31))
        .field("postcode", FieldComparator.exact())
        .randomPairs(50_000).seed(7)
        .estimate(a, b, Blocking.field("surname").or(Blocking.field("dob")).or(Blocking.field("given")));

    for (String f : List.of("given", "surname", "dob", "postcode")) {
      double[] w = fit.rule().weights(f);
      assertTrue(w[0] > 0 && w[w.length - 1] < 0, f + ": equal is evidence for, else against: " + java.util.Arrays.toString(w));
    }
    assertTrue(fit.m().get("dob").get(0) > 0.8, "most matches share the date of birth: " + fit.m().get("dob"));
    assertTrue(fit.m().get("surname").get(0) > 0.7 && fit.m().get("surname").get(0) < 0.95,
        "about a fifth of the copies' surnames have a typo: " + fit.m().get("surname"));

    // Each side B record linked to its best candidate above the threshold the estimated share implies.
    double threshold = Math.log((1 - fit.matchShare()) / fit.matchShare()) / Math.log(2);
    int linked = 0;
    int right = 0;
    for (Map.Entry<String, Fields> rb : b.entrySet()) {
      String best = null;
      double bestScore = threshold;
      for (Map.Entry<String, Fields> ra : a.entrySet()) {
        double s = fit.rule().score(ra.getValue(), rb.getValue()).value();
        if (s > bestScore) {
          bestScore = s;
          best = ra.getKey();
        }
      }
      if (best != null) {
        linked++;
        right += best.substring(1).equals(rb.getKey().substring(1)) ? 1 : 0;
      }
    }
    double precision = (double) right / linked;
    double recall = right / 300.0;
    assertTrue(precision >= 0.97, "precision " + precision + " (" + right + " of " + linked + ")");
    assertTrue(recall >= 0.95, "recall " + recall + " (" + right + " of 300)");
  }

  @Test
  void expectationMaximisation_recoversTheMAndTheShareThePairsWereDrawnWith() {
    Random r = Seeds.random("estimation recovers m");
    double[] truth = {0.95, 0.8, 0.7};   // each field's chance to agree for the same entity; 1 in 5 by chance
    double share = 0.4;
    Map<String, Fields> a = new LinkedHashMap<>();
    Map<String, Fields> b = new LinkedHashMap<>();
    // 12,000 pairs: over 100 seeds the estimates of m and of the share spread with a standard deviation of
    // 0.008 (0.016 with 3,000 pairs, where a tolerance of 0.04 failed about one run in 200), so 0.04 is 5 of them.
    for (int i = 0; i < 12_000; i++) {   // one candidate pair a block: the pairs are exactly as drawn
      boolean same = r.nextDouble() < share;
      Object[] fa = {"block", "k" + i, "f0", null, "f1", null, "f2", null};
      Object[] fb = {"block", "k" + i, "f0", null, "f1", null, "f2", null};
      for (int f = 0; f < 3; f++) {
        int x = r.nextInt(5);
        int y = !same ? r.nextInt(5) : r.nextDouble() < truth[f] ? x : (x + 1 + r.nextInt(4)) % 5;
        fa[3 + 2 * f] = "v" + x;
        fb[3 + 2 * f] = "v" + y;
      }
      a.put("a" + i, Fields.of(fa));
      b.put("b" + i, Fields.of(fb));
    }
    Estimation.Result fit = Estimation.builder()
        .field("f0", FieldComparator.exact()).field("f1", FieldComparator.exact()).field("f2", FieldComparator.exact())
        .randomPairs(200_000).seed(11)
        .estimate(a, b, Blocking.field("block"));

    for (int f = 0; f < 3; f++) {
      List<Double> m = fit.m().get("f" + f);
      List<Double> u = fit.u().get("f" + f);
      assertEquals(truth[f], m.get(0), 0.04, "f" + f + " m " + m);
      assertEquals(1.0, m.get(0) + m.get(1), 1e-9, "m is a distribution");
      assertEquals(0.2, u.get(0), 0.01, "f" + f + " u " + u);
    }
    assertEquals(share, fit.matchShare(), 0.04, "the share of matching pairs");
  }

  @Test
  void uIsCountedOverTheRandomPairs_eachLevelOnceMore_soThatNoLevelIsImpossible() {
    Map<String, Fields> a = Map.of("a1", Fields.of("surname", "smith", "dob", "19800101", "ward", "7"));
    Map<String, Fields> b = Map.of("b1", Fields.ofNullable("surname", "smith", "dob", "19800101", "ward", null));
    Estimation.Result fit = Estimation.builder()
        .field("surname", FieldComparator.exact()).field("ward", FieldComparator.exact())
        .randomPairs(1).seed(5)
        .estimate(a, b, Blocking.field("dob"));
    assertEquals(List.of(2 / 3.0, 1 / 3.0), fit.u().get("surname"), "one random pair, equal: (1 + 1) / 3 and 1 / 3");
    assertEquals(List.of(0.5, 0.5), fit.u().get("ward"), "a missing value is no level: smoothing only");
    Estimation.Result many = Estimation.builder().field("surname", FieldComparator.exact()).randomPairs(998).seed(5)
        .estimate(a, b, Blocking.field("dob"));
    assertEquals(List.of(999 / 1000.0, 1 / 1000.0), many.u().get("surname"));
    assertEquals("Fellegi-Sunter estimate: random pairs must be at least 1, was 0",
        assertThrows(SetupException.class, () -> Estimation.builder().randomPairs(0)).getMessage());
  }

  @Test
  void theSameSeedGivesTheSameEstimate() {
    Map<String, Fields> a = Map.of("a1", Fields.of("surname", "smith", "dob", "19800101"),
        "a2", Fields.of("surname", "jones", "dob", "19700101"));
    Map<String, Fields> b = Map.of("b1", Fields.of("surname", "smith", "dob", "19800101"),
        "b2", Fields.of("surname", "jnoes", "dob", "19700101"));
    Estimation.Builder builder = Estimation.builder().field("surname", FieldComparator.jaroWinkler(0.9)).randomPairs(100).seed(3);
    Blocking byDob = Blocking.field("dob");
    Estimation.Result first = builder.estimate(a, b, byDob);
    Estimation.Result again = builder.estimate(a, b, byDob);
    assertEquals(first.u(), again.u());
    assertEquals(first.m(), again.m());
    assertEquals(first.matchShare(), again.matchShare());
  }

  @Test
  void anEstimateWithoutWhatItNeeds_failsNamingIt() {
    Map<String, Fields> a = Map.of("a1", Fields.of("surname", "smith", "dob", "19800101"));
    Map<String, Fields> b = Map.of("b1", Fields.of("surname", "jones", "dob", "19800102"));
    assertEquals("Fellegi-Sunter estimate needs at least one field",
        assertThrows(SetupException.class, () -> Estimation.builder().estimate(a, b, Blocking.field("dob"))).getMessage());
    assertEquals("Fellegi-Sunter estimate: every blocking rule (surname) uses field 'surname', so its m cannot be"
            + " estimated from the pairs they find; add a rule that does not",
        assertThrows(SetupException.class, () -> Estimation.builder().field("surname", FieldComparator.exact())
            .estimate(a, b, Blocking.field("surname"))).getMessage());
    assertEquals("Fellegi-Sunter estimate: the blocking rule (dob) finds no candidate pair",
        assertThrows(SetupException.class, () -> Estimation.builder().field("surname", FieldComparator.exact())
            .estimate(a, b, Blocking.field("dob"))).getMessage());
    assertEquals("Fellegi-Sunter estimate needs records on both sides; side B has none",
        assertThrows(SetupException.class, () -> Estimation.builder().field("surname", FieldComparator.exact())
            .estimate(a, Map.of(), Blocking.field("dob"))).getMessage());
  }
}
