package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Fields;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TimeZone;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.json.JsonConverter;
import org.junit.jupiter.api.Test;

/** Fields through Connect data and a real converter's bytes, every value type, and back. */
class ConnectValuesTest {

  private static final Fields EVERY_TYPE = Fields.of("text", "\ud83d\ude00 \u00e9\r\n".repeat(20_000), "empty", "",
      "int", Integer.MIN_VALUE, "long", Long.MAX_VALUE, "short", (short) -7, "byte", (byte) 3, "double", -0.1, "float", 2.5f,
      "bool", false, "bytes", new byte[] {0, -1, 7}, "decimal", new BigDecimal("-12345678901234567890.1234567890"),
      "day", LocalDate.of(1, 1, 1), "instant", Instant.parse("1969-12-31T23:59:59.999999999Z"),
      "local", LocalDateTime.of(2026, 3, 29, 2, 30, 0, 123_456_000), "time", LocalTime.of(23, 59, 59, 999_999_999),
      "offset", OffsetDateTime.of(2026, 10, 25, 1, 30, 0, 1_000, ZoneOffset.ofHours(-3)),
      "nested", Fields.of("street", "Main St", "number", 7L), "list", List.of("a", "b"));

  private static Fields roundTrip(Fields f, boolean schemas) {
    JsonConverter json = new JsonConverter();
    json.configure(Map.of("schemas.enable", Boolean.toString(schemas), "converter.type", "value",
        "decimal.format", "NUMERIC"), false);
    SchemaAndValue out = ConnectValues.toConnect(f);
    byte[] bytes = json.fromConnectData("t", out.schema(), out.value());
    SchemaAndValue in = json.toConnectData("t", bytes);
    return ConnectValues.fromConnect(in.schema(), in.value());
  }

  @Test
  void everyValueType_comesBackWithItsType_throughJsonWithSchemas_inAnyTimeZone() {
    TimeZone before = TimeZone.getDefault();
    try {
      for (String zone : List.of("UTC", "Pacific/Kiritimati", "America/St_Johns")) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        Fields back = roundTrip(EVERY_TYPE, true);
        assertEquals(EVERY_TYPE.names(), back.names(), zone);
        for (String name : EVERY_TYPE.names()) {
          Object want = EVERY_TYPE.get(name);
          Object got = back.get(name);
          if (want instanceof byte[] b) {
            assertArrayEquals(b, (byte[]) got, name);
          } else {
            assertEquals(want, got, zone + ": " + name);
            assertEquals(want.getClass(), got.getClass(), zone + ": " + name);
          }
        }
      }
    } finally {
      TimeZone.setDefault(before);
    }
  }

  /** Without schemas, JSON keeps text, whole numbers, doubles, booleans and nesting; a decimal keeps its value, not its scale. */
  @Test
  void schemalessJson_givesWhatJsonHolds() {
    Fields back = roundTrip(Fields.of("text", "x", "long", 5L, "double", 1.5, "bool", true, "nested", Fields.of("a", 1L),
        "decimal", new BigDecimal("1.10")), false);
    assertEquals(Fields.of("text", "x", "long", 5L, "double", 1.5, "bool", true, "nested", Fields.of("a", 1L)), back.without("decimal"),
        back.asMap().toString());
    assertTrue(Fields.sameValue(new BigDecimal("1.10"), back.get("decimal")), "the decimal's value: " + back.get("decimal"));
  }

  @Test
  void keys_asText_numbers_orStructsOfOneField_elseTheRecordsError() {
    assertEquals("k-1", ConnectValues.keyOf("k-1"));
    assertEquals("42", ConnectValues.keyOf(42L));
    assertEquals("7", ConnectValues.keyOf(ConnectValues.toConnect(Fields.of("id", 7)).value()));
    assertEquals("a", ConnectValues.keyOf(Map.of("id", "a")));
    assertEquals("the record's key is null: a key must be text, a number, or a struct of one such field",
        assertThrows(DataException.class, () -> ConnectValues.keyOf(null)).reason());
    assertThrows(DataException.class, () -> ConnectValues.keyOf(""));
    assertThrows(DataException.class, () -> ConnectValues.keyOf(Map.of("a", 1, "b", 2)));
  }

  @Test
  void aValueWithNoConnectForm_namesItsField() {
    DataException e = assertThrows(DataException.class,
        () -> ConnectValues.toConnect(Fields.of("address", Fields.of("geo", new java.util.Random()))));
    assertEquals("address.geo", e.field());
  }
}
