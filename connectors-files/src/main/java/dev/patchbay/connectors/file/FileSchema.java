package dev.patchbay.connectors.file;

import dev.patchbay.core.DataException;
import dev.patchbay.core.SetupException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The fields of a file's records: a key field and typed value fields, in order. Text read from a
 * file is checked against the type; a value that does not parse, or is longer than the limit,
 * makes the record unreadable with the field named.
 */
public final class FileSchema {

  /** How a field's text is read. */
  public enum Type {
    /** Text as it is. */
    TEXT,
    /** A whole number, as a {@code Long}. */
    WHOLE_NUMBER,
    /** A decimal number, as a {@code BigDecimal}. */
    DECIMAL,
    /** An ISO date (yyyy-mm-dd), as a {@code LocalDate}. */
    DATE,
    /** {@code true} or {@code false}, as a {@code Boolean}. */
    BOOLEAN
  }

  private final String key;
  private final Map<String, Type> fields;
  private final int maxFieldLength;
  private final boolean laterLineWins;

  private FileSchema(Builder b) {
    this.key = b.key;
    this.laterLineWins = b.laterLineWins;
    this.fields = Collections.unmodifiableMap(new LinkedHashMap<>(b.fields));
    this.maxFieldLength = b.maxFieldLength;
  }

  /** A schema whose records are keyed by the field {@code key} (text). */
  public static Builder keyedBy(String key) {
    return new Builder(key);
  }

  public String key() {
    return key;
  }

  /** Whether a key may come again further down the file, the later line replacing the earlier. */
  public boolean laterLineWins() {
    return laterLineWins;
  }

  /** The value fields, in order (the key not among them). */
  public Map<String, Type> fields() {
    return fields;
  }

  /** Every column in file order: the key, then the fields. */
  List<String> columns() {
    List<String> c = new ArrayList<>();
    c.add(key);
    c.addAll(fields.keySet());
    return c;
  }

  /**
   * The value of {@code field} read from {@code text}; {@code null} for empty text.
   *
   * @throws DataException naming the field, where the text does not parse or is too long
   */
  Object parse(String field, String text) {
    if (text == null || text.isEmpty()) {
      return null;
    }
    if (text.length() > maxFieldLength) {
      throw DataException.field(field, "is " + text.length() + " characters long, more than the limit of " + maxFieldLength);
    }
    Type type = field.equals(key) ? Type.TEXT : fields.get(field);
    try {
      return switch (type) {
        case TEXT -> text;
        case WHOLE_NUMBER -> Long.parseLong(text.trim());
        case DECIMAL -> new BigDecimal(text.trim());
        case DATE -> LocalDate.parse(text.trim());
        case BOOLEAN -> {
          String t = text.trim().toLowerCase(Locale.ROOT);
          if (!t.equals("true") && !t.equals("false")) {
            throw new IllegalArgumentException();
          }
          yield Boolean.valueOf(t);
        }
      };
    } catch (NumberFormatException | DateTimeParseException e) {
      throw DataException.field(field, "is not " + describe(type));
    } catch (IllegalArgumentException e) {
      throw DataException.field(field, "is not " + describe(type));
    }
  }

  private static String describe(Type type) {
    return switch (type) {
      case TEXT -> "text";
      case WHOLE_NUMBER -> "a whole number";
      case DECIMAL -> "a decimal number";
      case DATE -> "a date (yyyy-mm-dd)";
      case BOOLEAN -> "true or false";
    };
  }

  /** Builds a {@link FileSchema}. */
  public static final class Builder {
    private final String key;
    private final Map<String, Type> fields = new LinkedHashMap<>();
    private int maxFieldLength = 10_000;
    private boolean laterLineWins;

    private Builder(String key) {
      this.key = Objects.requireNonNull(key, "key");
    }

    public Builder field(String name, Type type) {
      Objects.requireNonNull(type, "type");
      if (name.equals(key) || fields.put(Objects.requireNonNull(name, "name"), type) != null) {
        throw new SetupException("file schema: field '" + name + "' is given twice");
      }
      return this;
    }

    public Builder text(String name) {
      return field(name, Type.TEXT);
    }

    public Builder wholeNumber(String name) {
      return field(name, Type.WHOLE_NUMBER);
    }

    public Builder decimal(String name) {
      return field(name, Type.DECIMAL);
    }

    public Builder date(String name) {
      return field(name, Type.DATE);
    }

    public Builder bool(String name) {
      return field(name, Type.BOOLEAN);
    }

    /** The longest value a field may hold, in characters; by default 10,000. */
    public Builder maxFieldLength(int characters) {
      if (characters < 1) {
        throw new SetupException("file schema: max field length must be at least 1, was " + characters);
      }
      this.maxFieldLength = characters;
      return this;
    }

    /**
     * A key may come again further down the file, and the later line replaces the earlier: for
     * files kept as a log, as the file connectors write a changed record (appended again). By
     * default a key met again is reported at its second line, naming the first, and that line is
     * not read.
     */
    public Builder laterLineWins() {
      this.laterLineWins = true;
      return this;
    }

    public FileSchema build() {
      return new FileSchema(this);
    }
  }
}
