package dev.patchbay.core;

import dev.patchbay.core.report.ResultCapture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ElementsTest {

  private static final Envelope<Fields> OPEN = Envelope.of("k1", Fields.of("status", "open", "amount", 12));

  @Test
  void scopeCriteria_composeWithDescriptions() {
    ScopeCriteria<Fields> open = ScopeCriteria.where("open", r -> "open".equals(r.payload().get("status")));
    ScopeCriteria<Fields> large = ScopeCriteria.where("large", r -> (Integer) r.payload().get("amount") > 100);
    assertTrue(open.or(large).includes(OPEN));
    assertFalse(open.and(large).includes(OPEN));
    assertTrue(open.and(large.not()).includes(OPEN));
    assertEquals("(open and not large)", open.and(large.not()).describe());
    assertEquals("unnamed scope", ((ScopeCriteria<Fields>) r -> true).describe());
  }

  @Test
  void transforms_chainWithTypes_andKeepKeyAndVersion() {
    Transform<Fields, Integer> amount = Transform.payload(f -> (Integer) f.require("amount"));
    Transform<Integer, String> label = Transform.payload(i -> "amount " + i);
    Envelope<String> out = amount.andThen(label).apply(new Envelope<>("k1", 7, OPEN.payload()));
    assertEquals(new Envelope<>("k1", 7, "amount 12"), out);
  }

  @Test
  void fields_requireNamesTheMissingField_andDiffByName() {
    DataException e = assertThrows(DataException.class, () -> OPEN.payload().require("email"));
    assertEquals("email", e.field());
    assertEquals("field 'email': required field is missing", e.getMessage());
    assertEquals("record 'k9', field 'email': required field is missing", e.forKey("k9").getMessage());
    assertEquals(Set.of("amount", "email"),
        OPEN.payload().differingFrom(Fields.of("status", "open", "amount", 13, "email", "x")));
    assertEquals(Fields.of("amount", 12, "status", "open"), OPEN.payload(), "equality ignores order");
    assertEquals("field 'amount' is given twice",
        assertThrows(IllegalArgumentException.class, () -> Fields.of("amount", 1, "amount", 2)).getMessage());
  }

  @Test
  void requireText_refusesAValueThatIsNotText_namingItsType_andTextConverts() {
    Fields f = Fields.of("amount", new java.math.BigDecimal("1.50"), "name", " ", "email", "a@example.org");
    DataException e = assertThrows(DataException.class, () -> f.requireText("amount"));
    assertEquals("field 'amount': is a BigDecimal, not text (Fields.text converts any value)", e.getMessage());
    assertEquals("amount", e.field());
    assertEquals("field 'name': required field is blank", assertThrows(DataException.class, () -> f.requireText("name")).getMessage());
    assertEquals("a@example.org", f.requireText("email"));
    assertEquals("1.50", f.text("amount"));
    assertEquals("amount", assertThrows(DataException.class, () -> Fields.of("x", 1).text("amount")).field());
  }

  @Test
  void resultCaptures_chain() {
    StringBuilder seen = new StringBuilder();
    ResultCapture a = o -> seen.append("a:").append(o.key()).append(' ');
    ResultCapture b = o -> seen.append("b:").append(o.key()).append(' ');
    a.andThen(b).capture(Outcome.created("k1"));
    assertEquals("a:k1 b:k1 ", seen.toString());
  }

  @Test
  void sourcePeek_seesEachRecordRead_andKeepsThePositions() {
    List<String> seen = new java.util.ArrayList<>();
    Source<Fields> source = after -> Cursor.over(List.of(OPEN).iterator(), after, r -> Checkpoint.at(r.key()));
    try (Cursor<Fields> c = source.peek(r -> seen.add(r.key())).read(Checkpoint.start())) {
      assertEquals(OPEN, c.next());
      assertEquals(Checkpoint.at("k1"), c.checkpoint());
    }
    assertEquals(List.of("k1"), seen);
  }

  @Test
  void cursorOver_tracksThePositionAfterEachRecord() {
    Cursor<Fields> c = Cursor.over(List.of(OPEN).iterator(), Checkpoint.at("k0"), r -> Checkpoint.at(r.key()));
    assertEquals(Checkpoint.at("k0"), c.checkpoint());
    c.next();
    assertEquals(Checkpoint.at("k1"), c.checkpoint());
    assertFalse(c.hasNext());
  }
}
