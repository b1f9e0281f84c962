package dev.patchbay.patterns.sync;

import dev.patchbay.core.report.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Stage;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What real syncs meet: absent fields, small tables, records leaving scope, keys used again. */
class SyncRealConditionsTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> permits = InMemoryStore.create("permits");

  private static Change<Fields> put(String key, Fields values) {
    return Change.upsert(Envelope.of(key, values));
  }

  /** The sides, the conflict policy and retries; name, mapping and scopes still to give. */
  private BidirectionalSync.Builder bare() {
    return BidirectionalSync.builder().sideA(crm).sideB(permits)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).retry(RetryPolicy.immediate(1));
  }

  /** With the README's mapping idiom as a user first writes it: Fields.of with a value that may be absent. */
  private BidirectionalSync.Builder sync() {
    return bare().name("crm-permits").mapping(c -> Fields.of("fullName", c.get("name"), "town", c.get("city")),
            p -> Fields.of("name", p.get("fullName"), "city", p.get("town")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all());
  }

  /** With the null-tolerant factory. */
  private BidirectionalSync.Builder tolerant(String name) {
    return bare().name(name).mapping(c -> Fields.ofNullable("fullName", c.get("name"), "town", c.get("city")),
        p -> Fields.ofNullable("name", p.get("fullName"), "city", p.get("town")));
  }

  @Test
  void aRecordWhoseMappingFails_isFailedWithItsKeyAndField_andTheRoundGoesOn() {
    crm.write(List.of(put("c-1", Fields.of("name", "Ada", "city", "Napier")), put("c-2", Fields.of("name", "Bob")),
        put("c-3", Fields.of("name", "Cy", "city", "Otaki"))));
    BidirectionalSync sync = sync().build();

    SyncReport first = sync.round();

    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(2, first.b().created(), first.summary());
    assertEquals(List.of(new Outcome.Failed("c-2", Stage.TRANSFORM, "town", "the mapping failed for the pair 'c-2' <-> 'c-2':"
        + " field 'town' is null; Fields hold no nulls (Fields.ofNullable leaves a null value out)")), first.failures());
    assertNull(permits.get("c-2"), "nothing written for it");
    assertEquals(1, first.a().failed(), "counted failed where its failure names it, not left as it was: " + first.summary());
    assertEquals(0, first.b().failed());
    assertEquals(2, first.a().unchanged(), first.summary());
    assertTrue(first.summary().contains("side A: read 3 changes from its feed; wrote 0 (created 0, updated 0, deleted 0);"
        + " left 2 as they were; failed 1"), first.summary());
    SyncReport second = sync.round();
    assertEquals(1, second.failures().size(), "reported again every round until it is fixed: " + second.summary());
    assertEquals(0, second.written());
  }

  @Test
  void absentFields_mapToAbsentFields_withTheNullTolerantFactory() {
    crm.write(List.of(put("c-1", Fields.of("name", "Bob"))));
    BidirectionalSync sync = tolerant("crm-permits").scopes(ScopeCriteria.all(), ScopeCriteria.all()).build();

    SyncReport first = sync.round();

    assertEquals(List.of(), first.failures(), first.summary());
    assertEquals(Fields.of("fullName", "Bob"), permits.get("c-1").payload());
  }

  @Test
  void deletingOneOfFourRecords_isNotAMassDelete_belowTheCountFloor() {
    for (int i = 0; i < 4; i++) {
      crm.write(List.of(put("c-" + i, Fields.of("name", "P" + i, "city", "Napier"))));
    }
    BidirectionalSync sync = sync().build();
    sync.round();
    crm.write(List.of(Change.delete("c-0")));

    SyncReport report = sync.round();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(1, report.b().deleted());
  }

  @Test
  void aBlockedMassDelete_namesTheOneRoundAllowance_whichLetsItThrough() {
    for (int i = 0; i < 40; i++) {
      crm.write(List.of(put("c-" + i, Fields.of("name", "P" + i, "city", "Napier"))));
    }
    BidirectionalSync sync = sync().massDeleteFloor(5).build();
    sync.round();
    for (int i = 0; i < 20; i++) {
      crm.write(List.of(Change.delete("c-" + i)));
    }

    SyncReport blocked = sync.round();
    assertEquals(RunStatus.BLOCKED, blocked.status());
    assertEquals("Sync 'crm-permits' round BLOCKED: the round would delete 20 of 40 linked records on side B (50 %), more"
        + " than the mass-delete limit of 20 % (and of 5 records); nothing was written. Check side A's deletes; if they are"
        + " meant, run this one round as round(20), which allows up to 20 deletes a side", blocked.message());
    assertEquals(RunStatus.BLOCKED, sync.round(19).status(), "an allowance below the count still blocks");
    SyncReport allowed = sync.round(20);
    assertEquals(RunStatus.COMPLETED, allowed.status(), allowed.summary());
    assertEquals(20, allowed.b().deleted());
    assertEquals(20, permits.size());
  }

  @Test
  void aLinkedRecordThatLeavesScope_isNeitherModifiedNorDeletedThere_norCarriedOver() {
    crm.write(List.of(put("c-1", Fields.of("name", "Ada", "city", "Napier")), put("c-2", Fields.of("name", "Bob", "city", "Napier"))));
    BidirectionalSync sync = tolerant("crm-permits")
        .scopes(ScopeCriteria.where("not archived", r -> !"archived".equals(r.payload().get("city"))),
            ScopeCriteria.where("not on hold", r -> !"hold".equals(r.payload().get("town"))))
        .build();
    sync.round();
    crm.write(List.of(put("c-1", Fields.of("name", "Ada", "city", "archived"))));   // leaves A's scope
    permits.write(List.of(put("c-2", Fields.of("fullName", "Bob", "town", "hold"))));   // leaves B's scope
    SyncReport left = sync.round();
    assertEquals(0, left.written(), "neither out-of-scope record is carried over: " + left.summary());
    assertEquals(1, left.a().skipped(), left.summary());
    assertEquals(1, left.b().skipped(), left.summary());

    permits.write(List.of(put("c-1", Fields.of("fullName", "Ada Lovelace", "town", "Napier"))));
    crm.write(List.of(Change.delete("c-2")));
    SyncReport after = sync.round();
    assertEquals(0, after.written(), "an edit does not reach, and a delete does not remove, an out-of-scope record: " + after.summary());
    assertEquals("archived", crm.get("c-1").payload().get("city"));
    assertEquals("hold", permits.get("c-2").payload().get("town"));
  }

  @Test
  void aRecordCreatedAgainAfterItsPairWasDeleted_isAFindingEveryRound_orLinkedAnewOnRequest() {
    crm.write(List.of(put("c-1", Fields.of("name", "Ada", "city", "Napier"))));
    BidirectionalSync reporting = sync().build();
    reporting.round();
    crm.write(List.of(Change.delete("c-1")));
    reporting.round();
    crm.write(List.of(put("c-1", Fields.of("name", "Ada", "city", "Hastings"))));

    String finding = "'c-1' on side A was created again after its pair was deleted; it is not synced"
        + " (RecreatedPolicy.REPORT; RecreatedPolicy.LINK_AGAIN links it anew)";
    assertEquals(List.of(finding), reporting.round().findings());
    assertEquals(List.of(finding), reporting.round().findings(), "and again the next round");
    assertNull(permits.get("c-1"));

    BidirectionalSync relinking = tolerant("crm-permits-2").scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .recreated(RecreatedPolicy.LINK_AGAIN).build();
    InMemoryStore<Fields> a = crm;
    a.write(List.of(put("c-9", Fields.of("name", "Nine", "city", "Napier"))));
    relinking.round();
    a.write(List.of(Change.delete("c-9")));
    relinking.round();
    a.write(List.of(put("c-9", Fields.of("name", "Nine again", "city", "Napier"))));
    SyncReport relinked = relinking.round();
    assertTrue(relinked.findings().isEmpty(), relinked.summary());
    assertEquals("Nine again", permits.get("c-9").payload().get("fullName"));
    assertEquals(0, relinking.round().written());
  }

  @Test
  void aRoundOfManyChunks_isBlockedForAMassDelete_beforeAnythingIsWritten() {
    List<Change<Fields>> people = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      people.add(put(String.format("c-%03d", i), Fields.of("name", "P" + i, "city", "Napier")));
    }
    crm.write(people);
    BidirectionalSync sync = sync().batchSize(7).build();
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    List<Change<Fields>> edits = new java.util.ArrayList<>();
    for (int i = 0; i < 100; i++) {
      String key = String.format("c-%03d", i);
      edits.add(i % 2 == 0 ? Change.delete(key) : put(key, Fields.of("name", "Q" + i, "city", "Napier")));
    }
    crm.write(edits);

    SyncReport blocked = sync.round();

    assertEquals(RunStatus.BLOCKED, blocked.status(), blocked.summary());
    assertTrue(blocked.message().contains("would delete 50 of 100 linked records on side B"), blocked.message());
    assertEquals(100, permits.size(), "nothing deleted");
    assertEquals("P1", permits.get("c-001").payload().get("fullName"), "nothing written at all");
    SyncReport allowed = sync.round(50);
    assertEquals(RunStatus.COMPLETED, allowed.status(), allowed.summary());
    assertEquals(50, allowed.b().deleted());
    assertEquals(50, allowed.b().updated());
    assertEquals(0, sync.round().written());
  }

  @Test
  void aRoundStopsAtItsFailureLimit_afterTheChunkUnderWay_andTheNextRoundGoesOn_everyOutcomeCaptured() {
    List<Change<Fields>> people = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      people.add(put(String.format("c-%03d", i), i % 4 == 0 ? Fields.of("name", "P" + i) : Fields.of("name", "P" + i, "city", "Napier")));
    }
    crm.write(people);
    List<Outcome> captured = new java.util.ArrayList<>();
    BidirectionalSync sync = sync().batchSize(8).failureLimit(3).resultCapture(captured::add).build();

    SyncReport stopped = sync.round();

    assertEquals(RunStatus.FAILED, stopped.status(), stopped.summary());
    assertEquals("Sync 'crm-permits' round FAILED: 4 pairs failed, more than the failure limit of 3; the changes read so far"
        + " are settled, and the next round goes on from there", stopped.message());
    assertEquals(12, stopped.b().created(), "two chunks of eight, four records failing in them: " + stopped.summary());
    assertEquals(12, captured.stream().filter(o -> o instanceof Outcome.Created).count(), "every write outcome captured");
    SyncReport next = sync.round();
    assertEquals(RunStatus.FAILED, next.status(), "the four failing pairs are revisited, and count again");
    assertEquals(18, permits.size(), "yet the next round goes on from where the last stopped: " + next.summary());
    SyncReport rest = tolerant("crm-permits-rest").scopes(ScopeCriteria.all(), ScopeCriteria.all()).batchSize(8).build().round();
    assertEquals(RunStatus.COMPLETED, rest.status(), rest.summary());
    assertEquals(40, permits.size());
  }

  @Test
  void failuresUpToTheLimit_letTheRoundComplete() {
    List<Change<Fields>> people = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      people.add(put(String.format("c-%03d", i), i % 4 == 0 ? Fields.of("name", "P" + i) : Fields.of("name", "P" + i, "city", "Napier")));
    }
    crm.write(people);   // three without a city: three mapping failures

    SyncReport report = sync().failureLimit(3).build().round();

    assertEquals(RunStatus.COMPLETED, report.status(), "3 failures, a limit of 3: " + report.summary());
    assertEquals(3, report.failures().size());
  }

  @Test
  void aMappingThatNeverSettles_doesNotKeepARoundGoingForEver() {
    for (int i = 0; i < 30; i++) {
      crm.write(List.of(put("c-" + i, Fields.of("name", "P" + i))));
    }
    // Not each other's inverse: every trip through the mapping adds a mark, so the sides never agree.
    BidirectionalSync sync = bare().name("restless").batchSize(4)
        .mapping(c -> Fields.ofNullable("fullName", c.get("name") + "!"), p -> Fields.ofNullable("name", p.get("fullName")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all()).build();

    SyncReport first = java.util.concurrent.CompletableFuture.supplyAsync(sync::round)
        .orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();

    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(30, first.b().created(), "each record written once this round: " + first.summary());
    SyncReport second = java.util.concurrent.CompletableFuture.supplyAsync(sync::round)
        .orTimeout(20, java.util.concurrent.TimeUnit.SECONDS).join();
    assertTrue(second.written() <= 60, "a round writes a pair at most once a side: " + second.summary());
  }
}
