package dev.patchbay.core.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One integration as an integration catalog records it: a data element moving from a source
 * system to a target system, with the columns of the catalog spreadsheet. A pattern that moves
 * data to several targets is several entries, one a target. Immutable; build one with
 * {@link #builder(String, String)}.
 *
 * <p>Name, data element, source and target system, pattern and status are required; every other
 * column may be unknown ({@code null}), which a review reports where it matters. Text is kept
 * without leading and trailing white space; a blank owner is no owner.
 *
 * @param name            the integration's name, as its pattern is named in code
 * @param pattern         which of the five patterns it is, or {@link Pattern#OTHER}
 * @param status          proposed, in production or retired
 * @param dataElement     what moves ("contacts", "service requests")
 * @param sourceSystem    where it comes from
 * @param sourceOwner     who is accountable for the source system; {@code null} where nobody is known
 * @param targetSystem    where it goes
 * @param targetOwner     who is accountable for the target system; {@code null} where nobody is known
 * @param newPerMonth     records created per month; {@code null} where unknown
 * @param changedPerMonth records changed per month; {@code null} where unknown
 * @param frequency       how often it runs; {@code null} where unknown
 * @param syncType        full copy or delta; {@code null} where unknown
 * @param trigger         what starts it; {@code null} where unknown
 * @param method          how it reaches the systems; {@code null} where unknown
 * @param security        sensitive fields, whether transport is encrypted, and concerns in words
 * @param notes           additional notes; empty where none
 */
public record CatalogEntry(String name, Pattern pattern, Status status, String dataElement, String sourceSystem,
                           String sourceOwner, String targetSystem, String targetOwner, Long newPerMonth,
                           Long changedPerMonth, Frequency frequency, SyncType syncType, Trigger trigger,
                           IntegrationMethod method, Security security, String notes) {

  public CatalogEntry {
    List<String> missing = new ArrayList<>();
    require(name, "a name", missing);
    require(dataElement, "a data element", missing);
    require(sourceSystem, "a source system", missing);
    require(targetSystem, "a target system", missing);
    if (pattern == null) {
      missing.add("a pattern");
    }
    if (status == null) {
      missing.add("a status");
    }
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException("catalog entry " + (blank(name) ? "" : "'" + name + "' ") + "needs "
          + String.join(", ", missing));
    }
    for (Long volume : new Long[] {newPerMonth, changedPerMonth}) {
      if (volume != null && volume < 0) {
        throw new IllegalArgumentException("catalog entry '" + name + "': records per month cannot be negative, was " + volume);
      }
    }
    name = name.strip();
    dataElement = dataElement.strip();
    sourceSystem = sourceSystem.strip();
    targetSystem = targetSystem.strip();
    sourceOwner = blank(sourceOwner) ? null : sourceOwner.strip();
    targetOwner = blank(targetOwner) ? null : targetOwner.strip();
    security = security == null ? Security.UNKNOWN : security;
    notes = notes == null ? "" : notes.strip();
  }

  private static void require(String value, String what, List<String> missing) {
    if (blank(value)) {
      missing.add(what);
    }
  }

  private static boolean blank(String s) {
    return s == null || s.isBlank();
  }

  /** An entry for {@code name} moving {@code dataElement}; systems, pattern and status are set on the builder. */
  public static Builder builder(String name, String dataElement) {
    return new Builder(name, dataElement);
  }

  /** A builder holding this entry's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder(name, dataElement);
    b.pattern = pattern;
    b.status = status;
    b.sourceSystem = sourceSystem;
    b.sourceOwner = sourceOwner;
    b.targetSystem = targetSystem;
    b.targetOwner = targetOwner;
    b.newPerMonth = newPerMonth;
    b.changedPerMonth = changedPerMonth;
    b.frequency = frequency;
    b.syncType = syncType;
    b.trigger = trigger;
    b.method = method;
    b.security = security;
    b.notes = notes;
    return b;
  }

  /** Records affected per month, new and changed; 0 where neither is known. */
  public long recordsPerMonth() {
    return (newPerMonth == null ? 0 : newPerMonth) + (changedPerMonth == null ? 0 : changedPerMonth);
  }

  /** "name: source → target (data element)", how messages name an entry. */
  public String describe() {
    return name + ": " + sourceSystem + " → " + targetSystem + " (" + dataElement + ")";
  }

  /** A value as the spreadsheet writes it. */
  public interface Labelled {
    String label();
  }

  /** Which pattern an integration is. */
  public enum Pattern implements Labelled {
    MIGRATION("Migration"), BROADCAST("Broadcast"), AGGREGATION("Aggregation"),
    BIDIRECTIONAL_SYNC("Bi-directional sync"), CORRELATION("Correlation"), OTHER("Other");

    private final String label;

    Pattern(String label) {
      this.label = label;
    }

    @Override
    public String label() {
      return label;
    }
  }

  /** Where an integration is in its life. */
  public enum Status implements Labelled {
    PROPOSED("Proposed"), IN_PRODUCTION("In production"), RETIRED("Retired");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    @Override
    public String label() {
      return label;
    }
  }

  /** How often an integration runs, most frequent first. */
  public enum Frequency implements Labelled {
    REAL_TIME("Real time"), HOURLY("Hourly"), DAILY("Daily"), WEEKLY("Weekly"), MONTHLY("Monthly"),
    QUARTERLY("Quarterly"), YEARLY("Yearly"), ON_DEMAND("On demand"), ONCE("Once");

    private final String label;

    Frequency(String label) {
      this.label = label;
    }

    @Override
    public String label() {
      return label;
    }
  }

  /** Whether each run copies everything or only what changed. */
  public enum SyncType implements Labelled {
    FULL("Full copy"), DELTA("Delta");

    private final String label;

    SyncType(String label) {
      this.label = label;
    }

    @Override
    public String label() {
      return label;
    }
  }

  /** What starts a run. */
  public enum Trigger implements Labelled {
    SCHEDULE("Schedule"), EVENT("Event"), ON_DEMAND("On demand");

    private final String label;

    Trigger(String label) {
      this.label = label;
    }

    @Override
    public String label() {
      return label;
    }
  }

  /**
   * What an entry says about security: which fields are sensitive, whether data travels
   * encrypted ({@code null} where unknown), and concerns in words.
   */
  public record Security(Set<String> sensitiveFields, Boolean encrypted, String concerns) {

    /** Nothing known. */
    public static final Security UNKNOWN = new Security(Set.of(), null, "");

    public Security {
      for (String f : sensitiveFields) {
        if (f == null || f.isBlank() || f.contains(",") || f.contains(";")) {
          throw new IllegalArgumentException("a sensitive field's name must be non-blank, without ',' or ';': '" + f + "'");
        }
      }
      sensitiveFields = Collections.unmodifiableSet(new TreeSet<>(sensitiveFields.stream().map(String::strip).toList()));
      concerns = concerns == null ? "" : concerns.strip();
    }

    /** Whether the entry moves sensitive data. */
    public boolean sensitive() {
      return !sensitiveFields.isEmpty();
    }

    @Override
    public String toString() {
      List<String> parts = new ArrayList<>();
      if (!sensitiveFields.isEmpty()) {
        parts.add("sensitive: " + String.join(", ", sensitiveFields));
      }
      if (encrypted != null) {
        parts.add(encrypted ? "encrypted" : "unencrypted");
      }
      if (!concerns.isEmpty()) {
        parts.add("notes: " + concerns);
      }
      return String.join("; ", parts);
    }

    /**
     * Reads the form {@link #toString()} writes: {@code sensitive: a, b; unencrypted; notes: ...},
     * each part optional. Text that does not start with one of those parts is taken whole as the
     * concerns, as a hand-written spreadsheet has them.
     */
    public static Security parse(String text) {
      if (text == null || text.isBlank()) {
        return UNKNOWN;
      }
      Set<String> sensitive = new TreeSet<>();
      Boolean encrypted = null;
      String rest = text.strip();
      while (!rest.isEmpty()) {
        String lower = rest.toLowerCase(Locale.ROOT);
        if (lower.startsWith("notes:")) {
          return new Security(sensitive, encrypted, rest.substring("notes:".length()));
        }
        int end = rest.indexOf(';');
        String part = (end < 0 ? rest : rest.substring(0, end)).strip();
        String partLower = part.toLowerCase(Locale.ROOT);
        if (partLower.startsWith("sensitive:")) {
          for (String f : part.substring("sensitive:".length()).split(",")) {
            if (!f.isBlank()) {
              sensitive.add(f.strip());
            }
          }
        } else if (partLower.equals("encrypted") || partLower.equals("unencrypted")) {
          encrypted = partLower.equals("encrypted");
        } else {
          return new Security(sensitive, encrypted, rest);
        }
        rest = end < 0 ? "" : rest.substring(end + 1).strip();
      }
      return new Security(sensitive, encrypted, "");
    }
  }

  /** Builds a {@link CatalogEntry}; {@link #build()} names every missing piece at once. */
  public static final class Builder {
    private final String name;
    private String dataElement;
    private Pattern pattern;
    private Status status;
    private String sourceSystem;
    private String sourceOwner;
    private String targetSystem;
    private String targetOwner;
    private Long newPerMonth;
    private Long changedPerMonth;
    private Frequency frequency;
    private SyncType syncType;
    private Trigger trigger;
    private IntegrationMethod method;
    private Security security = Security.UNKNOWN;
    private String notes = "";

    private Builder(String name, String dataElement) {
      this.name = name;
      this.dataElement = dataElement;
    }

    /** What moves, in place of the one given to {@link CatalogEntry#builder}. */
    public Builder dataElement(String dataElement) {
      this.dataElement = dataElement;
      return this;
    }

    /** The source system and its owner ({@code null} where nobody is known). */
    public Builder from(String system, String owner) {
      this.sourceSystem = system;
      this.sourceOwner = owner;
      return this;
    }

    /** The target system and its owner ({@code null} where nobody is known). */
    public Builder to(String system, String owner) {
      this.targetSystem = system;
      this.targetOwner = owner;
      return this;
    }

    public Builder pattern(Pattern pattern) {
      this.pattern = pattern;
      return this;
    }

    public Builder status(Status status) {
      this.status = status;
      return this;
    }

    /** Records created and changed per month, as declared; {@code null} where unknown. */
    public Builder volumes(Long newPerMonth, Long changedPerMonth) {
      this.newPerMonth = newPerMonth;
      this.changedPerMonth = changedPerMonth;
      return this;
    }

    public Builder frequency(Frequency frequency) {
      this.frequency = frequency;
      return this;
    }

    public Builder syncType(SyncType syncType) {
      this.syncType = syncType;
      return this;
    }

    public Builder trigger(Trigger trigger) {
      this.trigger = trigger;
      return this;
    }

    public Builder method(IntegrationMethod method) {
      this.method = method;
      return this;
    }

    public Builder security(Security security) {
      this.security = Objects.requireNonNull(security, "security");
      return this;
    }

    public Builder notes(String notes) {
      this.notes = notes;
      return this;
    }

    /** @throws IllegalArgumentException naming every missing piece */
    public CatalogEntry build() {
      return new CatalogEntry(name, pattern, status, dataElement, sourceSystem, sourceOwner, targetSystem, targetOwner,
          newPerMonth, changedPerMonth, frequency, syncType, trigger, method, security, notes);
    }
  }
}
