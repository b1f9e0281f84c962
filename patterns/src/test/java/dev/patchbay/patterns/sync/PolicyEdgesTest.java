package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Fields;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Conflict policies at their edges: a delete under system of record, and how a field merge words its decision. */
class PolicyEdgesTest {

  private final ConflictPolicy lww = ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A);

  @Test
  void systemOfRecord_leavesADeleteToItsFallback() {
    ConflictPolicy owned = ConflictPolicy.systemOfRecord(Map.of("email", Side.B), lww);
    Conflict deletedOnA = new Conflict("k", "k", Fields.of("email", "x"), null, Fields.of("email", "y"), 20, 10);
    assertEquals(lww.resolve(deletedOnA), owned.resolve(deletedOnA), "A's delete is later: the fallback deletes");
    Conflict deletedOnB = new Conflict("k", "k", Fields.of("email", "x"), Fields.of("email", "y"), null, 10, 20);
    assertEquals(Resolution.Kind.DELETE, owned.resolve(deletedOnB).kind());
  }

  @Test
  void systemOfRecord_takesEachOwnedFieldFromItsOwner_andSaysSo() {
    ConflictPolicy owned = ConflictPolicy.systemOfRecord(Map.of("email", Side.B), lww);
    Conflict c = new Conflict("k", "k", Fields.of("email", "x", "n", 0), Fields.of("email", "a", "n", 1),
        Fields.of("email", "b", "n", 2), 20, 10);
    Resolution r = owned.resolve(c);
    assertEquals(Fields.of("email", "b", "n", 1), r.values());
    assertEquals("system of record per field [email]; otherwise last writer wins: side A changed later", r.how());
  }

  @Test
  void fieldMerge_saysWhetherBothSidesChangedAField() {
    ConflictPolicy merge = ConflictPolicy.fieldMerge(lww);
    Conflict apart = new Conflict("k", "k", Fields.of("a", 0, "b", 0), Fields.of("a", 1, "b", 0),
        Fields.of("a", 0, "b", 2), 20, 10);
    Resolution r = merge.resolve(apart);
    assertEquals(Fields.of("a", 1, "b", 2), r.values());
    assertEquals("field merge: different fields changed", r.how());
    Conflict both = new Conflict("k", "k", Fields.of("a", 0), Fields.of("a", 1), Fields.of("a", 2), 20, 10);
    Resolution r2 = merge.resolve(both);
    assertEquals(Fields.of("a", 1), r2.values(), "A changed later");
    assertEquals("field merge; both changed [a], there last writer wins: side A changed later", r2.how());
  }
}
