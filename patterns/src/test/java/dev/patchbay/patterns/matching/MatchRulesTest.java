package dev.patchbay.patterns.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The match rules' parts: normalised text, comparison levels, Fellegi-Sunter weights and their explanation. */
class MatchRulesTest {

  @Test
  void normalisedText_foldsCaseAccentsPunctuationAndWhitespace_andNothingLeftIsMissing() {
    assertEquals("jose obriensmith", Normalized.text("  José   O'Brien-Smith "));
    assertEquals("zoe", Normalized.text("ZOË"));
    assertEquals("12 main st", Normalized.text("12, Main St."));
    assertEquals("42", Normalized.text(42));
    assertNull(Normalized.text(null));
    assertNull(Normalized.text(" - . "));
  }

  @Test
  void numbersWithin_comparesTextThatIsNoNumber_asText() {
    FieldComparator within = FieldComparator.numbersWithin(5);
    int last = within.levels().size() - 1;
    assertEquals(0, within.level("12", "12.0"));
    assertEquals(1, within.level("12", "15"));
    assertEquals(last, within.level("12", "18"));
    assertEquals(0, within.level("n/a", "N/A"), "equal as text");
    assertEquals(last, within.level("abc", "xyz"), "no number: not within 5 of anything");
    assertEquals(last, within.level("12", "abc"));
  }

  @Test
  void textAlreadyInItsComparedForm_isKeptAsItIs_notCopied() {
    for (String plain : new String[] {"a", "z", "0", "9", "ada lovelace", "12 main st", "az09"}) {
      assertSame(plain, Normalized.text(plain), "'" + plain + "' held once, however many records hold it");
    }
    for (String[] folded : new String[][] {{" ada", "ada"}, {"ada ", "ada"}, {"ada  king", "ada king"}, {"Ada", "ada"},
        {"a-b", "ab"}, {"\u00e9", "e"}, {"a`", "a"}, {"a{", "a"}, {"a/", "a"}, {"a:", "a"}, {"a@", "a"}, {"a[", "a"}}) {
      assertEquals(folded[1], Normalized.text(folded[0]), "'" + folded[0] + "'");
    }
    assertNull(Normalized.text(""));
  }

  @Test
  void exactRule_isACompositeKeyOnNormalisedValues_andAMissingValueMatchesNothing() {
    MatchRule rule = MatchRule.exact("surname", "dob");
    assertEquals(1.0, rule.score(Fields.of("surname", "O'Brien", "dob", "19800101"),
        Fields.of("surname", "obrien ", "dob", "19800101")).value());
    assertEquals(0.0, rule.score(Fields.of("surname", "Obrien", "dob", "19800101"),
        Fields.of("surname", "Obrien", "dob", "19800102")).value());
    Score missing = rule.score(Fields.of("surname", "Obrien", "dob", "19800101"), Fields.of("surname", "Obrien"));
    assertEquals(0.0, missing.value());
    assertEquals(List.of(new Score.Comparison("surname", "equal", 0), new Score.Comparison("dob", "missing", 0)),
        missing.fields());
    assertEquals("exact on surname, dob (normalised)", rule.describe());
    assertThrows(IllegalArgumentException.class, MatchRule::exact);
  }

  @Test
  void jaroWinklerLevels_fromEqualToElse() {
    FieldComparator names = FieldComparator.jaroWinkler(0.94, 0.85);
    assertEquals(List.of("equal", "Jaro-Winkler at least 0.94", "Jaro-Winkler at least 0.85", "else"), names.levels());
    assertEquals(0, names.level("Martha", "martha"));
    assertEquals(1, names.level("MARTHA", "MARHTA"));   // 0.961 (Jaro-Winkler in Apache Commons Text)
    assertEquals(2, names.level("Jellyfish", "Smellyfish"));   // 0.896
    assertEquals(3, names.level("DIXON", "DICKSONX"));   // 0.813
    assertEquals(3, names.level("Smith", "Jones"));
    assertEquals(FieldComparator.NEUTRAL, names.level("Smith", null));
    assertEquals(FieldComparator.NEUTRAL, names.level("", "Smith"));
  }

  @Test
  void levenshteinDateAndNumberLevels() {
    FieldComparator address = FieldComparator.levenshtein(1, 3);
    assertEquals(0, address.level("12 Main St", "12 main st."));
    assertEquals(1, address.level("12 Main St", "12 Main Sx"));
    assertEquals(2, address.level("12 Main St", "12 Mian Sx"));
    assertEquals(3, address.level("12 Main St", "99 Other Road"));

    FieldComparator dob = FieldComparator.daysApart(1, 31);
    assertEquals(List.of("equal", "days apart at most 1", "days apart at most 31", "else"), dob.levels());
    assertEquals(0, dob.level("19800101", LocalDate.of(1980, 1, 1)));
    assertEquals(1, dob.level("1980-01-01", "19791231"));
    assertEquals(2, dob.level("19800101", "19800131"));
    assertEquals(3, dob.level("19800101", "19810101"));
    assertEquals(3, dob.level("19800101", "not a date"), "a malformed date is no near miss");
    assertEquals(0, dob.level("unknown", "Unknown"), "text that is no date compares as text");

    FieldComparator amount = FieldComparator.numbersWithin(0.5);
    assertEquals(0, amount.level("10.0", 10));
    assertEquals(1, amount.level("10.4", "10"));
    assertEquals(2, amount.level("11", "10"));
    assertEquals(FieldComparator.NEUTRAL, amount.level(null, "10"));
  }

  @Test
  void comparatorsRefuseThresholdsOutOfOrder() {
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.jaroWinkler(0.8, 0.9));
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.jaroWinkler(1.0));
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.jaroWinkler(0.0), "above 0, not at it");
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.jaroWinkler(0.9, 0.9), "falling, not level");
    assertEquals(3, FieldComparator.jaroWinkler(0.95, 0.5).levels().size() - 1, "falling thresholds are taken");
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.levenshtein(0));
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.levenshtein(2, 2));
    assertThrows(IllegalArgumentException.class, () -> FieldComparator.daysApart(31, 1));
  }

  @Test
  void everyComparatorIsSymmetric() {
    List<FieldComparator> comparators = List.of(FieldComparator.exact(), FieldComparator.jaroWinkler(0.94, 0.85),
        FieldComparator.levenshtein(1, 2), FieldComparator.daysApart(1, 31), FieldComparator.numbersWithin(0.5, 3));
    qt().withFixedSeed(Seeds.seed("match rule comparators symmetric")).withExamples(2_000)
        .forAll(strings().basicLatinAlphabet().ofLengthBetween(0, 8), strings().basicLatinAlphabet().ofLengthBetween(0, 8))
        .checkAssert((a, b) -> comparators.forEach(c ->
            assertEquals(c.level(a, b), c.level(b, a), c + " on '" + a + "' and '" + b + "'")));
  }

  @Test
  void fellegiSunter_addsLog2OfMOverUForEachField_missingIsNeutral_andExplainsEachField() {
    FellegiSunter rule = FellegiSunter.builder()
        .field("surname", FieldComparator.jaroWinkler(0.9), new double[] {0.8, 0.15, 0.05}, new double[] {0.01, 0.04, 0.95})
        .field("postcode", FieldComparator.exact(), new double[] {0.9, 0.1}, new double[] {0.05, 0.95})
        .build();
    assertEquals(Math.log(80) / Math.log(2), rule.weights("surname")[0], 1e-12);
    Score score = rule.score(Fields.of("surname", "MARTHA", "postcode", "2000"), Fields.of("surname", "MARHTA"));
    double expected = Math.log(0.15 / 0.04) / Math.log(2);
    assertEquals(expected, score.value(), 1e-12);
    assertEquals(List.of(new Score.Comparison("surname", "Jaro-Winkler at least 0.9", expected),
        new Score.Comparison("postcode", "missing", 0)), score.fields());
    Score against = rule.score(Fields.of("surname", "Smith", "postcode", "2000"), Fields.of("surname", "Jones", "postcode", "3000"));
    assertEquals(Math.log(0.05 / 0.95) / Math.log(2) + Math.log(0.1 / 0.95) / Math.log(2), against.value(), 1e-12);
    assertEquals("Fellegi-Sunter over surname (Jaro-Winkler [equal, Jaro-Winkler at least 0.9, else]),"
        + " postcode (exact [equal, else])", rule.describe());
  }

  @Test
  void fellegiSunterBuilder_failsFast_namingTheFieldAndTheReason() {
    assertEquals("Fellegi-Sunter rule needs at least one field",
        assertThrows(SetupException.class, () -> FellegiSunter.builder().build()).getMessage());
    assertEquals("Fellegi-Sunter rule, field 'postcode': u has 3 probabilities, its comparator 2 levels [equal, else]",
        assertThrows(SetupException.class, () -> FellegiSunter.builder()
            .field("postcode", FieldComparator.exact(), new double[] {0.9, 0.1}, new double[] {0.1, 0.2, 0.7})).getMessage());
    assertEquals("Fellegi-Sunter rule, field 'postcode', level 'else': a probability must be above 0 and at most 1, was 0.0",
        assertThrows(SetupException.class, () -> FellegiSunter.builder()
            .field("postcode", FieldComparator.exact(), new double[] {1.0, 0.0}, new double[] {0.1, 0.9})).getMessage());
    assertEquals("Fellegi-Sunter rule: field 'postcode' was already set",
        assertThrows(SetupException.class, () -> FellegiSunter.builder()
            .field("postcode", FieldComparator.exact(), new double[] {0.9, 0.1}, new double[] {0.1, 0.9})
            .field("postcode", FieldComparator.exact(), new double[] {0.9, 0.1}, new double[] {0.1, 0.9})).getMessage());
  }

  @Test
  void aCustomRule_scoresAsItsFunctionSays_andDescribesItselfByItsSentence() {
    MatchRule sameId = MatchRule.custom("same national id", (a, b) -> java.util.Objects.equals(a.get("nid"), b.get("nid")) ? 5 : -5);
    assertEquals(5.0, sameId.score(Fields.of("nid", "X1"), Fields.of("nid", "X1")).value());
    assertEquals(-5.0, sameId.score(Fields.of("nid", "X1"), Fields.of("nid", "X2")).value());
    assertEquals(List.of(), sameId.score(Fields.of("nid", "X1"), Fields.of("nid", "X2")).fields());
    assertEquals("same national id", sameId.describe());
  }

  @Test
  void termFrequencies_makeARareSharedValueStrongerEvidenceThanACommonOne() {
    List<Fields> records = new java.util.ArrayList<>();
    for (int i = 0; i < 90; i++) {
      records.add(Fields.of("surname", "Smith"));
    }
    for (int i = 0; i < 9; i++) {
      records.add(Fields.of("surname", "Jones"));
    }
    records.add(Fields.of("surname", "Zebedee"));
    records.add(Fields.ofNullable("surname", null));   // no value: not counted
    FellegiSunter rule = FellegiSunter.builder()
        .field("surname", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.08, 0.02}, new double[] {0.05, 0.05, 0.9})
        .termFrequencies("surname", records)
        .build();
    double log2 = Math.log(2);
    Score common = rule.score(Fields.of("surname", "SMITH"), Fields.of("surname", "smith"));
    Score rare = rule.score(Fields.of("surname", "Zebedee"), Fields.of("surname", "zebedee"));
    Score unseen = rule.score(Fields.of("surname", "Quigley"), Fields.of("surname", "Quigley"));
    assertEquals(Math.log(0.9 / 0.9) / log2, common.value(), 1e-12);
    assertEquals(Math.log(0.9 / 0.01) / log2, rare.value(), 1e-12);
    assertEquals(rare.value(), unseen.value(), 1e-12, "a value never seen counts as held by one record");
    assertEquals(List.of(new Score.Comparison("surname", "equal (value frequency 0.01000)", rare.value())), rare.fields());
    assertEquals(Math.log(0.08 / 0.05) / log2, rule.score(Fields.of("surname", "MARTHA"), Fields.of("surname", "MARHTA")).value(),
        1e-12, "other levels keep their weights");
    for (String[] pair : new String[][] {{"SMITH", "smith"}, {"Zebedee", "zebedee"}, {"Quigley", "Quigley"},
        {"MARTHA", "MARHTA"}, {"Smith", "Zebedee"}, {null, "Smith"}}) {
      Fields x = Fields.ofNullable("surname", pair[0]);
      Fields y = Fields.ofNullable("surname", pair[1]);
      assertEquals(rule.score(x, y).value(), rule.value(x, y), 0.0, "the value alone is the score's: " + java.util.Arrays.asList(pair));
    }
    assertEquals(0.0, rule.value(Fields.ofNullable("surname", null), Fields.of("surname", "Smith")), "a missing value weighs nothing");
    assertEquals(java.util.Set.of("surname"), rule.fields());
    assertEquals(rule.describe(), rule.toString());
    assertEquals("the rule compares no field 'given'; it compares [surname]",
        assertThrows(IllegalArgumentException.class, () -> rule.weights("given")).getMessage());
  }

  @Test
  void termFrequenciesFailFast_namingTheField() {
    FellegiSunter.Builder b = FellegiSunter.builder()
        .field("surname", FieldComparator.exact(), new double[] {0.9, 0.1}, new double[] {0.05, 0.95});
    assertEquals("Fellegi-Sunter rule: term frequencies for field 'given', which is not compared; call field(\"given\", ...) first",
        assertThrows(SetupException.class, () -> b.termFrequencies("given", List.of(Fields.of("given", "ann")))).getMessage());
    assertEquals("Fellegi-Sunter rule: term frequencies of field 'surname': no record holds a value of it",
        assertThrows(SetupException.class, () -> b.termFrequencies("surname", List.of(Fields.of("given", "ann")))).getMessage());
    b.termFrequencies("surname", List.of(Fields.of("surname", "lee")));
    assertEquals("Fellegi-Sunter rule: term frequencies of field 'surname' were already set",
        assertThrows(SetupException.class, () -> b.termFrequencies("surname", List.of(Fields.of("surname", "lee")))).getMessage());
  }
}
