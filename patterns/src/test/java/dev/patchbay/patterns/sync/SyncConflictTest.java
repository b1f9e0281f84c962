package dev.patchbay.patterns.sync;

import dev.patchbay.core.report.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** S3 (conflicts) and S4 (deletes) on fixed edits: 100 records both sides change between two rounds. */
class SyncConflictTest {

  private static final int RECORDS = 100;

  /** Two systems with the same 100 records, linked by a first round; the CRM is side A, permits side B. */
  private static final class World {
    final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    final InMemoryStore<Fields> permits = InMemoryStore.create("permits");

    World() {
      List<Envelope<Fields>> people = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        people.add(new Envelope<>(key(i), 1, Fields.of("name", "Person " + i, "email", "p" + i + "@example.org",
            "city", "Wellington")));
      }
      crm.write(people.stream().map(Change::upsert).toList());
    }

    static String key(int i) {
      return String.format("c-%03d", i);
    }

    /**
     * Both sides edit every record: the first 50 the same field (city) differently, the rest
     * different fields (name in the CRM, email in permits). Even records were edited later in the
     * CRM, odd ones later in permits.
     */
    void conflictingEdits() {
      List<Change<Fields>> onCrm = new ArrayList<>();
      List<Change<Fields>> onPermits = new ArrayList<>();
      for (int i = 0; i < RECORDS; i++) {
        long crmTime = 1_000_000 + (i % 2 == 0 ? 10_000 : 0);   // microseconds: 10 ms apart
        long permitsTime = 1_000_000 + (i % 2 == 0 ? 0 : 10_000);
        Fields c = crm.get(key(i)).payload();
        Fields p = permits.get(key(i)).payload();
        if (i < 50) {
          onCrm.add(Change.upsert(new Envelope<>(key(i), crmTime, c.with("city", "Auckland"))));
          onPermits.add(Change.upsert(new Envelope<>(key(i), permitsTime, p.with("town", "Dunedin"))));
        } else {
          onCrm.add(Change.upsert(new Envelope<>(key(i), crmTime, c.with("name", "Renamed " + i))));
          onPermits.add(Change.upsert(new Envelope<>(key(i), permitsTime, p.with("mail", "new" + i + "@example.org"))));
        }
      }
      crm.write(onCrm);
      permits.write(onPermits);
    }

    /** The CRM's records in its own terms, and the permits' records in the CRM's terms. */
    Map<String, Fields> crmView() {
      Map<String, Fields> m = new TreeMap<>();
      crm.snapshot().forEach((k, r) -> m.put(k, r.payload()));
      return m;
    }

    Map<String, Fields> permitsView() {
      Map<String, Fields> m = new TreeMap<>();
      permits.snapshot().forEach((k, r) -> m.put(k, SyncPropertiesTest.toA(r.payload())));
      return m;
    }
  }

  private static BidirectionalSync crmFirst(World w, ConflictPolicy policy, DeletePolicy deletes) {
    return crmFirst(w, policy, deletes, 0.2);
  }

  private static BidirectionalSync crmFirst(World w, ConflictPolicy policy, DeletePolicy deletes, double massDelete) {
    return BidirectionalSync.builder().name("crm-permits").sideA(w.crm).sideB(w.permits)
        .mapping(SyncPropertiesTest::toB, SyncPropertiesTest::toA).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(policy).deletes(deletes).massDeleteShare(massDelete).retry(RetryPolicy.immediate(1)).build();
  }

  /** The same sync with the sides the other way round: permits is side A. */
  private static BidirectionalSync permitsFirst(World w, ConflictPolicy policy) {
    UnaryOperator<Fields> toCrm = SyncPropertiesTest::toA;
    UnaryOperator<Fields> toPermits = SyncPropertiesTest::toB;
    return BidirectionalSync.builder().name("permits-crm").sideA(w.permits).sideB(w.crm)
        .mapping(toCrm, toPermits).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(policy).retry(RetryPolicy.immediate(1)).build();
  }

  private static SyncReport completed(SyncReport report) {
    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    return report;
  }

  @Test
  void lastWriterWins_keepsTheLaterVersionWhole_whicheverSideIsProcessedFirst() {
    World one = new World();
    BidirectionalSync sync = crmFirst(one, ConflictPolicy.lastWriterWins(Duration.ofMillis(2), Side.A), DeletePolicy.PROPAGATE);
    completed(sync.round());
    one.conflictingEdits();
    SyncReport report = completed(sync.round());

    World two = new World();
    // Permits is side A here; ties (none in these edits) would go to the CRM, as above.
    BidirectionalSync swapped = permitsFirst(two, ConflictPolicy.lastWriterWins(Duration.ofMillis(2), Side.B));
    completed(swapped.round());
    two.conflictingEdits();
    completed(swapped.round());

    assertEquals(one.crmView(), two.crmView(), "the CRM ends the same whichever side is A");
    assertEquals(one.permitsView(), two.permitsView(), "permits end the same whichever side is A");
    assertEquals(one.crmView(), one.permitsView(), "both sides equal");
    assertEquals(RECORDS, report.conflicts().size());
    assertEquals(RECORDS, report.conflicts().stream().map(c -> c.conflict().aKey()).distinct().count(), "each conflict once");
    for (int i = 0; i < RECORDS; i++) {
      Fields held = one.crmView().get(World.key(i));
      boolean crmLater = i % 2 == 0;
      if (i < 50) {
        assertEquals(crmLater ? "Auckland" : "Dunedin", held.get("city"), World.key(i));
      } else {
        assertEquals(crmLater ? "Renamed " + i : "Person " + i, held.get("name"), World.key(i));
        assertEquals(crmLater ? "p" + i + "@example.org" : "new" + i + "@example.org", held.get("email"), World.key(i));
      }
    }
    SyncReport.ResolvedConflict first = report.conflicts().get(0);
    assertEquals("Wellington", first.conflict().base().get("city"), "the base is in the report");
    assertEquals("Auckland", first.conflict().a().get("city"), "so is side A's version");
    assertEquals("Dunedin", first.conflict().b().get("city"), "and side B's, the loser here");
    assertEquals("last writer wins: side A changed later", first.resolution().how());
    assertEquals(0, completed(sync.round()).written(), "the round after writes nothing");
  }

  @Test
  void fieldMerge_keepsEditsToDifferentFields_andDecidesTheSameFieldByTheFallback() {
    World w = new World();
    BidirectionalSync sync = crmFirst(w, ConflictPolicy.fieldMerge(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)),
        DeletePolicy.PROPAGATE);
    completed(sync.round());
    w.conflictingEdits();
    SyncReport report = completed(sync.round());

    assertEquals(w.crmView(), w.permitsView());
    for (int i = 50; i < RECORDS; i++) {
      Fields held = w.crmView().get(World.key(i));
      assertEquals("Renamed " + i, held.get("name"), "the CRM's edit kept");
      assertEquals("new" + i + "@example.org", held.get("email"), "and the permits' edit");
    }
    for (int i = 0; i < 50; i++) {
      assertEquals(i % 2 == 0 ? "Auckland" : "Dunedin", w.crmView().get(World.key(i)).get("city"));
    }
    assertEquals(RECORDS, report.conflicts().size());
    assertEquals(0, completed(sync.round()).written());
  }

  /** The CRM, with an edit made just after its change feed was read (between a round's reading and its writing). */
  @Test
  void aRecordEditedAgainAfterItsFeedWasRead_isNotOverwrittenWithWhatTheFeedSaid() {
    World w = new World();
    dev.patchbay.patterns.FlakyFeed crm = new dev.patchbay.patterns.FlakyFeed(w.crm);
    BidirectionalSync sync = BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(w.permits)
        .mapping(SyncPropertiesTest::toB, SyncPropertiesTest::toA).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.fieldMerge(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)))
        .retry(RetryPolicy.immediate(1)).build();
    completed(sync.round());
    w.conflictingEdits();   // record 60: name changed in the CRM, email in permits; the merge writes both sides
    String key = World.key(60);
    crm.afterRead = () -> w.crm.write(List.of(Change.upsert(new Envelope<>(key, 5_000,
        w.crm.get(key).payload().with("city", "Edited after reading")))));

    SyncReport report = completed(sync.round());

    assertEquals("Edited after reading", w.crmView().get(key).get("city"), "the later edit is still there");
    assertEquals(RECORDS - 1, report.conflicts().size(), "the record that moved on is left to the next round");
    SyncReport next = completed(sync.round());
    assertEquals(1, next.conflicts().size(), next.summary());
    assertEquals(w.crmView(), w.permitsView());
    Fields held = w.crmView().get(key);
    assertEquals(List.of("Renamed 60", "new60@example.org", "Edited after reading"),
        List.of(held.get("name"), held.get("email"), held.get("city")), "all three edits kept");
    assertEquals(0, completed(sync.round()).written());
  }

  @Test
  void aFeedThatFailsTransientlyMidRead_isReadAgainFromWhereTheChunkBegan_asTheRetryPolicyAllows() {
    World w = new World();
    dev.patchbay.patterns.FlakyFeed crm = new dev.patchbay.patterns.FlakyFeed(w.crm).failNext(2);
    BidirectionalSync sync = BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(w.permits)
        .mapping(SyncPropertiesTest::toB, SyncPropertiesTest::toA).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).retry(RetryPolicy.immediate(3)).build();

    SyncReport report = completed(sync.round());

    assertTrue(crm.reads.get() >= 3, "read, failed twice, read again: " + crm.reads.get());
    assertEquals(w.crmView(), w.permitsView(), "every record of the CRM read and carried, none lost to the failed reads");

    crm.failNext(3);   // past the three attempts the policy allows: the round fails, and the next reads again
    w.conflictingEdits();
    SyncReport failed = sync.round();
    assertEquals(RunStatus.FAILED, failed.status(), failed.summary());
    completed(sync.round());
    assertEquals(w.crmView(), w.permitsView());
  }

  @Test
  void manualReview_parksEveryConflict_andWritesNothingForThem() {
    World w = new World();
    BidirectionalSync sync = crmFirst(w, ConflictPolicy.manual(), DeletePolicy.PROPAGATE);
    completed(sync.round());
    w.conflictingEdits();
    Map<String, Fields> crmBefore = w.crmView();
    Map<String, Fields> permitsBefore = w.permitsView();

    SyncReport report = completed(sync.round());

    assertEquals(0, report.written(), report.summary());
    assertEquals(crmBefore, w.crmView());
    assertEquals(permitsBefore, w.permitsView());
    assertEquals(RECORDS, report.conflicts().size());
    assertTrue(report.conflicts().stream().allMatch(c -> c.resolution().kind() == Resolution.Kind.PARK));
    SyncReport later = completed(sync.round());
    assertEquals(0, later.written(), "still parked a round later");
    assertEquals(RECORDS, later.conflicts().size(), "and still reported");
  }

  @Test
  void aParkedConflict_isSettledAsAPersonDecides_unlessARecordMovedOn() {
    World w = new World();
    BidirectionalSync sync = crmFirst(w, ConflictPolicy.manual(), DeletePolicy.PROPAGATE);
    completed(sync.round());
    w.conflictingEdits();
    List<Conflict> parked = completed(sync.round()).conflicts().stream().map(SyncReport.ResolvedConflict::conflict).toList();
    Conflict keepA = parked.get(0);   // city: Auckland in the CRM, Dunedin in permits
    Conflict delete = parked.get(1);
    Conflict moved = parked.get(2);

    SyncReport kept = completed(sync.settle(keepA, Resolution.keep(keepA.a(), "the CRM's city, checked by a person")));
    assertEquals(1, kept.b().updated());
    assertEquals(0, kept.a().written());
    assertEquals("Auckland", w.permitsView().get(keepA.aKey()).get("city"));
    assertEquals(w.crmView().get(keepA.aKey()), w.permitsView().get(keepA.aKey()));
    assertEquals("the CRM's city, checked by a person", kept.conflicts().get(0).resolution().how());

    SyncReport deleted = completed(sync.settle(delete, Resolution.delete("a duplicate, says a person")));
    assertEquals(List.of(1L, 1L), List.of(deleted.a().deleted(), deleted.b().deleted()));
    assertEquals(null, w.crm.get(delete.aKey()));
    assertEquals(null, w.permits.get(delete.bKey()));

    w.crm.write(List.of(Change.upsert(new Envelope<>(moved.aKey(), 3_000,
        w.crm.get(moved.aKey()).payload().with("city", "Napier")))));
    SyncReport refused = sync.settle(moved, Resolution.keep(moved.b(), "permits' city"));
    assertEquals(RunStatus.BLOCKED, refused.status());
    assertEquals("Sync 'crm-permits' decision BLOCKED: side A's record of 'c-002' changed since the conflict was"
        + " reported; nothing was written, and the next round decides the pair as it is now", refused.message());
    assertEquals(0, refused.written());
    assertEquals("Napier", w.crmView().get(moved.aKey()).get("city"));

    SyncReport next = completed(sync.round());
    assertEquals(RECORDS - 2, next.conflicts().size(), "the two settled pairs are no longer parked");
    assertTrue(next.conflicts().stream().noneMatch(c -> c.conflict().aKey().equals(keepA.aKey())
        || c.conflict().aKey().equals(delete.aKey())));
    assertEquals("Napier", next.conflicts().stream().filter(c -> c.conflict().aKey().equals(moved.aKey())).findFirst()
        .orElseThrow().conflict().a().get("city"), "the moved pair is decided afresh, as it is now");
    assertEquals(0, next.written(), next.summary());
    assertThrows(IllegalArgumentException.class, () -> sync.settle(moved, Resolution.park("later")));
  }

  @Test
  void deleteAgainstUpdate_resolvesByThePolicy_andNothingFlipsOverThreeMoreRounds() {
    World w = new World();
    // 25 deletes win: more than the default 20 % of 100, so this sync allows 30 %.
    BidirectionalSync sync = crmFirst(w, ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A), DeletePolicy.PROPAGATE, 0.3);
    completed(sync.round());
    List<Change<Fields>> deletes = new ArrayList<>();
    List<Change<Fields>> updates = new ArrayList<>();
    Set<String> deleteWins = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      boolean deleteLater = i % 2 == 0;
      deletes.add(new Change.Delete<>(World.key(i), deleteLater ? 2_000 : 1_000));
      updates.add(Change.upsert(new Envelope<>(World.key(i), deleteLater ? 1_000 : 2_000,
          w.permits.get(World.key(i)).payload().with("town", "Napier"))));
      if (deleteLater) {
        deleteWins.add(World.key(i));
      }
    }
    w.crm.write(deletes);
    w.permits.write(updates);

    SyncReport report = completed(sync.round());
    assertEquals(50, report.conflicts().size());
    Map<String, Fields> settled = w.crmView();
    assertEquals(settled, w.permitsView());
    for (int i = 0; i < 50; i++) {
      String k = World.key(i);
      if (deleteWins.contains(k)) {
        assertTrue(!settled.containsKey(k), k + " deleted on both sides");
      } else {
        assertEquals("Napier", settled.get(k).get("city"), k + " kept with the later update");
      }
    }
    for (int round = 0; round < 3; round++) {
      assertEquals(0, completed(sync.round()).written(), "round " + round + " after");
      assertEquals(settled, w.crmView());
      assertEquals(settled, w.permitsView());
    }
  }

  @Test
  void ignoredDeletes_leaveTheOtherSide_andTheRecordNeverComesBack() {
    World w = new World();
    BidirectionalSync sync = crmFirst(w, ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A), DeletePolicy.IGNORE);
    completed(sync.round());
    w.crm.write(List.of(new Change.Delete<>(World.key(7), 5)));
    assertEquals(0, completed(sync.round()).written(), "a delete ignored writes nothing");
    assertTrue(w.permits.get(World.key(7)) != null, "the permits' record stays");

    w.permits.write(List.of(Change.upsert(new Envelope<>(World.key(7), 6,
        w.permits.get(World.key(7)).payload().with("town", "Nelson")))));
    assertEquals(0, completed(sync.round()).written(), "an edit to it later is not carried back");
    assertTrue(w.crm.get(World.key(7)) == null, "the CRM's record stays deleted");
  }

  @Test
  void aRoundThatWouldDeleteNinetyPercent_isBlocked_andWritesNothing() {
    World w = new World();
    BidirectionalSync sync = crmFirst(w, ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A), DeletePolicy.PROPAGATE);
    completed(sync.round());
    List<Change<Fields>> deletes = new ArrayList<>();
    for (int i = 0; i < 90; i++) {
      deletes.add(new Change.Delete<>(World.key(i), 5));
    }
    w.crm.write(deletes);

    SyncReport report = sync.round();

    assertEquals(RunStatus.BLOCKED, report.status());
    assertEquals("Sync 'crm-permits' round BLOCKED: the round would delete 90 of 100 linked records on side B (90 %),"
        + " more than the mass-delete limit of 20 % (and of 10 records); nothing was written. Check side A's deletes; if"
        + " they are meant, run this one round as round(90), which allows up to 90 deletes a side", report.message());
    assertEquals(0, report.written());
    assertEquals(RECORDS, w.permits.size(), "nothing deleted on side B");
    assertEquals(RunStatus.BLOCKED, sync.round().status(), "and the next round is blocked the same way");
  }
}
