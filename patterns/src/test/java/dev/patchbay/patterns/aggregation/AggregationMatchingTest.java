package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.MatchRule;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.commons.text.similarity.JaroWinklerSimilarity;
import org.junit.jupiter.api.Test;

/**
 * Entities found by matching across inputs: at most one record per input, the best pairs first;
 * golden ids that survive merges (the older one, the other redirecting) and splits (the part with
 * most members); a person's split that the rule never undoes; a live lookup of the members.
 */
class AggregationMatchingTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private final InMemoryStore<Fields> billing = InMemoryStore.create("billing");
  private final InMemoryStore<Fields> golden = InMemoryStore.create("golden");
  private final StateStore state = StateStore.inMemory();

  /** Alike where the birth dates are equal and the names close (Jaro-Winkler). */
  static final MatchRule SAME_PERSON = MatchRule.custom("same birth date, names alike", (a, b) ->
      a.get("dob") == null || !a.get("dob").equals(b.get("dob")) ? 0
          : new JaroWinklerSimilarity().apply(String.valueOf(a.get("name")), String.valueOf(b.get("name"))));

  private static void put(InMemoryStore<Fields> store, String key, long version, Object... fields) {
    store.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }

  private Aggregation.Builder people() {
    return Aggregation.builder().name("people")
        .input(Input.from("crm", crm).transform(Transform.identity()).matched())
        .input(Input.from("erp", erp).transform(Transform.identity()).matched())
        .input(Input.changesOf("billing", billing, DeletePolicy.PROPAGATE).transform(Transform.identity()).matched())
        .match(SAME_PERSON, Blocking.field("dob"), 0.9)
        .destination(golden).state(state).batchSize(2);
  }

  /** The entities as sets of member ids ("crm:c1"), from the golden records written. */
  private Set<Set<String>> clusters(Aggregation agg) {
    return agg.goldenRecords().stream()
        .map(g -> g.members().stream().map(m -> m.source() + ":" + m.key()).collect(Collectors.toCollection(TreeSet::new)))
        .collect(Collectors.toSet());
  }

  @Test
  void recordsOfDifferentInputsThatTheRuleMatches_becomeOneEntity_withAtMostOneRecordPerInput() {
    put(crm, "c1", 1, "name", "Jane Smith", "dob", "1980-01-02", "email", "jane@x.test");
    put(erp, "e1", 1, "name", "Jane Smyth", "dob", "1980-01-02", "credit", 10);
    put(billing, "b1", 1, "name", "Jane Smith", "dob", "1980-01-02", "plan", "gold");
    put(crm, "c2", 1, "name", "Jane Smithe", "dob", "1980-01-02");   // a second crm record alike: never with c1
    put(erp, "e2", 1, "name", "Bob Jones", "dob", "1980-01-02");      // same birth date, another name
    Aggregation agg = people().build();

    AggregationReport report = agg.run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(Set.of(Set.of("crm:c1", "erp:e1", "billing:b1"), Set.of("crm:c2"), Set.of("erp:e2")), clusters(agg));
    assertEquals(3, golden.size());
    GoldenRecord jane = agg.goldenRecords().stream().filter(g -> g.members().size() == 3).findFirst().orElseThrow();
    assertEquals("gold", jane.values().get("plan"));
    assertEquals(10, jane.values().get("credit"));
    assertEquals(jane.values().get("email"), golden.get(jane.id()).payload().get("email"), "written under its golden id");
    assertEquals(jane, agg.golden(jane.id()).orElseThrow(), "the golden id is the entity's key");
  }

  @Test
  void whenTwoEntitiesMerge_theOlderIdSurvives_andTheOtherRedirects_andWhenOneSplits_theBiggerPartKeepsIt() throws Exception {
    put(crm, "c1", 1, "name", "Ann Lee", "dob", "1970-05-05");
    Aggregation agg = people().goldenIdField("gid").build();
    agg.run();
    String older = agg.goldenRecords().get(0).id();
    Thread.sleep(5);
    put(erp, "e1", 1, "name", "Anne Leigh", "dob", "1970-05-05");   // not alike enough: an entity of its own
    put(billing, "b1", 1, "name", "Ann Lee", "dob", "1970-05-05");
    agg.run();
    assertEquals(Set.of(Set.of("crm:c1", "billing:b1"), Set.of("erp:e1")), clusters(agg));
    String younger = agg.goldenRecords().stream().filter(g -> g.members().size() == 1).findFirst().orElseThrow().id();
    assertEquals(older, agg.goldenRecords().stream().filter(g -> g.members().size() == 2).findFirst().orElseThrow().id(),
        "b1 joined the older entity: its id kept");

    put(erp, "e1", 2, "name", "Ann Lee", "dob", "1970-05-05");       // now alike: the two entities merge
    agg.run();
    assertEquals(Set.of(Set.of("crm:c1", "erp:e1", "billing:b1")), clusters(agg));
    assertEquals(older, agg.goldenRecords().get(0).id(), "the older id survives the merge");
    assertEquals(older, agg.golden(younger).orElseThrow().id(), "the merged-away id redirects to the survivor");
    assertEquals(1, golden.size(), "the merged-away golden record is deleted from the destination");
    assertTrue(golden.get(younger) == null);

    put(crm, "c1", 2, "name", "Charles Dickens", "dob", "1970-05-05");   // c1 no longer alike: the entity splits
    agg.run();
    assertEquals(Set.of(Set.of("erp:e1", "billing:b1"), Set.of("crm:c1")), clusters(agg));
    assertEquals(older, agg.goldenRecords().stream().filter(g -> g.members().size() == 2).findFirst().orElseThrow().id(),
        "the part with most members keeps the id");
    String split = agg.goldenRecords().stream().filter(g -> g.members().size() == 1).findFirst().orElseThrow().id();
    assertNotEquals(older, split);
    assertNotEquals(younger, split, "a new id is minted for the part split off, not a merged-away one");
    assertEquals(split, golden.get(split).payload().get("gid"));
  }

  @Test
  void aPersonsUnmerge_splitsTheRecordOff_andTheRuleNeverMergesItBack() {
    put(crm, "c1", 1, "name", "Li Wei", "dob", "1990-09-09");
    put(erp, "e1", 1, "name", "Li Wei", "dob", "1990-09-09");
    put(billing, "b1", 1, "name", "Li Wei", "dob", "1990-09-09");
    Aggregation agg = people().build();
    agg.run();
    String id = agg.goldenRecords().get(0).id();

    List<GoldenRecord> after = agg.unmerge(id, "erp", "e1");

    assertEquals(2, after.size());
    assertEquals(id, after.get(0).id(), "the entity keeps its id: it keeps the most members");
    assertEquals(Set.of(Set.of("crm:c1", "billing:b1"), Set.of("erp:e1")), clusters(agg));
    assertEquals(2, golden.size(), "written now, not at the next run");
    put(erp, "e1", 2, "name", "Li Wei", "dob", "1990-09-09", "credit", 7);   // changed, still alike: not merged back
    put(billing, "b1", 2, "name", "Li Wei", "dob", "1990-09-09", "plan", "basic");
    assertEquals(RunStatus.COMPLETED, agg.run().status());
    assertEquals(Set.of(Set.of("crm:c1", "billing:b1"), Set.of("erp:e1")), clusters(agg));
    SetupException alone = assertThrows(SetupException.class, () -> agg.unmerge(after.get(1).id(), "erp", "e1"));
    assertTrue(alone.getMessage().contains("alone"), alone.getMessage());
    SetupException none = assertThrows(SetupException.class, () -> agg.unmerge(id, "erp", "e9"));
    assertTrue(none.getMessage().contains("'e9'"), none.getMessage());
  }

  @Test
  void aPersonsUnmergeOfOneOfTwo_leavesTheIdWithTheRecordLeft_andMintsOneForTheRecordSplitOff() {
    put(crm, "c1", 1, "name", "Kim Park", "dob", "1985-03-03");   // "crm:c1" sorts before "erp:e1": a tie by count alone
    put(erp, "e1", 1, "name", "Kim Park", "dob", "1985-03-03");
    Aggregation agg = people().build();
    agg.run();
    String id = agg.goldenRecords().get(0).id();

    List<GoldenRecord> after = agg.unmerge(id, "crm", "c1");

    assertEquals(id, after.get(0).id());
    assertEquals(List.of("e1"), after.get(0).members().stream().map(GoldenRecord.Member::key).toList(),
        "the id stays with the record left");
    assertEquals(List.of("c1"), after.get(1).members().stream().map(GoldenRecord.Member::key).toList());
    assertNotEquals(id, after.get(1).id());
  }

  @Test
  void aRecordDeletedOrGoneFromItsInput_leavesItsEntity_andABridgeGone_splitsIt() {
    put(crm, "c1", 1, "name", "Mo Salah", "dob", "1992-06-15");
    put(erp, "e1", 1, "name", "Mo Salah", "dob", "1992-06-15");
    put(billing, "b1", 1, "name", "Mo Salah", "dob", "1992-06-15");
    Aggregation agg = people().build();
    agg.run();
    assertEquals(1, clusters(agg).size());

    billing.write(List.of(Change.delete("b1")));
    crm.write(List.of(Change.delete("c1")));   // read whole: gone at the next run's end
    assertEquals(RunStatus.COMPLETED, agg.run().status());

    assertEquals(Set.of(Set.of("erp:e1")), clusters(agg));
    assertEquals(1, golden.size());
  }

  @Test
  void aLiveLookup_asksEachInputForTheEntitysMembers() {
    put(crm, "c1", 1, "name", "Ada King", "dob", "1815-12-10", "email", "ada@x.test");
    put(erp, "e1", 1, "name", "Ada King", "dob", "1815-12-10", "credit", 3);
    Aggregation agg = people().build();
    agg.run();
    String id = agg.goldenRecords().get(0).id();
    put(erp, "e1", 2, "name", "Ada King", "dob", "1815-12-10", "credit", 99);   // not yet read by a run

    Collected live = agg.lookup(id);

    assertEquals(99, live.record().orElseThrow().values().get("credit"), "collected live, not from the kept values");
    assertEquals(List.of("crm", "erp", "billing"), live.answered());
  }

  @Test
  void theBuilderRefusesInputsThatMixMergeKeysAndMatching() {
    SetupException noRule = assertThrows(SetupException.class, () -> Aggregation.builder().name("x")
        .input(Input.from("crm", crm).transform(Transform.identity()).matched()).destination(golden).build());
    assertTrue(noRule.getMessage().contains("no match rule"), noRule.getMessage());
    SetupException mixed = assertThrows(SetupException.class, () -> people()
        .input(Input.from("other", golden).transform(Transform.identity()).mergeKey("id")).build());
    assertTrue(mixed.getMessage().contains("'other' has a merge key"), mixed.getMessage());
    SetupException byKey = assertThrows(SetupException.class, () -> Aggregation.builder().name("y")
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("id")).destination(golden).build()
        .unmerge("g", "crm", "c1"));
    assertTrue(byKey.getMessage().contains("merge key"), byKey.getMessage());
    SetupException twice = assertThrows(SetupException.class, () -> people().match(SAME_PERSON, Blocking.field("dob"), 0.8));
    assertTrue(twice.getMessage().contains("the match rule was already set"), twice.getMessage());
    Input.Builder<Fields> in = Input.from("crm", crm).scope(dev.patchbay.core.ScopeCriteria.all()).transform(Transform.identity())
        .lookup(crm);
    for (Runnable again : List.<Runnable>of(() -> in.scope(dev.patchbay.core.ScopeCriteria.all()),
        () -> in.transform(Transform.identity()), () -> in.lookup(crm))) {
      SetupException e = assertThrows(SetupException.class, again::run);
      assertTrue(e.getMessage().startsWith("Input 'crm': ") && e.getMessage().contains("already set"), e.getMessage());
    }
  }

  @Test
  void aPairScoredExactlyAtTheThreshold_isJoined_andTheReportCountsEachInputsRecords() {
    put(crm, "c1", 1, "email", "Ann@X.test", "name", "Ann");
    put(erp, "e1", 1, "email", "ann@x.test", "credit", 5);
    put(erp, "e2", 1, "email", "bob@x.test");
    Aggregation agg = Aggregation.builder().name("exact")
        .input(Input.from("crm", crm).transform(Transform.identity()).matched())
        .input(Input.from("erp", erp).transform(Transform.identity()).matched())
        .match(MatchRule.exact("email"), Blocking.field("email"), 1)   // scores 1 or 0: 1 is at the threshold
        .destination(golden).state(state).build();

    AggregationReport first = agg.run();

    assertEquals(Set.of(Set.of("crm:c1", "erp:e1"), Set.of("erp:e2")), clusters(agg));
    assertEquals(1, first.inputs().get("crm").created());
    assertEquals(2, first.inputs().get("erp").created());
    put(erp, "e1", 2, "email", "ann@x.test", "credit", 6);
    AggregationReport second = agg.run();
    assertEquals(1, second.inputs().get("erp").updated(), second.summary());
    assertEquals(1, second.inputs().get("erp").unchanged(), second.summary());
    assertEquals(1, second.inputs().get("crm").unchanged(), second.summary());
    assertEquals(6, golden.snapshot().values().stream().filter(e -> e.payload().has("name")).findFirst().orElseThrow()
        .payload().get("credit"));
  }

  @Test
  void anEntitySplitIntoTwoEqualParts_leavesItsIdWithThePartWhoseFirstMemberSortsFirst() {
    put(crm, "c1", 1, "name", "Eve Adams", "dob", "1960-01-01");
    put(erp, "e1", 1, "name", "Eve Adams", "dob", "1960-01-01");
    Aggregation agg = people().build();
    agg.run();
    String id = agg.goldenRecords().get(0).id();

    put(erp, "e1", 2, "name", "Zed Zulu", "dob", "1960-01-01");   // no longer alike: one member each
    agg.run();

    assertEquals(List.of("c1"), agg.golden(id).orElseThrow().members().stream().map(GoldenRecord.Member::key).toList(),
        "a tie: the part holding 'crm:c1' (before 'erp:e1') keeps the id");
  }

  @Test
  void howCommonAValueIs_countsAnUpdatedRecordsNewValueOnly() {
    put(crm, "c1", 1, "name", "Jon Lee", "dob", "1950-02-02");
    put(erp, "e1", 1, "name", "Jon Leee", "dob", "1950-02-02");   // one entity; its two names tie
    put(billing, "b1", 1, "name", "Jon Lee", "dob", "1999-09-09");   // another person: "Jon Lee" held twice in all
    Aggregation agg = people().survivorship("name", Survivorship.mostFrequent()).build();
    agg.run();
    GoldenRecord jon = agg.goldenRecords().stream().filter(g -> g.members().size() == 2).findFirst().orElseThrow();
    assertEquals("Jon Lee", jon.values().get("name"));

    put(billing, "b1", 2, "name", "Jon Leee", "dob", "1999-09-09");   // now "Jon Leee" twice, "Jon Lee" once
    agg.run();

    assertEquals("Jon Leee", golden.get(jon.id()).payload().get("name"), "made again with the counts of now");
  }
}
