package dev.patchbay.core;

import java.util.Objects;

/**
 * One record is wrong: a required field is missing, a value does not parse, a rule rejects it.
 * The record ends as {@link Outcome.Failed} with the key, the stage, the field and the reason; it
 * is never retried and the rest of the run goes on.
 *
 * <p>A transform may throw it without knowing the key ({@code key()} is then {@code null}); the
 * pattern reports it against the key of the record it was processing.
 */
public final class DataException extends PatchbayException {

  private final String key;
  private final String field;
  private final String reason;

  private DataException(String key, String field, String reason) {
    super(describe(key, field, reason), null);
    this.key = key;
    this.field = field;
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  /** A record-level problem with one field. */
  public static DataException field(String field, String reason) {
    return new DataException(null, Objects.requireNonNull(field, "field"), reason);
  }

  /** A record-level problem that concerns no single field. */
  public static DataException record(String reason) {
    return new DataException(null, null, reason);
  }

  /** The required {@code field} is absent. */
  public static DataException missingField(String field) {
    return field(field, "required field is missing");
  }

  /** The same problem, reported against {@code key}. */
  public DataException forKey(String key) {
    return new DataException(Objects.requireNonNull(key, "key"), field, reason);
  }

  /** The record's key, or {@code null} where the thrower did not know it. */
  public String key() {
    return key;
  }

  /** The field at fault, or {@code null} where the problem is the whole record. */
  public String field() {
    return field;
  }

  /** One line saying what is wrong; never contains the record's payload unless the thrower put it there. */
  public String reason() {
    return reason;
  }

  private static String describe(String key, String field, String reason) {
    StringBuilder s = new StringBuilder();
    if (key != null) {
      s.append("record '").append(key).append("'");
    }
    if (field != null) {
      s.append(s.length() == 0 ? "field '" : ", field '").append(field).append("'");
    }
    return s.length() == 0 ? reason : s.append(": ").append(reason).toString();
  }
}
