package dev.patchbay.kafka.connect;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Fields;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Date;
import org.apache.kafka.connect.data.Decimal;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.data.Time;
import org.apache.kafka.connect.data.Timestamp;

/**
 * {@link Fields} as Connect data and back, every value type Patchbay's connectors hand over kept
 * exactly. A {@code Fields} becomes a {@link Struct} whose schema has one field per value, in order:
 * text as {@code STRING}; {@code Integer}, {@code Long}, {@code Short}, {@code Byte}, {@code Double},
 * {@code Float}, {@code Boolean} and {@code byte[]} as their Connect types; {@code BigDecimal} as
 * Connect's {@code Decimal} (its scale in the schema); {@code LocalDate} as Connect's {@code Date};
 * nested {@code Fields} as a nested struct; a {@code List} as an array. Times finer than Connect's
 * milliseconds ({@code Instant}, {@code LocalDateTime}, {@code LocalTime}, {@code OffsetDateTime})
 * travel as ISO-8601 text under a schema named {@code dev.patchbay.Instant} (and so on), so that a
 * PostgreSQL microsecond arrives as it left.
 *
 * <p>Read back, a struct gives its values with their types; schemaless JSON (a {@code Map}) gives
 * what JSON holds: text, {@code Long}, {@code Double}, {@code Boolean}, nested {@code Fields} and
 * lists; Connect's {@code Timestamp} and {@code Time} give an {@code Instant} and a
 * {@code LocalTime}. A null value leaves its field out, as an absent field.
 */
public final class ConnectValues {

  static final String INSTANT = "dev.patchbay.Instant";
  static final String LOCAL_DATE_TIME = "dev.patchbay.LocalDateTime";
  static final String LOCAL_TIME = "dev.patchbay.LocalTime";
  static final String OFFSET_DATE_TIME = "dev.patchbay.OffsetDateTime";
  private static final Schema INSTANT_SCHEMA = SchemaBuilder.string().name(INSTANT).build();
  private static final Schema LOCAL_DATE_TIME_SCHEMA = SchemaBuilder.string().name(LOCAL_DATE_TIME).build();
  private static final Schema LOCAL_TIME_SCHEMA = SchemaBuilder.string().name(LOCAL_TIME).build();
  private static final Schema OFFSET_DATE_TIME_SCHEMA = SchemaBuilder.string().name(OFFSET_DATE_TIME).build();

  private ConnectValues() {
  }

  /**
   * {@code fields} as a struct with its schema.
   *
   * @throws DataException naming the field whose value has no Connect form
   */
  public static SchemaAndValue toConnect(Fields fields) {
    Schema schema = schemaOf(fields, "");
    return new SchemaAndValue(schema, struct(schema, fields));
  }

  /**
   * The fields of a record's value as Connect handed it: a {@link Struct}, or a {@code Map} (JSON
   * without schemas).
   *
   * @throws DataException naming the field that cannot be read, or the record where the value is
   *     neither
   */
  public static Fields fromConnect(Schema schema, Object value) {
    if (value instanceof Struct s) {
      return fields(s, "");
    }
    if (value instanceof Map<?, ?> m) {
      return fields(m, "");
    }
    throw DataException.record("the value is " + (value == null ? "null" : "a " + value.getClass().getSimpleName())
        + (schema == null ? "" : " of schema type " + schema.type()) + ", not a struct or a JSON object");
  }

  /**
   * A record's key as text: text as it is, a number or boolean by its decimal form, a struct or
   * JSON object of one field by that field's value.
   *
   * @throws DataException where the key is null, empty or of another shape
   */
  public static String keyOf(Object key) {
    Object k = key;
    if (k instanceof Struct s && s.schema().fields().size() == 1) {
      k = s.get(s.schema().fields().get(0));
    } else if (k instanceof Map<?, ?> m && m.size() == 1) {
      k = m.values().iterator().next();
    }
    if (k instanceof String || k instanceof Number || k instanceof Boolean) {
      String text = k instanceof BigDecimal d ? d.toPlainString() : k.toString();
      if (!text.isEmpty()) {
        return text;
      }
    }
    throw DataException.record("the record's key is " + (k == null ? "null" : k instanceof String ? "empty"
        : "a " + k.getClass().getSimpleName()) + ": a key must be text, a number, or a struct of one such field");
  }

  private static Schema schemaOf(Fields fields, String path) {
    SchemaBuilder b = SchemaBuilder.struct();
    for (String name : fields.names()) {
      b.field(name, schemaOfValue(fields.get(name), path + name));
    }
    return b.build();
  }

  private static Schema schemaOfValue(Object v, String field) {
    if (v instanceof String) {
      return Schema.STRING_SCHEMA;
    } else if (v instanceof Integer) {
      return Schema.INT32_SCHEMA;
    } else if (v instanceof Long) {
      return Schema.INT64_SCHEMA;
    } else if (v instanceof Short) {
      return Schema.INT16_SCHEMA;
    } else if (v instanceof Byte) {
      return Schema.INT8_SCHEMA;
    } else if (v instanceof Double) {
      return Schema.FLOAT64_SCHEMA;
    } else if (v instanceof Float) {
      return Schema.FLOAT32_SCHEMA;
    } else if (v instanceof Boolean) {
      return Schema.BOOLEAN_SCHEMA;
    } else if (v instanceof byte[]) {
      return Schema.BYTES_SCHEMA;
    } else if (v instanceof BigDecimal d) {
      return Decimal.schema(d.scale());
    } else if (v instanceof LocalDate) {
      return Date.SCHEMA;
    } else if (v instanceof Instant) {
      return INSTANT_SCHEMA;
    } else if (v instanceof LocalDateTime) {
      return LOCAL_DATE_TIME_SCHEMA;
    } else if (v instanceof LocalTime) {
      return LOCAL_TIME_SCHEMA;
    } else if (v instanceof OffsetDateTime) {
      return OFFSET_DATE_TIME_SCHEMA;
    } else if (v instanceof Fields f) {
      return schemaOf(f, field + ".");
    } else if (v instanceof List<?> list) {
      return SchemaBuilder.array(list.isEmpty() ? Schema.OPTIONAL_STRING_SCHEMA : schemaOfValue(list.get(0), field + "[0]")).build();
    }
    throw DataException.field(field, "a " + v.getClass().getName() + " has no Connect form");
  }

  private static Struct struct(Schema schema, Fields fields) {
    Struct s = new Struct(schema);
    for (Field f : schema.fields()) {
      s.put(f, connectValue(f.schema(), fields.get(f.name())));
    }
    return s;
  }

  private static Object connectValue(Schema schema, Object v) {
    if (v instanceof LocalDate d) {
      return java.util.Date.from(d.atStartOfDay(ZoneOffset.UTC).toInstant());
    } else if (v instanceof Instant || v instanceof LocalDateTime || v instanceof LocalTime || v instanceof OffsetDateTime) {
      return v.toString();
    } else if (v instanceof Fields f) {
      return struct(schema, f);
    } else if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      list.forEach(e -> out.add(connectValue(schema.valueSchema(), e)));
      return out;
    }
    return v;
  }

  private static Fields fields(Struct s, String path) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Field f : s.schema().fields()) {
      Object v = s.get(f);
      if (v != null) {
        values.put(f.name(), javaValue(f.schema(), v, path + f.name()));
      }
    }
    return Fields.from(values);
  }

  private static Fields fields(Map<?, ?> m, String path) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Map.Entry<?, ?> e : m.entrySet()) {
      if (e.getValue() != null) {
        String name = String.valueOf(e.getKey());
        values.put(name, javaValue(null, e.getValue(), path + name));
      }
    }
    return Fields.from(values);
  }

  private static Object javaValue(Schema schema, Object v, String field) {
    String name = schema == null ? null : schema.name();
    try {
      if (name != null) {
        switch (name) {
          case INSTANT:
            return Instant.parse((String) v);
          case LOCAL_DATE_TIME:
            return LocalDateTime.parse((String) v);
          case LOCAL_TIME:
            return LocalTime.parse((String) v);
          case OFFSET_DATE_TIME:
            return OffsetDateTime.parse((String) v);
          case Date.LOGICAL_NAME:
            return ((java.util.Date) v).toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
          case Timestamp.LOGICAL_NAME:
            return ((java.util.Date) v).toInstant();
          case Time.LOGICAL_NAME:
            return LocalTime.ofNanoOfDay(((java.util.Date) v).getTime() * 1_000_000L);
          default:
            break;
        }
      }
    } catch (DateTimeParseException | ClassCastException e) {
      throw DataException.field(field, "not a " + name.substring(name.lastIndexOf('.') + 1) + " in ISO-8601 form");
    }
    if (v instanceof Struct s) {
      return fields(s, field + ".");
    } else if (v instanceof Map<?, ?> m) {
      return fields(m, field + ".");
    } else if (v instanceof ByteBuffer b) {
      byte[] bytes = new byte[b.remaining()];
      b.duplicate().get(bytes);
      return bytes;
    } else if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        Object e = list.get(i);
        out.add(e == null ? null : javaValue(schema == null ? null : schema.valueSchema(), e, field + "[" + i + "]"));
      }
      return List.copyOf(out.stream().filter(java.util.Objects::nonNull).toList());
    }
    return v;
  }
}
