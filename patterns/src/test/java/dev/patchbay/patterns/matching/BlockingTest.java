package dev.patchbay.patterns.matching;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.core.Fields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Blocking: which pairs are compared at all, and how many. */
class BlockingTest {

  private static Map<String, Fields> side(Object... keysAndRecords) {
    Map<String, Fields> m = new LinkedHashMap<>();
    for (int i = 0; i < keysAndRecords.length; i += 2) {
      m.put((String) keysAndRecords[i], (Fields) keysAndRecords[i + 1]);
    }
    return m;
  }

  private final Map<String, Fields> hospitalA = side(
      "a1", Fields.of("surname", "Smith", "dob", "19800101"),
      "a2", Fields.of("surname", "Jones", "dob", "19751231"),
      "a3", Fields.ofNullable("surname", null, "dob", "19900505"));
  private final Map<String, Fields> hospitalB = side(
      "b1", Fields.of("surname", "SMITH", "dob", "19800101"),   // same person
      "b2", Fields.of("surname", "Jnoes", "dob", "19751231"),   // a typo: only the date finds it
      "b3", Fields.of("surname", "Brown", "dob", "19900505"));  // side A's a3 has no surname

  @Test
  void oneRuleFindsOnlyWhatSharesItsKey_andAMissingKeyIsNotFiled() {
    CandidatePairs bySurname = CandidatePairs.of(hospitalA, hospitalB, Blocking.field("surname"));
    assertEquals(List.of(new CandidatePairs.Pair("a1", "b1")), bySurname.pairs());
    assertEquals(1, bySurname.count());
    assertEquals(Set.of(), Blocking.field("surname").keys(hospitalA.get("a3")));
  }

  @Test
  void rulesCombinedByOr_findAPairAnyOfThemFinds_eachPairOnce() {
    Blocking rule = Blocking.field("surname").or(Blocking.field("dob"));
    CandidatePairs candidates = CandidatePairs.of(hospitalA, hospitalB, rule);
    assertEquals(List.of(new CandidatePairs.Pair("a1", "b1"), new CandidatePairs.Pair("a2", "b2"),
        new CandidatePairs.Pair("a3", "b3")), candidates.pairs(), "a1-b1 shares both keys and comes once");
    assertEquals("surname, or dob", rule.describe());
  }

  @Test
  void twoRulesKeysNeverMeet_evenWhereTheirValuesAreEqual() {
    Map<String, Fields> a = side("a1", Fields.of("given", "Jordan", "surname", "Lee"));
    Map<String, Fields> b = side("b1", Fields.of("given", "Lee", "surname", "Jordan"));
    assertEquals(0, CandidatePairs.of(a, b, Blocking.field("given").or(Blocking.field("surname"))).count());
  }

  @Test
  void aPrefixBlocksByItsFirstCharacters() {
    CandidatePairs byPrefix = CandidatePairs.of(hospitalA, hospitalB, Blocking.prefix("surname", 1));   // "jo" and "jn" differ; "j" is shared
    assertEquals(List.of(new CandidatePairs.Pair("a1", "b1"), new CandidatePairs.Pair("a2", "b2")), byPrefix.pairs());
    assertEquals("surname (first 2)", Blocking.prefix("surname", 2).describe());
    assertThrows(IllegalArgumentException.class, () -> Blocking.prefix("surname", 0));
  }

  @Test
  void theCandidatesAreTheSameWithTheSidesSwapped() {
    Blocking rule = Blocking.field("surname").or(Blocking.prefix("dob", 6));
    Set<String> ab = new java.util.HashSet<>();
    CandidatePairs.of(hospitalA, hospitalB, rule).pairs().forEach(p -> ab.add(p.aKey() + "|" + p.bKey()));
    Set<String> ba = new java.util.HashSet<>();
    CandidatePairs.of(hospitalB, hospitalA, rule).pairs().forEach(p -> ba.add(p.bKey() + "|" + p.aKey()));
    assertEquals(ab, ba);
    assertEquals(3, ab.size());
  }

  @Test
  void aCompositeKey_findsOnlyPairsEqualOnEveryField_andFilesNoRecordMissingOne() {
    Blocking both = Blocking.fields("surname", "dob");
    assertEquals(Set.of(new CandidatePairs.Pair("a1", "b1")), Set.copyOf(CandidatePairs.of(hospitalA, hospitalB, both).pairs()),
        "a1 and b1 share both; a2 and b2 the date only; a3 has no surname");
    assertEquals(Set.of(), both.keys(hospitalA.get("a3")));
    assertEquals(both.keys(Fields.of("surname", "smith", "dob", "19800101")), both.keys(hospitalB.get("b1")), "normalised");
    assertEquals(Set.of("surname", "dob"), both.fields());
    assertEquals("surname + dob", both.describe());
    assertEquals(1, Blocking.fields("dob").keys(hospitalA.get("a3")).size());
    assertThrows(IllegalArgumentException.class, () -> Blocking.fields(new String[0]));
  }
}
