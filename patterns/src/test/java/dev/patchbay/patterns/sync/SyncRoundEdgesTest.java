package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.testkit.SimulatedCrash;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A sync round at the edges the property tests reach seldom: a create cut short before it was
 * written, both sides edited alike, the mass-delete limit read ahead over many chunks with keys that
 * differ between the sides, deletes flowing to side A, and decisions on conflicts that no longer hold.
 */
class SyncRoundEdgesTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private final StateStore state = StateStore.inMemory();

  /** Keys "a-N" on side A and "b-N" on side B: a link is the only way from one to the other. */
  private BidirectionalSync.Builder builder(Faulty<Fields> b) {
    return builder(b, ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A));
  }

  private BidirectionalSync.Builder builder(Faulty<Fields> b, ConflictPolicy conflicts) {
    return builder(b, conflicts, ScopeCriteria.all());
  }

  private BidirectionalSync.Builder builder(Faulty<Fields> b, ConflictPolicy conflicts, ScopeCriteria<Fields> scopeB) {
    return builder(b, conflicts, scopeB, state);
  }

  private BidirectionalSync.Builder builder(Faulty<Fields> b, ConflictPolicy conflicts, ScopeCriteria<Fields> scopeB,
      StateStore store) {
    return BidirectionalSync.builder().name("edges").sideA(crm).sideB(b)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity())
        .scopes(ScopeCriteria.all(), scopeB)
        .keys(r -> "b-" + r.key().substring(2), r -> "a-" + r.key().substring(2))
        .conflicts(conflicts)
        .retry(RetryPolicy.none())
        .state(store);
  }

  private static List<Change<Fields>> upserts(String prefix, int from, int to, long version) {
    List<Change<Fields>> changes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      changes.add(Change.upsert(new Envelope<>(prefix + i, version, Fields.of("n", i))));
    }
    return changes;
  }

  private static List<Change<Fields>> deletes(String prefix, int from, int to) {
    List<Change<Fields>> changes = new ArrayList<>();
    for (int i = from; i < to; i++) {
      changes.add(Change.delete(prefix + i));
    }
    return changes;
  }

  @Test
  void aCreateCutShortBeforeItWasWritten_isMadeNextRound_fromItsOrigin_andTheOriginKept() {
    Faulty<Fields> b = Faulty.around(erp);
    BidirectionalSync sync = builder(b).build();
    crm.write(upserts("a-", 1, 2, 1));
    b.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_PARTIAL, 1).build());   // half of one record: dies before anything reaches side B
    assertThrows(SimulatedCrash.class, sync::round);
    assertEquals(0, erp.size());
    assertEquals(Link.State.PENDING, StoredLinks.byA(state, "edges", List.of("a-1")).get("a-1").state(),
        "the intent was on record before the write");
    b.inject(Faults.none());

    SyncReport next = sync.round();

    assertEquals(1, next.b().created(), next.summary());
    assertEquals(Fields.of("n", 1), erp.get("b-1").payload());
    assertEquals(Fields.of("n", 1), crm.get("a-1").payload(), "the origin's record kept, not taken for deleted");
    assertEquals(Link.State.LINKED, StoredLinks.byA(state, "edges", List.of("a-1")).get("a-1").state());
  }

  @Test
  void bothSidesEditedAlike_writeNothing_andTheLinksBaseMovesOn() {
    BidirectionalSync sync = builder(Faulty.around(erp)).build();
    crm.write(upserts("a-", 1, 2, 1));
    assertEquals(1, sync.round().b().created());
    crm.write(List.of(Change.upsert(new Envelope<>("a-1", 2, Fields.of("n", 42)))));
    erp.write(List.of(Change.upsert(new Envelope<>("b-1", 3, Fields.of("n", 42)))));

    SyncReport same = sync.round();

    assertEquals(0, same.written(), same.summary());
    assertEquals(0, same.conflicts().size(), same.summary());
    assertEquals(Fields.of("n", 42), StoredLinks.byA(state, "edges", List.of("a-1")).get("a-1").base(),
        "the base is what both now hold");
  }

  @Test
  void theMassDeleteLimitIsReadAheadOverManyChunks_fromEitherSide_withKeysThatDiffer() {
    BidirectionalSync sync = builder(Faulty.around(erp)).batchSize(7).build();
    crm.write(upserts("a-", 0, 50, 1));
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    assertEquals(50, erp.size());

    crm.write(deletes("a-", 0, 30));   // 60 % of side A's linked records, over five chunks
    SyncReport blocked = sync.round();
    assertEquals(RunStatus.BLOCKED, blocked.status(), blocked.summary());
    assertTrue(blocked.message().contains("would delete 30 of 50 linked records on side B"), blocked.message());
    assertEquals(50, erp.size(), "nothing was written");

    SyncReport allowed = sync.round(30);
    assertEquals(RunStatus.COMPLETED, allowed.status(), allowed.summary());
    assertEquals(20, erp.size());

    erp.write(deletes("b-", 30, 45));   // 15 of the 20 left: from side B this time
    SyncReport fromB = sync.round();
    assertEquals(RunStatus.BLOCKED, fromB.status(), fromB.summary());
    assertTrue(fromB.message().contains("would delete 15 of 20 linked records on side A"), fromB.message());
    assertEquals(20, crm.size());
  }

  @Test
  void manyUpdatesOverManyChunks_areNotTakenForDeletes() {
    BidirectionalSync sync = builder(Faulty.around(erp)).batchSize(7).massDeleteFloor(1).build();
    crm.write(upserts("a-", 0, 30, 1));
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    crm.write(upserts("a-", 0, 30, 2).stream().map(c -> (Change<Fields>) Change.upsert(
        new Envelope<>(c.key(), 2, Fields.of("n", -1)))).toList());
    SyncReport updated = sync.round();
    assertEquals(RunStatus.COMPLETED, updated.status(), updated.summary());
    assertEquals(30, updated.b().updated());
  }

  @Test
  void aOneChunkRoundDeletingTooManyOnSideA_isBlocked_andCountsWhatItRead() {
    BidirectionalSync sync = builder(Faulty.around(erp)).build();
    crm.write(upserts("a-", 0, 20, 1));
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    erp.write(deletes("b-", 0, 15));
    SyncReport blocked = sync.round();
    assertEquals(RunStatus.BLOCKED, blocked.status(), blocked.summary());
    assertTrue(blocked.message().contains("would delete 15 of 20 linked records on side A"), blocked.message());
    assertEquals(20, blocked.b().read(), "the changes read before the round stopped (15 deletes, 5 of the round's"
        + " own creates coming back): " + blocked.summary());
    assertEquals(20, crm.size());
  }

  @Test
  void aDecisionOnAConflictThatNoLongerHolds_isRefused_writingNothing() {
    BidirectionalSync sync = builder(Faulty.around(erp), ConflictPolicy.manual()).build();
    crm.write(upserts("a-", 1, 3, 1));
    assertEquals(2, sync.round().b().created());
    crm.write(List.of(Change.upsert(new Envelope<>("a-1", 2, Fields.of("n", 10)))));
    erp.write(List.of(Change.upsert(new Envelope<>("b-1", 3, Fields.of("n", 20)))));
    SyncReport parked = sync.round();
    assertEquals(1, parked.conflicts().size(), parked.summary());
    Conflict conflict = parked.conflicts().get(0).conflict();

    Conflict strangers = new Conflict("a-1", "b-2", conflict.base(), conflict.a(), conflict.b(), 2, 3);
    SyncReport notAPair = sync.settle(strangers, Resolution.keep(Fields.of("n", 10), "a person chose A"));
    assertEquals(RunStatus.BLOCKED, notAPair.status());
    assertEquals("Sync 'edges' decision BLOCKED: 'a-1' and 'b-2' are not a pair of this sync's; nothing was written",
        notAPair.message());
    // Each half of the check alone: side A's key linked elsewhere, side B's key unknown; and the reverse.
    Conflict toAnUnknownB = new Conflict("a-1", "b-9", conflict.base(), conflict.a(), conflict.b(), 2, 3);
    assertEquals("Sync 'edges' decision BLOCKED: 'a-1' and 'b-9' are not a pair of this sync's; nothing was written",
        sync.settle(toAnUnknownB, Resolution.keep(Fields.of("n", 10), "a person chose A")).message());
    Conflict fromAnUnknownA = new Conflict("a-9", "b-1", conflict.base(), conflict.a(), conflict.b(), 2, 3);
    assertEquals("Sync 'edges' decision BLOCKED: 'a-9' and 'b-1' are not a pair of this sync's; nothing was written",
        sync.settle(fromAnUnknownA, Resolution.keep(Fields.of("n", 10), "a person chose A")).message());
    assertEquals(Fields.of("n", 20), erp.get("b-1").payload(), "nothing was written");
    assertEquals(null, crm.get("a-9"));

    crm.write(deletes("a-", 1, 2));
    erp.write(deletes("b-", 1, 2));
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    SyncReport closed = sync.settle(conflict, Resolution.keep(Fields.of("n", 10), "a person chose A"));
    assertEquals(RunStatus.BLOCKED, closed.status());
    assertEquals("Sync 'edges' decision BLOCKED: the pair 'a-1' was closed by a delete since; nothing was written",
        closed.message());
    assertEquals(0, erp.snapshot().containsKey("b-1") ? 1 : 0);
  }

  @Test
  void aRecordCreatedAgainOnSideB_isAFindingNamingItsOwnKey() {
    BidirectionalSync sync = builder(Faulty.around(erp)).build();
    crm.write(upserts("a-", 1, 2, 1));
    sync.round();
    erp.write(deletes("b-", 1, 2));
    sync.round();
    assertEquals(0, crm.size(), "the delete reached side A");
    erp.write(upserts("b-", 1, 2, 5));

    SyncReport report = sync.round();

    assertEquals(List.of("'b-1' on side B was created again after its pair was deleted; it is not synced"
        + " (RecreatedPolicy.REPORT; RecreatedPolicy.LINK_AGAIN links it anew)"), report.findings());
    assertEquals(0, crm.size());
  }

  @Test
  void underDeletePolicyIgnore_theRecordASideKeptIsNoFinding() {
    BidirectionalSync sync = builder(Faulty.around(erp)).deletes(dev.patchbay.patterns.DeletePolicy.IGNORE).build();
    crm.write(upserts("a-", 1, 2, 1));
    sync.round();
    crm.write(deletes("a-", 1, 2));
    SyncReport deleted = sync.round();
    assertEquals(0, deleted.written(), deleted.summary());
    assertEquals(1, erp.size(), "side B keeps its record");
    erp.write(List.of(Change.upsert(new Envelope<>("b-1", 7, Fields.of("n", 99)))));

    SyncReport edited = sync.round();

    assertEquals(List.of(), edited.findings(), edited.summary());
    assertEquals(0, crm.size(), "not brought back to side A");
    assertEquals(0, edited.written(), edited.summary());
  }

  @Test
  void aQuietRoundReadsNothing_theFeedsPositionsMovedOn() {
    BidirectionalSync sync = builder(Faulty.around(erp)).build();
    crm.write(upserts("a-", 1, 4, 1));
    assertEquals(3, sync.round().b().created());
    SyncReport echoes = sync.round();   // the round's own creates come back through side B's feed
    assertEquals(0, echoes.written(), echoes.summary());
    SyncReport quiet = sync.round();
    assertEquals(0, quiet.a().read() + quiet.b().read(), "nothing read twice: " + quiet.summary());
  }

  @Test
  void aMappingThatNeverSettles_doesNotMakeARoundRunForever() {
    // Every trip to side B adds one: the pair never comes back as it was written.
    BidirectionalSync sync = BidirectionalSync.builder().name("restless").sideA(crm).sideB(erp)
        .mapping(f -> f.with("n", ((Number) f.get("n")).intValue() + 1), UnaryOperator.identity())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(r -> "b-" + r.key().substring(2), r -> "a-" + r.key().substring(2))
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .batchSize(2).state(state).build();
    crm.write(upserts("a-", 0, 6, 1));
    org.junit.jupiter.api.function.ThrowingSupplier<SyncReport> round = sync::round;
    SyncReport first = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), round);
    assertEquals(RunStatus.COMPLETED, first.status(), first.summary());
    assertEquals(6, first.b().created(), first.summary());
    for (int i = 0; i < 3; i++) {
      SyncReport next = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(20), round);
      assertEquals(RunStatus.COMPLETED, next.status(), next.summary());
      assertTrue(next.written() <= 12, "each pair written at most once a side a round: " + next.summary());
    }
  }

  @Test
  void aNewRecordWhoseKeyOnTheOtherSideHoldsARecordOutOfScope_leavesItAlone_andSaysSo() {
    // Side B's scope leaves out records with a negative n: b-1 is read, and never linked.
    BidirectionalSync sync = builder(Faulty.around(erp), ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A),
        ScopeCriteria.where("n >= 0", r -> ((Number) r.payload().get("n")).intValue() >= 0)).build();
    erp.write(List.of(Change.upsert(new Envelope<>("b-1", 1, Fields.of("n", -5)))));
    SyncReport first = sync.round();
    assertEquals(0, first.written(), first.summary());
    assertEquals(0, crm.size());
    crm.write(List.of(Change.upsert(new Envelope<>("a-1", 9, Fields.of("n", 1)))));

    SyncReport second = sync.round();

    assertEquals(0, second.written(), "an out-of-scope record is never modified, nor created over: " + second.summary());
    assertEquals(Fields.of("n", -5), erp.get("b-1").payload());
    assertEquals(1, second.b().skipped(), second.summary());
    assertTrue(second.findings().stream().anyMatch(f -> f.contains("'a-1'") && f.contains("'b-1'") && f.contains("out of")),
        second.summary());
  }

  /**
   * A feed whose position moves on while it hands out nothing (as one that re-reads a window
   * before its position does once the window has closed): its position is "slid:" and the store's.
   */
  private static final class Sliding implements dev.patchbay.core.ChangeFeed<Fields>, dev.patchbay.core.Lookup<Fields>,
      dev.patchbay.core.Destination<Fields> {
    final InMemoryStore<Fields> store;

    Sliding(InMemoryStore<Fields> store) {
      this.store = store;
    }

    @Override
    public dev.patchbay.core.ChangeCursor<Fields> changes(dev.patchbay.core.Checkpoint after) {
      String inner = after.position().replaceFirst("^slid:", "");
      dev.patchbay.core.ChangeCursor<Fields> changes = store.changes(dev.patchbay.core.Checkpoint.at(inner));
      return new dev.patchbay.core.ChangeCursor<>() {
        boolean read;

        @Override
        public boolean hasNext() {
          return changes.hasNext();
        }

        @Override
        public Change<Fields> next() {
          read = true;
          return changes.next();
        }

        @Override
        public dev.patchbay.core.Checkpoint checkpoint() {
          return read || after.isStart() ? changes.checkpoint() : dev.patchbay.core.Checkpoint.at("slid:" + inner);
        }
      };
    }

    @Override
    public java.util.Map<String, Envelope<Fields>> lookup(java.util.Collection<String> keys) {
      return store.lookup(keys);
    }

    @Override
    public List<dev.patchbay.core.Outcome> write(List<Change<Fields>> batch) {
      return store.write(batch);
    }
  }

  @Test
  void aFeedWhosePositionMovesWhileItHandsOutNothing_hasThatPositionSaved() {
    BidirectionalSync sync = BidirectionalSync.builder().name("sliding").sideA(new Sliding(crm)).sideB(erp)
        .mapping(UnaryOperator.identity(), UnaryOperator.identity())
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(r -> r.key(), r -> r.key())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .retry(RetryPolicy.none())
        .state(state).build();
    crm.write(upserts("k", 1, 3, 1));
    assertEquals(2, sync.round().b().created());
    assertEquals("seq:2", StoredLinks.position(state, "sliding").a().position());

    SyncReport quiet = sync.round();

    assertEquals(0, quiet.written(), quiet.summary());
    assertEquals("slid:seq:2", StoredLinks.position(state, "sliding").a().position(),
        "the position the feed moved to, though it handed out nothing");
  }

  @Test
  void aCreateThatLandedBeforeItsLinkWasSaved_thenDeletedAtItsOrigin_andEditedOnTheOtherSide_isAConflict() {
    Faulty<Fields> b = Faulty.around(erp);
    BidirectionalSync sync = builder(b).build();
    crm.write(upserts("a-", 1, 2, 1));
    b.inject(Faults.builder().crashAt(Faults.CrashPoint.WRITE_UNACKED, 1).build());   // written to side B, never acknowledged
    assertThrows(SimulatedCrash.class, sync::round);
    b.inject(Faults.none());
    assertEquals(Fields.of("n", 1), erp.get("b-1").payload());
    assertEquals(Link.State.PENDING, StoredLinks.byA(state, "edges", List.of("a-1")).get("a-1").state());
    crm.write(deletes("a-", 1, 2));
    erp.write(List.of(Change.upsert(new Envelope<>("b-1", 5, Fields.of("n", 99)))));

    SyncReport next = sync.round();

    assertEquals(1, next.conflicts().size(), "a delete at the origin against an edit of the copy: " + next.summary());
    assertEquals("b-1", next.conflicts().get(0).conflict().bKey());
    assertEquals(Fields.of("n", 99), next.conflicts().get(0).conflict().b());
  }

  @Test
  void aLinkedRecordThatLeavesOneSidesScope_isCountedSkippedOnThatSideOnly() {
    Faulty<Fields> b = Faulty.around(erp);
    BidirectionalSync sync = builder(b, ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A),
        ScopeCriteria.where("n below 100", r -> (int) r.payload().get("n") < 100)).build();
    crm.write(upserts("a-", 1, 3, 1));
    assertEquals(2, sync.round().b().created());
    erp.write(List.of(Change.upsert(new Envelope<>("b-1", 5, Fields.of("n", 500)))));   // leaves side B's scope

    SyncReport left = sync.round();

    assertEquals(0, left.written(), left.summary());
    assertEquals(1, left.b().skipped(), left.summary());
    assertEquals(0, left.a().skipped(), "side A's record is in its scope: " + left.summary());
  }

  @Test
  void aNewRecordOnSideBWhoseMappingFailedOnce_isReadByKeyNextRound_andCreatedOnSideA() {
    int[] calls = {0};
    UnaryOperator<Fields> failsOnce = f -> {
      if (calls[0]++ == 0) {
        throw dev.patchbay.core.DataException.field("n", "not ready yet");
      }
      return f;
    };
    BidirectionalSync sync = BidirectionalSync.builder().name("edges").sideA(crm).sideB(erp)
        .mapping(UnaryOperator.identity(), failsOnce)
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .keys(r -> "b-" + r.key().substring(2), r -> "a-" + r.key().substring(2))
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .retry(RetryPolicy.none())
        .state(state).build();
    erp.write(upserts("b-", 7, 8, 1));
    SyncReport failed = sync.round();
    assertEquals(1, failed.failures().size(), failed.summary());
    assertEquals(0, crm.size());

    SyncReport next = sync.round();   // side B's feed has nothing new: the record is read by its key

    assertEquals(1, next.a().created(), next.summary());
    assertEquals(Fields.of("n", 7), crm.get("a-7").payload());
  }

  /** A state store that counts the reads of entries (by key and by alias) and the entries saved. */
  private static final class CountingReads implements StateStore {
    final StateStore inner;
    int reads;
    int saved;

    CountingReads(StateStore inner) {
      this.inner = inner;
    }

    @Override
    public dev.patchbay.core.state.NamedState open(String name) {
      return new dev.patchbay.patterns.ForwardingState(inner.open(name)) {
        @Override
        public java.util.Map<String, dev.patchbay.core.state.Entry> entries(String space, java.util.Collection<String> keys) {
          reads++;
          return state.entries(space, keys);
        }

        @Override
        public java.util.Map<String, dev.patchbay.core.state.Entry> entriesByAlias(String space, java.util.Collection<String> aliases) {
          reads++;
          return state.entriesByAlias(space, aliases);
        }

        @Override
        public void save(dev.patchbay.core.state.Progress progress, java.util.Collection<dev.patchbay.core.state.Entry> entries) {
          saved += entries.size();
          state.save(progress, entries);
        }
      };
    }
  }

  @Test
  void theMassDeleteLimitReadAhead_readsTheLinksABatchOfDeletesAtATime() {
    CountingReads counting = new CountingReads(state);
    BidirectionalSync sync = builder(Faulty.around(erp), ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A),
        ScopeCriteria.all(), counting).batchSize(10).build();
    crm.write(upserts("a-", 0, 100, 1));
    assertEquals(RunStatus.COMPLETED, sync.round().status());
    crm.write(deletes("a-", 0, 60));
    counting.reads = 0;

    SyncReport blocked = sync.round();

    assertEquals(RunStatus.BLOCKED, blocked.status(), blocked.summary());
    assertTrue(counting.reads <= 8, "the first chunk's links by A and by B key, then one read per 10 deletes read ahead,"
        + " not one a change: " + counting.reads);
  }

  @Test
  void aRoundsOwnWritesComingBackInALaterChunk_areNotLeftForTheNextRound() {
    BidirectionalSync sync = builder(Faulty.around(erp)).batchSize(2).build();
    crm.write(upserts("a-", 0, 6, 1));   // three chunks: the writes of each come back in the next

    SyncReport first = sync.round();

    assertEquals(6, first.b().created(), first.summary());
    SyncPosition position = StoredLinks.position(state, "edges");
    assertEquals(java.util.Set.of(), position.againA(), "nothing to revisit: the writes came back as written");
    assertEquals(java.util.Set.of(), position.againB());
  }

  @Test
  void aClosedPairWhoseDeleteComesBack_isNotSavedAgain() {
    CountingReads counting = new CountingReads(state);
    BidirectionalSync sync = builder(Faulty.around(erp), ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A),
        ScopeCriteria.all(), counting).build();
    crm.write(upserts("a-", 0, 10, 1));
    sync.round();
    crm.write(deletes("a-", 0, 1));
    assertEquals(1, sync.round().b().deleted());
    assertEquals(Link.State.DELETED, StoredLinks.byA(state, "edges", List.of("a-0")).get("a-0").state());
    counting.saved = 0;

    SyncReport echo = sync.round();   // side B's feed carries the delete the last round made

    assertEquals(0, echo.written(), echo.summary());
    assertEquals(0, counting.saved, "the closed pair's link is as it was: nothing to save");
  }

  @Test
  void manyUpdatesInOneChunk_areNotTakenForDeletes_byTheMassDeleteLimit() {
    BidirectionalSync sync = builder(Faulty.around(erp)).build();
    crm.write(upserts("a-", 0, 50, 1));
    assertEquals(50, sync.round().b().created());
    List<Change<Fields>> edits = new ArrayList<>();
    for (int i = 0; i < 30; i++) {   // 60 % of the linked records
      edits.add(Change.upsert(new Envelope<>("b-" + i, 5, Fields.of("n", 1000 + i))));
    }
    erp.write(edits);

    SyncReport updates = sync.round();

    assertEquals(RunStatus.COMPLETED, updates.status(), updates.summary());
    assertEquals(30, updates.a().updated(), updates.summary());
    assertEquals(Fields.of("n", 1029), crm.get("a-29").payload());
  }
}
