package dev.patchbay.patterns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Stage;
import dev.patchbay.core.Transform;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ReasonDetail;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The batch step as a driver with no reading or saving of its own calls it (a Connect
 * {@code SinkTask.put}): records in, outcomes, writes made and entries to save out.
 */
class BatchStepTest {

  private static final ScopeCriteria<Fields> NOT_OUT = ScopeCriteria.where("not out", r -> !"out".equals(r.payload().get("v")));
  /** Writes each record under "d-" and its key; throws on "bad" and transiently on "flaky". */
  private static final Transform<Fields, Fields> TO_D = r -> {
    Object v = r.payload().get("v");
    if ("bad".equals(v)) {
      throw new IllegalArgumentException("bad value");
    }
    if ("flaky".equals(v)) {
      throw new TransientException("try later");
    }
    return new Envelope<>("d-" + r.key(), r.version(), r.payload());
  };

  /** A destination as a map, with the keys written in order. */
  private static final class Target implements Function<List<Change<Fields>>, List<Outcome>> {
    final Map<String, Fields> records = new TreeMap<>();
    final List<String> writes = new ArrayList<>();
    String refuse;

    @Override
    public List<Outcome> apply(List<Change<Fields>> batch) {
      List<Outcome> out = new ArrayList<>();
      for (Change<Fields> c : batch) {
        writes.add(c.key());
        if (c.key().equals(refuse)) {
          out.add(new Outcome.Failed(c.key(), Stage.WRITE, null, "refused"));
        } else if (c instanceof Change.Upsert<Fields> u) {
          out.add(records.put(c.key(), u.record().payload()) == null ? new Outcome.Created(c.key()) : new Outcome.Updated(c.key()));
        } else {
          out.add(records.remove(c.key()) == null ? new Outcome.Unchanged(c.key()) : new Outcome.Deleted(c.key()));
        }
      }
      return out;
    }
  }

  /** Saved state as a map of entries, as a state store keeps it. */
  private static final class Saved implements Function<Collection<String>, Map<String, BatchStep.Held>> {
    final Map<String, Fields> entries = new TreeMap<>();

    @Override
    public Map<String, BatchStep.Held> apply(Collection<String> keys) {
      Map<String, BatchStep.Held> held = new HashMap<>();
      keys.forEach(k -> {
        if (entries.containsKey(k)) {
          held.put(k, held(k));
        }
      });
      return held;
    }

    BatchStep.Held held(String key) {
      return KEYS.decode(new Entry(KEYS.space(), key, null, null, entries.get(key)));
    }

    void save(List<Entry> saved) {
      saved.forEach(e -> entries.put(e.key(), e.value()));
    }
  }

  private static final EntryCodec<BatchStep.Held> KEYS = BatchStep.Held.codec("keys");

  private static BatchStep<Fields, Fields> step(boolean eachChange) {
    return new BatchStep<>(new RecordStep<>(NOT_OUT, TO_D, ReasonDetail.SYSTEM_MESSAGE),
        new BatchStep.Policy(DeletePolicy.PROPAGATE, KEYS, true, false, eachChange));
  }

  private static Change<Fields> up(String key, long version, String v) {
    return Change.upsert(new Envelope<>(key, version, Fields.of("v", v)));
  }

  private static Change<Fields> del(String key, long version) {
    return new Change.Delete<>(key, version);
  }

  @Test
  void eachRecordEndsOnceInRecordOrder_theWritesMadeAndTheEntriesToSaveBeside() {
    Target target = new Target();
    Saved saved = new Saved();
    BatchStep.Result<Fields> result = step(false).apply(
        List.of(up("a", 1, "x"), up("b", 1, "out"), up("c", 1, "bad"), up("e", 1, "y")), saved, target);

    assertEquals(List.of(new Outcome.Created("d-a"), new Outcome.Skipped("b", "out of scope (not out)"),
        new Outcome.Failed("c", Stage.TRANSFORM, null, "IllegalArgumentException: bad value"), new Outcome.Created("d-e")),
        result.outcomes());
    assertEquals(List.of("d-a", "d-e"), result.writes().stream().map(Change::key).toList());
    saved.save(result.entries());
    // a key seen but not written (out of scope, failed) is held as not written: a later delete of it deletes nothing
    assertEquals(Map.of("a", Fields.of("version", 1L, "to", "d-a"), "b", Fields.of("version", 1L, "unwritten", true),
        "c", Fields.of("version", 1L, "unwritten", true), "e", Fields.of("version", 1L, "to", "d-e")), saved.entries);
  }

  @Test
  void heldStateSavedByEarlierVersionsInOneLetterFields_readsAsItWasSaved() {
    Map<String, Fields> old = Map.of("a", Fields.of("v", 7L, "to", "d-a"), "b", Fields.of("v", 3L, "n", true),
        "c", Fields.of("v", 9L, "d", true), "e", Fields.empty());
    Map<String, BatchStep.Held> expected = Map.of("a", new BatchStep.Held(7, true, "d-a", false),
        "b", new BatchStep.Held(3, false, "b", false), "c", new BatchStep.Held(9, true, "c", true),
        "e", new BatchStep.Held(0, true, "e", false));
    old.forEach((key, fields) -> {
      BatchStep.Held read = KEYS.decode(new Entry("keys", key, null, null, fields));
      assertEquals(expected.get(key), read, key);
      assertEquals(read, KEYS.decode(KEYS.encode(key, read)), key + ", saved again in named fields");
    });
  }

  @Test
  void aKeysEarlierChangeInTheBatchIsSuperseded_orWrittenInAnEarlierWaveWhereEachChangeCounts() {
    Target last = new Target();
    BatchStep.Result<Fields> once = step(false).apply(List.of(up("a", 1, "x"), up("b", 1, "y"), up("a", 2, "z")), new Saved(), last);
    assertEquals(new Outcome.Skipped("a", "superseded by a later change of the key in the same batch"), once.outcomes().get(0));
    assertEquals(List.of("d-b", "d-a"), last.writes);

    Target each = new Target();
    BatchStep.Result<Fields> all = step(true).apply(List.of(up("a", 1, "x"), up("b", 1, "y"), up("a", 2, "z")), new Saved(), each);
    assertEquals(List.of(new Outcome.Created("d-a"), new Outcome.Created("d-b"), new Outcome.Updated("d-a")), all.outcomes());
    assertEquals(List.of("d-a", "d-b", "d-a"), each.writes);   // the second of "a" in a wave after the first
    assertEquals(Fields.of("v", "z"), each.records.get("d-a"));
  }

  @Test
  void olderVersionsDeletesAndRefusalsFollowWhatIsHeld() {
    Target target = new Target();
    Saved saved = new Saved();
    BatchStep<Fields, Fields> step = step(false);
    saved.save(step.apply(List.of(up("a", 5, "x"), up("b", 1, "y")), saved, target).entries());

    target.refuse = "d-b";
    BatchStep.Result<Fields> next = step.apply(List.of(up("a", 3, "old"), del("b", 2), del("never", 1)), saved, target);
    assertEquals(List.of(new Outcome.Skipped("a", "older than version 5, delivered already"),
        new Outcome.Failed("d-b", Stage.WRITE, null, "refused"),
        new Outcome.Skipped("never", "deleted at the source; never written here: nothing to delete")), next.outcomes());
    saved.save(next.entries());
    assertEquals(new BatchStep.Held(1, true, "d-b", false), saved.held("b"));   // refused: as it was

    target.refuse = null;
    saved.save(step.apply(List.of(del("b", 2)), saved, target).entries());
    assertFalse(target.records.containsKey("d-b"));
    assertEquals(new BatchStep.Held(2, false, "d-b", true), saved.held("b"));
  }

  @Test
  void anIgnoredDeleteStillMarksWhatIsOlderThanIt() {
    BatchStep<Fields, Fields> step = new BatchStep<>(new RecordStep<>(NOT_OUT, TO_D, ReasonDetail.SYSTEM_MESSAGE),
        new BatchStep.Policy(DeletePolicy.IGNORE, KEYS, true, false, false));
    Saved saved = new Saved();
    Target target = new Target();
    saved.save(step.apply(List.of(up("a", 2, "x")), saved, target).entries());
    saved.save(step.apply(List.of(del("a", 2)), saved, target).entries());
    assertEquals(new BatchStep.Held(2, true, "d-a", true), saved.held("a"));
    assertEquals(List.of(new Outcome.Skipped("a", "older than its delete at version 2 (where a key's versions start over"
        + " when it is created again, declare Route.versionsRestartAfterDelete())")),
        step.apply(List.of(up("a", 1, "y")), saved, target).outcomes());
  }

  @Test
  void stopsAfterTheFailureThatCrossesTheLimit_theRecordsAfterItNotTaken() {
    BatchStep.Decided<Fields> decided = step(false).decide(
        List.of(up("a", 1, "bad"), up("b", 1, "x"), up("c", 1, "bad"), up("e", 1, "y")), null, new Saved(), 1);
    assertTrue(decided.limitCrossed());
    assertEquals(3, decided.taken());
    assertEquals(List.of("d-b"), decided.writes().stream().map(Change::key).toList());
    assertEquals(3, decided.settle(List.of(new Outcome.Created("d-b"))).outcomes().size());
  }

  @Test
  void aTransientScopeOrTransformFailureIsThrownNamingTheRecord() {
    RecordStep.Transient e = assertThrows(RecordStep.Transient.class,
        () -> step(false).apply(List.of(up("a", 1, "x"), up("b", 1, "flaky")), new Saved(), new Target()));
    assertEquals("b", e.key());
    assertEquals("the transform", e.where());
  }

  @Test
  void whatTheDestinationAndTheStateEndWithDoesNotDependOnWhereBatchesBeginAndEnd() {
    String[] values = {"x", "y", "out", "z"};
    for (boolean eachChange : new boolean[] {false, true}) {
      qt().withFixedSeed(Seeds.seed("batch step, batch boundaries, eachChange=" + eachChange)).withExamples(300)
          .forAll(lists().of(integers().between(0, 4 * 4 * 6 - 1)).ofSizeBetween(0, 30), integers().between(1, 7))
          .checkAssert((codes, cut) -> {
            List<Change<Fields>> changes = new ArrayList<>();
            for (int code : codes) {
              String key = "k" + code % 4;
              int kind = code / 4 % 4;
              long version = code / 16;
              changes.add(kind == 3 ? del(key, version) : up(key, version, values[(code / 16 + kind) % values.length]));
            }
            Target whole = new Target();
            Saved wholeState = new Saved();
            wholeState.save(step(eachChange).apply(changes, wholeState, whole).entries());

            Target parts = new Target();
            Saved partsState = new Saved();
            for (int from = 0; from < changes.size(); from += cut) {
              List<Change<Fields>> batch = changes.subList(from, Math.min(changes.size(), from + cut));
              partsState.save(step(eachChange).apply(batch, partsState, parts).entries());
            }
            assertEquals(whole.records, parts.records, "destination, changes " + changes);
            assertEquals(wholeState.entries, partsState.entries, "state, changes " + changes);
          });
    }
  }
}
