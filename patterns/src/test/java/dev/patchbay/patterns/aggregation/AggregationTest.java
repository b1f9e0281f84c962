package dev.patchbay.patterns.aggregation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The aggregation's run: merge by key, survivorship per field and per group, provenance, ids, deletes, a failed input, overrides. */
class AggregationTest {

  private final InMemoryStore<Fields> crm = InMemoryStore.create("crm");
  private final InMemoryStore<Fields> erp = InMemoryStore.create("erp");
  private final InMemoryStore<Fields> tracker = InMemoryStore.create("tracker");
  private final InMemoryStore<Fields> accounts = InMemoryStore.create("accounts");
  private final StateStore state = StateStore.inMemory();

  private static void put(InMemoryStore<Fields> store, String key, long version, Object... fields) {
    store.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }

  private static void delete(InMemoryStore<Fields> store, String key) {
    store.write(List.of(Change.delete(key)));
  }

  private Aggregation.Builder accounts() {
    return Aggregation.builder().name("accounts")
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", erp).transform(Transform.identity()).mergeKey("account"))
        .input(Input.changesOf("tracker", tracker, DeletePolicy.PROPAGATE).transform(Transform.identity()).mergeKey("account"))
        .destination(accounts).outputKey(Aggregation.OutputKey.MERGE_KEY).state(state).batchSize(2);
  }

  @Test
  void recordsSharingAMergeKey_becomeOneGoldenRecord_eachFieldByItsRule_withItsProvenance() {
    put(crm, "c1", 10, "account", "A-1", "name", "Acme Ltd", "email", "old@acme.test", "credit", 100);
    put(erp, "e7", 20, "account", "A-1", "name", "ACME", "email", "new@acme.test", "credit", new BigDecimal("250.00"));
    put(tracker, "t3", 5, "account", "A-1", "open_tickets", 4);
    put(crm, "c2", 1, "account", "A-2", "name", "Beta");
    Aggregation agg = accounts().survivorship("email", Survivorship.mostRecent()).survivorship("credit", Survivorship.max())
        .build();

    AggregationReport report = agg.run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals(2, accounts.size());
    Fields a1 = accounts.get("A-1").payload();
    assertEquals("Acme Ltd", a1.get("name"), "the default rule: the first input holding it");
    assertEquals("new@acme.test", a1.get("email"), "most recent: erp's version 20");
    assertEquals(new BigDecimal("250.00"), a1.get("credit"), "max over an Integer and a BigDecimal");
    assertEquals(4, a1.get("open_tickets"));
    assertEquals(20, accounts.get("A-1").version(), "the output's version is its newest member's");
    GoldenRecord g = agg.golden("A-1").orElseThrow();
    assertEquals(List.of(new GoldenRecord.Origin("erp", "e7", 20, "most recent")), g.origins("email"));
    assertEquals(List.of(new GoldenRecord.Origin("crm", "c1", 10, "source priority")), g.origins("name"));
    assertEquals(3, g.members().size());
    assertTrue(agg.explain("A-1").orElseThrow().contains("email = new@acme.test  <- erp 'e7' v20 (most recent)"),
        agg.explain("A-1").orElseThrow());
    assertEquals(4, report.inputs().get("crm").read() + report.inputs().get("erp").read() + report.inputs().get("tracker").read());
    assertEquals(2, report.output().created());
  }

  @Test
  void aSecondRun_writesNothing_andKeepsEveryGoldenId() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(erp, "e1", 1, "account", "A-1", "credit", 5);
    Aggregation agg = accounts().goldenIdField("golden_id").build();
    agg.run();
    String id = (String) accounts.get("A-1").payload().get("golden_id");

    AggregationReport again = agg.run();

    assertEquals(0, again.output().written(), again.summary());
    assertEquals(2, again.inputs().get("crm").unchanged() + again.inputs().get("erp").unchanged(), "both read again, as before");
    assertEquals(id, agg.golden("A-1").orElseThrow().id());
    assertEquals(id, java.util.UUID.fromString(id).toString(), "minted (a random UUID), never derived from a member key");
    assertFalse(id.contains("A-1"), id);
  }

  @Test
  void aGroupSurvivesTogether_fromOneRecord_neverMixed() {
    put(crm, "c1", 1, "account", "A-1", "street", "1 High St", "town", "Leeds");
    put(erp, "e1", 2, "account", "A-1", "street", "9 Low Rd", "town", "York", "postcode", "YO1 7HH");
    Aggregation agg = accounts().group("address", List.of("street", "town", "postcode"), Survivorship.mostComplete()).build();

    agg.run();

    Fields a = accounts.get("A-1").payload();
    assertEquals(List.of("9 Low Rd", "York", "YO1 7HH"), List.of(a.get("street"), a.get("town"), a.get("postcode")));
    GoldenRecord g = agg.golden("A-1").orElseThrow();
    assertEquals(g.origins("street"), g.origins("postcode"));
    assertEquals("erp", g.origins("town").get(0).source());
  }

  @Test
  void aGroupUnderPriority_takesThePreferredRecordsPart_evenWhereItIsShorter() {
    put(crm, "c1", 1, "account", "A-1", "street", "1 High St", "town", "Leeds");
    put(erp, "e1", 2, "account", "A-1", "street", "9 Low Rd", "town", "York", "postcode", "YO1 7HH");
    Aggregation agg = accounts().group("address", List.of("street", "town", "postcode"), Survivorship.priority("crm")).build();

    agg.run();

    Fields a = accounts.get("A-1").payload();
    assertEquals("Leeds", a.get("town"));
    assertFalse(a.has("postcode"), "the postcode is not taken from another record than the street's");
  }

  @Test
  void aRecordGoneFromAWholeInput_leavesItsEntity_andAnEntityWithNoMemberLeft_isDeleted() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(erp, "e1", 1, "account", "A-1", "name", "ACME", "credit", 5);
    put(crm, "c2", 1, "account", "A-2", "name", "Beta");
    Aggregation agg = accounts().build();
    agg.run();
    delete(crm, "c1");
    delete(crm, "c2");

    AggregationReport report = agg.run();

    assertEquals(RunStatus.COMPLETED, report.status(), report.summary());
    assertEquals("ACME", accounts.get("A-1").payload().get("name"), "crm's record left; erp's name survives");
    assertNull(accounts.get("A-2"), "no member left: deleted");
    assertEquals(1, report.output().deleted());
    assertEquals(1, report.output().updated());
  }

  @Test
  void aDeleteInAChangeFeed_removesItsRecordFromTheEntity() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(tracker, "t1", 1, "account", "A-1", "open_tickets", 3);
    Aggregation agg = accounts().build();
    agg.run();
    assertEquals(3, accounts.get("A-1").payload().get("open_tickets"));
    delete(tracker, "t1");

    AggregationReport report = agg.run();

    assertFalse(accounts.get("A-1").payload().has("open_tickets"), report.summary());
    assertEquals(1, report.inputs().get("tracker").deleted());
  }

  @Test
  void aRecordWhoseMergeKeyChanges_movesToItsNewEntity() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(erp, "e1", 1, "account", "A-1", "credit", 5);
    Aggregation agg = accounts().build();
    agg.run();
    put(erp, "e1", 2, "account", "A-9", "credit", 5);

    agg.run();

    assertFalse(accounts.get("A-1").payload().has("credit"));
    assertEquals(5, accounts.get("A-9").payload().get("credit"));
    assertEquals(1, agg.golden("A-1").orElseThrow().members().size());
  }

  @Test
  void aRecordWithoutAMergeKey_failsNamingItsInputKeyAndField_andTheRestIsMerged() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(erp, "e1", 1, "name", "no account");
    List<dev.patchbay.core.Outcome> captured = new java.util.concurrent.CopyOnWriteArrayList<>();
    Aggregation agg = accounts().resultCapture(captured::add).build();

    AggregationReport report = agg.run();

    assertEquals(RunStatus.COMPLETED, report.status());
    assertEquals(1, report.failures().size(), report.summary());
    assertEquals("erp:e1", report.failures().get(0).key());
    assertEquals("account", report.failures().get(0).field());
    assertEquals(1, report.inputs().get("erp").failed());
    assertEquals(1, accounts.size());
    assertEquals(List.of("erp:e1"), captured.stream().filter(o -> o instanceof dev.patchbay.core.Outcome.Failed)
        .map(dev.patchbay.core.Outcome::key).toList(), "the failed input record reaches the result capture, keyed input:key");
  }

  @Test
  void anInputOutOfScope_isSkipped_andCounted() {
    put(erp, "e1", 1, "account", "A-1", "status", "closed");
    put(erp, "e2", 1, "account", "A-2", "status", "open");
    Aggregation agg = Aggregation.builder().name("open").destination(accounts).state(state)
        .input(Input.from("erp", erp).scope(ScopeCriteria.where("open", r -> "open".equals(r.payload().get("status"))))
            .transform(Transform.identity()).mergeKey("account")).build();

    AggregationReport report = agg.run();

    assertEquals(1, report.inputs().get("erp").skipped());
    assertEquals(1, accounts.size());
  }

  /** A source whose cursors fail once {@code good} records were served in all (a down system stays down), while {@code failing} is set. */
  private static Source<Fields> failingAfter(InMemoryStore<Fields> store, int good, AtomicInteger failing) {
    AtomicInteger served = new AtomicInteger();
    return after -> {
      Cursor<Fields> inner = store.read(after);
      return new Cursor<>() {
        @Override
        public boolean hasNext() {
          if (failing.get() > 0 && served.get() >= good) {
            throw new TransientException("input down");
          }
          return inner.hasNext();
        }

        @Override
        public Envelope<Fields> next() {
          if (failing.get() > 0) {
            served.incrementAndGet();
          }
          return inner.next();
        }

        @Override
        public Checkpoint checkpoint() {
          return inner.checkpoint();
        }
      };
    };
  }

  @Test
  void anInputThatFails_makesTheRunPartial_namesIt_derivesNothingFromItsUnreadPart_andTheNextRunCompletesIt() {
    for (int i = 1; i <= 4; i++) {
      put(crm, "c" + i, 1, "account", "A-" + i, "name", "crm " + i);
      put(erp, "e" + i, 1, "account", "A-" + i, "credit", i);
    }
    AtomicInteger failing = new AtomicInteger(0);
    Aggregation agg = Aggregation.builder().name("accounts").state(state).destination(accounts).batchSize(2)
        .outputKey(Aggregation.OutputKey.MERGE_KEY).retry(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1)))
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", failingAfter(erp, 2, failing)).transform(Transform.identity()).mergeKey("account"))
        .build();
    agg.run();
    for (int i = 1; i <= 4; i++) {
      put(crm, "c" + i, 2, "account", "A-" + i, "name", "crm " + i + " renamed");
      put(erp, "e" + i, 2, "account", "A-" + i, "credit", 10 * i);
    }
    failing.set(1);

    AggregationReport partial = agg.run();

    assertEquals(RunStatus.PARTIAL, partial.status(), partial.summary());
    assertEquals(List.of("erp"), partial.failedInputs());
    assertTrue(partial.message().contains("erp"), partial.message());
    assertEquals(2, partial.heldBack(), partial.summary());
    for (int i = 1; i <= 2; i++) {   // erp's read part: both inputs new
      assertEquals("crm " + i + " renamed", accounts.get("A-" + i).payload().get("name"));
      assertEquals(10 * i, accounts.get("A-" + i).payload().get("credit"));
    }
    for (int i = 3; i <= 4; i++) {   // erp's unread part: held back, the destination keeps the last whole record
      assertEquals("crm " + i, accounts.get("A-" + i).payload().get("name"), "no mixture of new crm and old erp");
      assertEquals(i, accounts.get("A-" + i).payload().get("credit"));
    }
    failing.set(0);

    AggregationReport next = agg.run();

    assertEquals(RunStatus.COMPLETED, next.status(), next.summary());
    for (int i = 1; i <= 4; i++) {
      assertEquals("crm " + i + " renamed", accounts.get("A-" + i).payload().get("name"));
      assertEquals(10 * i, accounts.get("A-" + i).payload().get("credit"));
    }
  }

  @Test
  void aPersonsOverride_isWrittenAtOnce_survivesLaterRuns_andCanBeTakenBack() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    Aggregation agg = accounts().build();
    agg.run();

    GoldenRecord g = agg.override("A-1", "name", "Acme Corporation");

    assertEquals("Acme Corporation", accounts.get("A-1").payload().get("name"));
    assertEquals(GoldenRecord.OVERRIDE, g.origins("name").get(0).source());
    put(crm, "c1", 2, "account", "A-1", "name", "Acme (renamed)");
    agg.run();
    assertEquals("Acme Corporation", accounts.get("A-1").payload().get("name"), "survives a later run");

    agg.clearOverride("A-1", "name");

    assertEquals("Acme (renamed)", accounts.get("A-1").payload().get("name"));
    assertThrows(SetupException.class, () -> agg.override("nope", "name", "x"));
  }

  @Test
  void aDryRun_plansTheWrites_andWritesAndSavesNothing() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    Aggregation agg = accounts().build();

    var plan = agg.plan();

    assertEquals(RunStatus.PLANNED, plan.report().status());
    assertEquals(1, plan.writes().size());
    assertEquals(0, accounts.size());
    assertEquals(1, agg.run().output().created(), "nothing saved by the plan: the run does it all");
  }

  @Test
  void theBuilder_namesWhatIsMissing_andRefusesRulesOverUnknownInputsOrCombiningGroups() {
    SetupException missing = assertThrows(SetupException.class, () -> Aggregation.builder().build());
    assertEquals("Aggregation needs a name, an input and a destination", missing.getMessage());
    SetupException unknown = assertThrows(SetupException.class,
        () -> accounts().survivorship("name", Survivorship.priority("billing")).build());
    assertTrue(unknown.getMessage().contains("'billing', which is not one of its inputs [crm, erp, tracker]"), unknown.getMessage());
    SetupException group = assertThrows(SetupException.class,
        () -> accounts().group("address", List.of("street"), Survivorship.allValues()));
    assertTrue(group.getMessage().contains("needs a rule that picks one record (all values combines values)"), group.getMessage());
    SetupException twice = assertThrows(SetupException.class,
        () -> accounts().survivorship("name", Survivorship.max()).group("g", List.of("name"), Survivorship.mostRecent()));
    assertTrue(twice.getMessage().contains("field 'name' of group 'g' has a rule already"), twice.getMessage());
    SetupException noTransform = assertThrows(SetupException.class, () -> Input.from("crm", crm).mergeKey("account"));
    assertTrue(noTransform.getMessage().startsWith("Input 'crm' needs a transform"), noTransform.getMessage());
    assertThrows(SetupException.class, () -> Input.from("c:rm", crm));
    assertThrows(SetupException.class, () -> accounts().input(Input.from("crm", erp).transform(Transform.identity()).mergeKey("a")));
  }

  @Test
  void theReport_namesThePattern_andEveryInputThenTheDestination() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    AggregationReport r = accounts().build().run();
    assertEquals("aggregation", r.pattern());
    assertEquals(List.of("crm", "erp", "tracker", "destination"), List.copyOf(r.endpoints().keySet()));
    assertTrue(r.toJson().contains("\"heldBack\""), r.toJson());
    assertNotEquals(Map.of(), r.details());
  }

  @Test
  void theOutputTransform_shapesWhatIsWritten_andARecordItRejectsFailsNamedByItsKey() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(crm, "c2", 1, "account", "A-2", "name", "");
    Aggregation agg = accounts().transformOutput(Transform.payload(f -> {
      if (((String) f.get("name")).isEmpty()) {
        throw dev.patchbay.core.DataException.field("name", "empty");
      }
      return f.without("account").with("display", f.get("name"));
    })).build();

    AggregationReport report = agg.run();

    assertEquals(Fields.of("name", "Acme", "display", "Acme"), accounts.get("A-1").payload());
    assertEquals(1, report.output().failed(), report.summary());
    assertEquals("A-2", report.failures().get(0).key());
    assertEquals("name", report.failures().get(0).field());
    assertTrue(agg.golden("A-1").orElseThrow().values().has("account"), "the golden record itself is unchanged");
  }

  @Test
  void aDestinationWithNoPlaceForAFieldOfEveryRecord_failsTheRunAsASetupError_andTheNextRunWritesTheBatch() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(crm, "c2", 1, "account", "A-2", "name", "Beta");
    java.util.concurrent.atomic.AtomicBoolean noColumn = new java.util.concurrent.atomic.AtomicBoolean(true);
    dev.patchbay.core.Destination<Fields> table = batch -> noColumn.get()
        ? batch.stream().map(c -> (dev.patchbay.core.Outcome) new dev.patchbay.core.Outcome.Failed(c.key(),
            dev.patchbay.core.Stage.MAPPING, "account", "field account is not mapped to a column of the table")).toList()
        : accounts.write(batch);
    Aggregation agg = Aggregation.builder().name("accounts").state(state).destination(table)
        .outputKey(Aggregation.OutputKey.MERGE_KEY).batchSize(10)
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account")).build();

    AggregationReport failed = agg.run();

    assertEquals(RunStatus.FAILED, failed.status(), failed.summary());
    assertTrue(failed.message().contains("no place for field 'account' in any golden record of batch 1"), failed.message());
    noColumn.set(false);
    AggregationReport next = agg.run();
    assertEquals(RunStatus.COMPLETED, next.status(), next.summary());
    assertEquals(2, accounts.size(), "the batch written by the next run");
  }

  @Test
  void aRecordThatLeavesItsInputsScope_leavesItsEntity_whetherReadAsChangesOrWhole() {
    ScopeCriteria<Fields> open = ScopeCriteria.where("open", r -> !"closed".equals(r.payload().get("status")));
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(tracker, "t1", 1, "account", "A-1", "ticket", "Card reader", "status", "open");
    put(erp, "e1", 1, "account", "A-1", "credit", 5, "status", "open");
    Aggregation agg = Aggregation.builder().name("scoped").state(state).destination(accounts)
        .outputKey(Aggregation.OutputKey.MERGE_KEY)
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", erp).scope(open).transform(Transform.identity()).mergeKey("account"))
        .input(Input.changesOf("tracker", tracker, DeletePolicy.PROPAGATE).scope(open).transform(Transform.identity())
            .mergeKey("account"))
        .build();
    agg.run();
    assertEquals("Card reader", accounts.get("A-1").payload().get("ticket"));
    assertEquals(5, accounts.get("A-1").payload().get("credit"));
    put(tracker, "t1", 2, "account", "A-1", "ticket", "Card reader", "status", "closed");
    put(erp, "e1", 2, "account", "A-1", "credit", 5, "status", "closed");

    AggregationReport report = agg.run();

    Fields a1 = accounts.get("A-1").payload();
    assertFalse(a1.has("ticket"), "a closed ticket is out of scope: nothing comes of it " + a1.asMap());
    assertFalse(a1.has("credit"), "nor of a closed ERP record " + a1.asMap());
    assertEquals(1, report.inputs().get("tracker").skipped());
    assertEquals(List.of("crm"), agg.golden("A-1").orElseThrow().members().stream().map(GoldenRecord.Member::source).toList());
  }

  @Test
  void anEntityWhoseTieWasBrokenByHowCommonAValueIs_isMadeAgainWhenThatCountChanges_asAFullRunWould() {
    put(crm, "c1", 1, "account", "A-1", "name", "Jon");
    put(erp, "e1", 1, "account", "A-1", "name", "John");   // one each: the tie broken by how common each is everywhere
    put(crm, "c2", 1, "account", "A-2", "name", "Jon");
    Aggregation agg = accounts().survivorship("name", Survivorship.mostFrequent()).build();
    agg.run();
    assertEquals("Jon", accounts.get("A-1").payload().get("name"), "Jon is held twice across the inputs, John once");

    put(erp, "e2", 1, "account", "A-3", "name", "John");
    put(erp, "e3", 1, "account", "A-4", "name", "John");   // A-1's records unchanged; John now more common than Jon
    agg.run();

    assertEquals("John", accounts.get("A-1").payload().get("name"), "made again though none of its records changed");
    assertEquals(agg.golden("A-1").orElseThrow().values(), accounts.get("A-1").payload());

    delete(erp, "e2");
    delete(erp, "e3");   // gone from an input read whole: their values leave the counts at the run's sweep
    AggregationReport third = agg.run();
    assertEquals("Jon", accounts.get("A-1").payload().get("name"), "Jon again the more common");
    assertEquals(2, third.output().deleted(), third.summary());
    put(erp, "e1", 2, "account", "A-1", "name", "Jonny");
    assertEquals(1, agg.run().inputs().get("erp").updated());
  }

  @Test
  void everyCursorAnInputOpens_isClosed_whenItsInputIsReadToTheEnd_orFails() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(erp, "e1", 1, "account", "A-1", "credit", 5);
    AtomicInteger opened = new AtomicInteger();
    AtomicInteger closed = new AtomicInteger();
    AtomicInteger failing = new AtomicInteger();
    Source<Fields> counted = after -> {
      Cursor<Fields> inner = failingAfter(erp, 0, failing).read(after);
      opened.incrementAndGet();
      return new Cursor<>() {
        @Override
        public boolean hasNext() {
          return inner.hasNext();
        }

        @Override
        public Envelope<Fields> next() {
          return inner.next();
        }

        @Override
        public Checkpoint checkpoint() {
          return inner.checkpoint();
        }

        @Override
        public void close() {
          closed.incrementAndGet();
        }
      };
    };
    Aggregation agg = Aggregation.builder().name("closing").state(state).destination(accounts)
        .retry(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1)))
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", counted).transform(Transform.identity()).mergeKey("account")).build();

    assertEquals(RunStatus.COMPLETED, agg.run().status());
    assertTrue(opened.get() > 0);
    assertEquals(opened.get(), closed.get(), "read to its end: closed");
    failing.set(1);
    assertEquals(RunStatus.PARTIAL, agg.run().status());
    assertEquals(opened.get(), closed.get(), "failed, retried: every cursor opened was closed");
  }

  @Test
  void anInputReadAsChangesThatFails_holdsNothingBack_itsMembersWereReadWhole_byEarlierRuns() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(tracker, "t1", 1, "account", "A-1", "open_tickets", 2);
    AtomicInteger failing = new AtomicInteger();
    dev.patchbay.core.ChangeFeed<Fields> feed = after -> {
      if (failing.get() > 0) {
        throw new TransientException("tracker down");
      }
      return tracker.changes(after);
    };
    Aggregation agg = Aggregation.builder().name("tickets").state(state).destination(accounts)
        .outputKey(Aggregation.OutputKey.MERGE_KEY).retry(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1)))
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.changesOf("tracker", feed, DeletePolicy.PROPAGATE).transform(Transform.identity()).mergeKey("account"))
        .build();
    agg.run();
    put(crm, "c1", 2, "account", "A-1", "name", "Acme Ltd");
    failing.set(1);

    AggregationReport partial = agg.run();

    assertEquals(RunStatus.PARTIAL, partial.status(), partial.summary());
    assertEquals(0, partial.heldBack(), "the tracker's member is its last change, read whole before: nothing unread in it");
    assertEquals("Acme Ltd", accounts.get("A-1").payload().get("name"));
    assertEquals(2, accounts.get("A-1").payload().get("open_tickets"));
  }

  @Test
  void twoInputsThatFail_areBothNamed_inTheOrderTheyWereAdded() {
    put(crm, "c1", 1, "account", "A-1", "name", "Acme");
    put(erp, "e1", 1, "account", "A-1", "credit", 5);
    AtomicInteger failing = new AtomicInteger(1);
    Aggregation agg = Aggregation.builder().name("down").state(state).destination(accounts)
        .retry(RetryPolicy.exponential(2, Duration.ofMillis(1), Duration.ofMillis(1)))
        .input(Input.from("erp", failingAfter(erp, 0, failing)).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("crm", failingAfter(crm, 0, failing)).transform(Transform.identity()).mergeKey("account")).build();

    AggregationReport report = agg.run();

    assertEquals(RunStatus.PARTIAL, report.status());
    assertEquals("Aggregation 'down' partial: inputs erp, crm failed; nothing was derived from what was not read of them, and the"
        + " next run reads them again", report.message());
  }

  @Test
  void ties_goToTheFirstInputAdded_thenTheLowestKey_whateverTheKeysOfOtherInputs() {
    put(crm, "z9", 1, "account", "A-1", "name", "Ann");
    put(erp, "a1", 1, "account", "A-1", "name", "Bob");   // one each, equally close, equally common
    put(crm, "k1", 1, "account", "A-2", "name", "Cy");
    put(crm, "k2", 1, "account", "A-2", "name", "Di");     // two records of one input: the lower key first
    Aggregation agg = accounts().survivorship("name", Survivorship.mostFrequent()).build();
    agg.run();
    assertEquals("Ann", accounts.get("A-1").payload().get("name"), "crm, added first, before erp's lower key");
    assertEquals("Cy", accounts.get("A-2").payload().get("name"));

    InMemoryStore<Fields> out = InMemoryStore.create("out");
    Aggregation.builder().name("p").destination(out).state(StateStore.inMemory()).outputKey(Aggregation.OutputKey.MERGE_KEY)
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account")).build().run();
    assertEquals("Cy", out.get("A-2").payload().get("name"), "priority within one input: the lower key");
  }
}
