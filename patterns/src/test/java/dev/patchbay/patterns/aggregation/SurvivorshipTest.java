package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.aggregation.Survivorship.Candidate;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each built-in rule, its ties, and what it refuses. */
class SurvivorshipTest {

  private static Candidate c(String source, int rank, long version, Object value) {
    return c(source, rank, version, value, 0);
  }

  private static Candidate c(String source, int rank, long version, Object value, long common) {
    return new Candidate(source, rank, source + "-key", version, value, common);
  }

  private static Object chosen(Survivorship rule, Candidate... cs) {
    return rule.choose("f", List.of(cs)).value();
  }

  @Test
  void priority_takesTheFirstNamedSourceHoldingTheField_thenTheAggregationsOrder() {
    assertEquals("b", chosen(Survivorship.priority("erp", "crm"), c("crm", 0, 1, "a"), c("erp", 1, 1, "b")));
    assertEquals("a", chosen(Survivorship.priority("erp"), c("crm", 0, 1, "a"), c("tracker", 2, 1, "c")),
        "sources not named come after, in the aggregation's order");
    assertEquals("a", chosen(Survivorship.priority(), c("crm", 0, 1, "a"), c("erp", 1, 1, "b")));
    assertEquals("source priority [erp, crm]", Survivorship.priority("erp", "crm").describe());
  }

  @Test
  void mostRecentAndOldest_byVersion_aTieToTheFirst() {
    assertEquals("new", chosen(Survivorship.mostRecent(), c("a", 0, 5, "old"), c("b", 1, 9, "new"), c("c", 2, 7, "mid")));
    assertEquals("old", chosen(Survivorship.oldest(), c("a", 0, 5, "old"), c("b", 1, 9, "new"), c("c", 2, 7, "mid")));
    assertEquals("first", chosen(Survivorship.mostRecent(), c("a", 0, 5, "first"), c("b", 1, 5, "second")));
    assertEquals("first", chosen(Survivorship.oldest(), c("a", 0, 5, "first"), c("b", 1, 5, "second")));
  }

  @Test
  void mostFrequent_countsEqualValuesAcrossTypes_thenTheClosestToTheOthers_thenTheMoreCommon_thenTheFirst() {
    assertEquals(5, chosen(Survivorship.mostFrequent(), c("a", 0, 1, 7), c("b", 1, 1, 5), c("c", 2, 1, 5L)),
        "5 and 5L are one value held twice");
    assertEquals("mikhayla", chosen(Survivorship.mostFrequent(), c("a", 0, 1, "hannagan"), c("b", 1, 1, "mikhvyla"),
        c("c", 2, 1, "mikhayla")), "the original each corrupted copy is a typo of");
    assertEquals("green", chosen(Survivorship.mostFrequent(), c("a", 0, 1, "greecn", 1), c("b", 1, 1, "green", 25)),
        "a typo is rarer than the name it mistypes");
    assertEquals("x1", chosen(Survivorship.mostFrequent(), c("a", 0, 1, "x1", 3), c("b", 1, 1, "x2", 3)));
  }

  @Test
  void mostComplete_theLongestText_orTheGroupPartWithMostFields() {
    assertEquals("Jane Q Doe", chosen(Survivorship.mostComplete(), c("a", 0, 1, "Jane Doe"), c("b", 1, 1, " Jane Q Doe ".strip())));
    assertEquals("Jane", chosen(Survivorship.mostComplete(), c("a", 0, 1, "Jane"), c("b", 1, 1, "   Jan  ")));
    Fields two = Fields.of("street", "1 Rd", "town", "Ely");
    Fields one = Fields.of("street", "1 Long Long Road");
    assertEquals(two, chosen(Survivorship.mostComplete(), c("a", 0, 1, one), c("b", 1, 1, two)), "more fields beat more characters");
    assertEquals(3, chosen(Survivorship.mostComplete(), c("a", 0, 1, 3), c("b", 1, 1, 4)), "other values: the first");
  }

  @Test
  void firstNonEmpty_passesOverBlankText_andTakesTheFirstWhereAllAreBlank() {
    assertEquals("x", chosen(Survivorship.firstNonEmpty(), c("a", 0, 1, "  "), c("b", 1, 1, "x"), c("c", 2, 1, "y")));
    assertEquals(" ", chosen(Survivorship.firstNonEmpty(), c("a", 0, 1, " "), c("b", 1, 1, "")));
    assertEquals(Fields.of("s", "x"), chosen(Survivorship.firstNonEmpty(), c("a", 0, 1, Fields.of("s", "")),
        c("b", 1, 1, Fields.of("s", "x"))));
  }

  @Test
  void minAndMax_compareNumbersByValue_andOtherValuesInTheirOwnOrder_orRefuseNamingTheField() {
    assertEquals(new BigDecimal("2.50"), chosen(Survivorship.max(), c("a", 0, 1, 2), c("b", 1, 1, new BigDecimal("2.50")), c("c", 2, 1, 1L)));
    assertEquals(1L, chosen(Survivorship.min(), c("a", 0, 1, 2), c("b", 1, 1, new BigDecimal("2.50")), c("c", 2, 1, 1L)));
    assertEquals(LocalDate.of(2020, 1, 1), chosen(Survivorship.min(), c("a", 0, 1, LocalDate.of(2021, 1, 1)),
        c("b", 1, 1, LocalDate.of(2020, 1, 1))));
    DataException e = assertThrows(DataException.class, () -> Survivorship.max().choose("credit", List.of(c("a", 0, 1, 2),
        c("b", 1, 1, "two"))));
    assertEquals("credit", e.field());
    assertTrue(e.reason().contains("cannot be compared (String and Integer)"), e.reason());
  }

  @Test
  void allValues_listsEachDistinctValueOnce_inOrder_fromEachCandidateThatBroughtOne() {
    Survivorship.Survived s = Survivorship.allValues().choose("f", List.of(c("a", 0, 1, "x"), c("b", 1, 1, "y"), c("c", 2, 1, "x")));
    assertEquals(List.of("x", "y"), s.value());
    assertEquals(List.of("a", "b"), s.from().stream().map(Candidate::source).toList());
  }

  @Test
  void aCustomRule_mustReturnOneOfItsCandidates() {
    Survivorship longestKey = Survivorship.custom("longest key", cs -> cs.get(cs.size() - 1));
    assertEquals("y", chosen(longestKey, c("a", 0, 1, "x"), c("b", 1, 1, "y")));
    assertEquals("longest key", longestKey.describe());
    Survivorship foreign = Survivorship.custom("foreign", cs -> c("z", 9, 1, "z"));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> foreign.choose("f", List.of(c("a", 0, 1, "x"))));
    assertTrue(e.getMessage().contains("returned a candidate it was not given"), e.getMessage());
  }

  @Test
  void aRunCountsValuesAcrossAllInputs_soThatATieGoesToTheCommonerValue_andADeleteUncountsIt() {
    InMemoryStore<Fields> a = InMemoryStore.create("a");
    InMemoryStore<Fields> b = InMemoryStore.create("b");
    InMemoryStore<Fields> out = InMemoryStore.create("out");
    for (int i = 0; i < 3; i++) {
      a.write(List.of(Change.upsert(new Envelope<>("other" + i, 1, Fields.of("id", "O" + i, "surname", "green")))));
    }
    a.write(List.of(Change.upsert(new Envelope<>("t1", 1, Fields.of("id", "T", "surname", "greecn")))));
    b.write(List.of(Change.upsert(new Envelope<>("t2", 1, Fields.of("id", "T", "surname", "green")))));
    Aggregation agg = Aggregation.builder().name("names").destination(out).outputKey(Aggregation.OutputKey.MERGE_KEY)
        .survivorship(Survivorship.mostFrequent())
        .input(Input.changesOf("a", a, DeletePolicy.PROPAGATE).transform(Transform.identity()).mergeKey("id"))
        .input(Input.changesOf("b", b, DeletePolicy.PROPAGATE).transform(Transform.identity()).mergeKey("id"))
        .build();

    agg.run();

    assertEquals("green", out.get("T").payload().get("surname"), "green is held by 4 records, greecn by 1");
    for (int i = 0; i < 3; i++) {
      a.write(List.of(Change.delete("other" + i)));
    }
    a.write(List.of(Change.upsert(new Envelope<>("x1", 1, Fields.of("id", "X", "surname", "greecn")))));
    a.write(List.of(Change.upsert(new Envelope<>("x2", 1, Fields.of("id", "Y", "surname", "greecn")))));
    b.write(List.of(Change.upsert(new Envelope<>("t2", 2, Fields.of("id", "T", "surname", "green", "touched", true)))));
    agg.run();
    assertEquals("greecn", out.get("T").payload().get("surname"), "now greecn is held by 3 records, green by 1");
  }

  @Test
  void mostFrequent_theCountComesFirst_evenWhereAnotherValueIsCloserToTheRest() {
    // "bbba" is closer to the others in sum (1.75 against 1.5), but "aaaa" is held twice
    assertEquals("aaaa", chosen(Survivorship.mostFrequent(), c("a", 0, 1, "aaaa"), c("b", 1, 1, "aaaa"), c("c", 2, 1, "bbbb"),
        c("d", 3, 1, "bbba"), c("e", 4, 1, "bbab")));
  }

  @Test
  void oldest_onEqualVersions_takesTheFirst_andMostComplete_weighsAGroupsFieldsThenItsCharacters() {
    assertEquals("x", chosen(Survivorship.oldest(), c("a", 0, 5, "x"), c("b", 1, 5, "y")));
    assertEquals("y", chosen(Survivorship.oldest(), c("a", 0, 6, "x"), c("b", 1, 5, "y")));
    Fields twoShort = Fields.of("street", "1 A St", "town", "Ely");
    Fields oneLong = Fields.of("street", "1000 Very Long Boulevard Extension");
    Fields twoLonger = Fields.of("street", "12 A St", "town", "Ely");
    assertEquals(twoShort, chosen(Survivorship.mostComplete(), c("a", 0, 1, oneLong), c("b", 1, 1, twoShort)),
        "two fields before one, however long");
    assertEquals(twoLonger, chosen(Survivorship.mostComplete(), c("a", 0, 1, twoShort), c("b", 1, 1, twoLonger)),
        "then the characters");
  }
}
