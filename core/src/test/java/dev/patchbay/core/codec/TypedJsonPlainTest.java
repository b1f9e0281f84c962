package dev.patchbay.core.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.core.Fields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** Plain JSON for other systems, with the types beside it: every type back as it was, and plain to any JSON reader. */
class TypedJsonPlainTest {

  private static final Fields EVERY_TYPE = Fields.of("text", "Zoë's \"deal\"\n", "int", Integer.MIN_VALUE, "long", Long.MAX_VALUE,
      "money", new BigDecimal("1250.10"), "huge", new BigDecimal("1E+3"), "tiny", new BigDecimal("0.000000000000000000001"),
      "ratio", 0.1, "nan", Double.NaN, "inf", Double.NEGATIVE_INFINITY, "yes", true,
      "day", LocalDate.of(2026, 2, 28), "stamp", LocalDateTime.of(2026, 12, 1, 9, 30, 0, 123_456_000),
      "time", LocalTime.of(23, 59, 59), "instant", Instant.parse("2026-12-01T10:00:00.123456Z"),
      "offset", OffsetDateTime.parse("2026-12-01T10:00:00+13:00"),
      "address", Fields.of("street", "1 Cuba St", "geo", Fields.of("lat", new BigDecimal("-41.29"))));

  @Test
  void everyTypeComesBack_classAndValue_scaleKept() {
    Fields back = TypedJson.read(TypedJson.writePlain(EVERY_TYPE), TypedJson.writeTypes(EVERY_TYPE));
    assertEquals(EVERY_TYPE, back);
    for (String name : EVERY_TYPE.names()) {
      assertEquals(EVERY_TYPE.get(name).getClass(), back.get(name).getClass(), name);
    }
    assertEquals(2, ((BigDecimal) back.get("money")).scale());
    assertEquals(-3, ((BigDecimal) back.get("huge")).scale());
  }

  @Test
  void thePlainJsonIsWhatAnyReaderExpects() throws Exception {
    String text = TypedJson.writePlain(EVERY_TYPE);
    assertTrue(text.contains("\"money\":1250.10,"), "a decimal is a JSON number, as held: " + text);
    JsonNode plain = new ObjectMapper().readTree(text);
    assertTrue(plain.get("money").isNumber());
    assertTrue(plain.get("long").isIntegralNumber());
    assertEquals("2026-12-01T10:00:00.123456Z", plain.get("instant").asText());
    assertEquals("1 Cuba St", plain.get("address").get("street").asText());
    assertEquals("NaN", plain.get("nan").asText(), "a number JSON cannot hold goes as text");
    assertTrue(plain.get("yes").isBoolean());
  }

  @Test
  void valuesWithoutTypes_areRefusedNamingTheField() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TypedJson.read("{\"amount\":1,\"extra\":2}", "{\"amount\":\"i\"}"));
    assertEquals("stored field 'extra' has no type", e.getMessage());
  }
}
