package dev.patchbay.catalog;

import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.catalog.CatalogEntry.Frequency;
import dev.patchbay.core.catalog.CatalogEntry.Labelled;
import dev.patchbay.core.catalog.CatalogEntry.Pattern;
import dev.patchbay.core.catalog.CatalogEntry.Security;
import dev.patchbay.core.catalog.CatalogEntry.Status;
import dev.patchbay.core.catalog.CatalogEntry.SyncType;
import dev.patchbay.core.catalog.CatalogEntry.Trigger;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The catalog's columns, shared by its CSV and JSON forms: an entry as text by column, and back. */
final class Columns {

  static final String NAME = "Integration";
  static final String PATTERN = "Pattern";
  static final String STATUS = "Status";
  static final String DATA_ELEMENT = "Data Element";
  static final String SOURCE = "Source System";
  static final String SOURCE_OWNER = "Source System Owner";
  static final String TARGET = "Target System";
  static final String TARGET_OWNER = "Target System Owner";
  static final String NEW = "New Records Per Month";
  static final String CHANGED = "Changed Records Per Month";
  static final String FREQUENCY = "Update Frequency";
  static final String SYNC_TYPE = "Synchronization Type";
  static final String TRIGGER = "Trigger";
  static final String METHOD = "Integration Method";
  static final String SECURITY = "Security Concerns";
  static final String NOTES = "Additional Notes";

  /** Every column, in the order the spreadsheet has them. */
  static final List<String> ALL = List.of(NAME, PATTERN, STATUS, DATA_ELEMENT, SOURCE, SOURCE_OWNER, TARGET,
      TARGET_OWNER, NEW, CHANGED, FREQUENCY, SYNC_TYPE, TRIGGER, METHOD, SECURITY, NOTES);

  private Columns() {
  }

  /** The entry's values by column, as text; empty text where a value is unknown. */
  static Map<String, String> of(CatalogEntry e) {
    Map<String, String> row = new LinkedHashMap<>();
    row.put(NAME, e.name());
    row.put(PATTERN, e.pattern().label());
    row.put(STATUS, e.status().label());
    row.put(DATA_ELEMENT, e.dataElement());
    row.put(SOURCE, e.sourceSystem());
    row.put(SOURCE_OWNER, text(e.sourceOwner()));
    row.put(TARGET, e.targetSystem());
    row.put(TARGET_OWNER, text(e.targetOwner()));
    row.put(NEW, e.newPerMonth() == null ? "" : e.newPerMonth().toString());
    row.put(CHANGED, e.changedPerMonth() == null ? "" : e.changedPerMonth().toString());
    row.put(FREQUENCY, label(e.frequency()));
    row.put(SYNC_TYPE, label(e.syncType()));
    row.put(TRIGGER, label(e.trigger()));
    row.put(METHOD, e.method() == null ? "" : e.method().name());
    row.put(SECURITY, e.security().toString());
    row.put(NOTES, e.notes());
    return row;
  }

  private static String text(String s) {
    return s == null ? "" : s;
  }

  private static String label(Labelled l) {
    return l == null ? "" : l.label();
  }

  /**
   * The entry a row's text makes.
   *
   * @throws IllegalArgumentException naming every column that cannot be read, and why
   */
  static CatalogEntry entry(Map<String, String> row) {
    List<String> errors = new ArrayList<>();
    Pattern pattern = choice(Pattern.class, PATTERN, row, errors);
    Status status = choice(Status.class, STATUS, row, errors);
    Long created = volume(NEW, row, errors);
    Long changed = volume(CHANGED, row, errors);
    Frequency frequency = choice(Frequency.class, FREQUENCY, row, errors);
    SyncType syncType = choice(SyncType.class, SYNC_TYPE, row, errors);
    Trigger trigger = choice(Trigger.class, TRIGGER, row, errors);
    IntegrationMethod method = choice(IntegrationMethod.class, METHOD, row, errors);
    for (String required : List.of(NAME, DATA_ELEMENT, SOURCE, TARGET)) {
      if (value(row, required).isEmpty()) {
        errors.add(required + " is empty");
      }
    }
    if (value(row, PATTERN).isEmpty()) {
      errors.add(PATTERN + " is empty");
    }
    if (value(row, STATUS).isEmpty()) {
      errors.add(STATUS + " is empty");
    }
    Security security = null;
    try {
      security = Security.parse(value(row, SECURITY));
    } catch (IllegalArgumentException e) {
      errors.add(SECURITY + ": " + e.getMessage());
    }
    if (!errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", errors));
    }
    return CatalogEntry.builder(value(row, NAME), value(row, DATA_ELEMENT))
        .pattern(pattern).status(status)
        .from(value(row, SOURCE), value(row, SOURCE_OWNER)).to(value(row, TARGET), value(row, TARGET_OWNER))
        .volumes(created, changed).frequency(frequency).syncType(syncType).trigger(trigger).method(method)
        .security(security).notes(value(row, NOTES)).build();
  }

  private static String value(Map<String, String> row, String column) {
    String v = row.get(column);
    return v == null ? "" : v.strip();
  }

  private static Long volume(String column, Map<String, String> row, List<String> errors) {
    String text = value(row, column);
    if (text.isEmpty()) {
      return null;
    }
    String digits = text.replace(",", "").replace("_", "").replace(" ", "");
    if (!digits.matches("[0-9]{1,18}")) {
      errors.add(column + " '" + text + "' is not a whole number of records");
      return null;
    }
    return Long.parseLong(digits);
  }

  /** A value named by its label or its constant, case and spacing aside; null where empty. */
  private static <E extends Enum<E>> E choice(Class<E> type, String column, Map<String, String> row, List<String> errors) {
    String text = value(row, column);
    if (text.isEmpty()) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (plain(e.name()).equals(plain(text)) || e instanceof Labelled l && plain(l.label()).equals(plain(text))) {
        return e;
      }
    }
    errors.add(column + " '" + text + "' is none of " + Arrays.stream(type.getEnumConstants())
        .map(e -> e instanceof Labelled l ? l.label() : e.name()).collect(Collectors.joining(", ")));
    return null;
  }

  private static String plain(String s) {
    return s.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]", "");
  }
}
