package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.ProgressListener;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.Schedule;
import dev.patchbay.patterns.internal.Catalogued;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Once;
import dev.patchbay.patterns.internal.Settings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * Merges the records of several {@linkplain Input inputs} into one golden record per entity, written
 * to one {@link Destination}. Records belong to the same entity where their inputs' merge keys
 * agree, or, where the inputs share no key, where a match rule finds them alike
 * ({@link Builder#match}: at most one record of each input per entity); which value of each field
 * survives is a {@link Survivorship} rule's choice, per field or per group of fields that survive
 * together, under a person's overrides. Immutable; build one with {@link #builder()}.
 *
 * <p>What a run promises:
 * <ul>
 *   <li><b>Every record accounted for.</b> Every in-scope record of every input is merged into
 *       exactly one golden record (its merge key's), or is in the report as failed, naming the
 *       input, key, field and reason.</li>
 *   <li><b>Independent of order.</b> The golden record is a function of its members' values, the
 *       rules and the overrides alone: inputs read in another order, records arriving in another
 *       order give the same output. Rules that find values equally good take the first in a fixed
 *       order (the inputs' priority, then key, then newest).</li>
 *   <li><b>Provenance.</b> Every output field names the input, key and version it came from
 *       ({@link GoldenRecord#provenance()}); every member's values are kept, so {@link #explain}
 *       can say how any golden record was made.</li>
 *   <li><b>A failed input makes the run PARTIAL, never a mixture.</b> The report names it; no
 *       output is derived from the part of it not read: a golden record with a member of that
 *       input not read again this run is held back (the destination keeps what it had), and the
 *       next run reads the input again.</li>
 *   <li><b>Stable golden ids.</b> An entity's id is minted when it is first seen (random, never a
 *       member's key) and kept across runs. Entities found by matching merge (the older id
 *       survives, the other redirects to it) and split (the part with most members keeps the id);
 *       a person's {@linkplain #unmerge split} is never undone by the rule.</li>
 *   <li><b>Resumable.</b> Each batch read is saved with its input's position; the run writes the
 *       touched golden records only once every input was read, so a kill at any moment is finished
 *       by running again, and the destination never sees a golden record made of half a run.</li>
 * </ul>
 *
 * <p>An input {@linkplain Input#from read whole} every run drops a record that is no longer there
 * from its entity once the input was read to its end; an input read {@linkplain Input#changesOf as
 * changes} removes it on its delete. A golden record with no member left is deleted from the
 * destination. Log lines carry the MDC keys {@code patchbay.pattern} ({@code aggregation}) and
 * {@code patchbay.name}; values are never logged.
 */
public final class Aggregation implements Pattern<AggregationReport> {

  /** Which key the golden records are written under. */
  public enum OutputKey {
    /** The golden id: minted, stable, never a member's key (the default). */
    GOLDEN_ID,
    /** The merge key the members share: where the destination is keyed as the inputs are (an account number). */
    MERGE_KEY
  }

  /**
   * How an aggregation by matching finds entities: pairs of records of different inputs that
   * {@code blocking} makes candidates and {@code rule} scores at least {@code threshold}.
   */
  record Matching(dev.patchbay.patterns.matching.MatchRule rule, dev.patchbay.patterns.matching.Blocking blocking,
      double threshold) {
  }

  final String name;
  final List<Input<?>> inputs;
  /** Null where entities are given by merge keys. */
  final Matching matching;
  final Destination<Fields> destination;
  final Merger merger;
  final OutputKey outputKey;
  final String idField;
  /** What each golden record becomes before it is written (fields renamed or dropped for the destination); null for as it is. */
  final dev.patchbay.core.Transform<Fields, Fields> outputTransform;
  final int batchSize;
  final RetryPolicy retry;
  final ReasonDetail reasonDetail;
  final StateStore state;
  final Engine<AggregationReport> engine;
  private final Duration lookupTimeout;
  private volatile Collector collector;

  private Aggregation(Builder b) {
    this.name = b.settings.name();
    this.inputs = List.copyOf(b.inputs);
    this.matching = b.matching;
    this.destination = b.destination;
    List<String> order = new ArrayList<>();
    inputs.forEach(i -> order.add(i.name));
    this.merger = new Merger(order, b.rules, b.groups, b.fallback != null ? b.fallback : Survivorship.priority());
    this.outputKey = b.outputKey != null ? b.outputKey : OutputKey.GOLDEN_ID;
    this.idField = b.idField;
    this.outputTransform = b.outputTransform;
    this.batchSize = b.settings.batchSizeOr(Builder.DEFAULT_BATCH_SIZE);
    this.retry = b.settings.retry();
    this.reasonDetail = b.settings.reasonDetail();
    this.state = b.settings.state();
    this.engine = new Engine<>("aggregation", name, b.settings.label(), state, b.settings.resultCapture(), b.settings);
    this.lookupTimeout = b.lookupTimeout != null ? b.lookupTimeout : Builder.DEFAULT_LOOKUP_TIMEOUT;
  }

  /** A builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Runs once: reads every input (whole, or its changes since the last run), then writes the golden
   * records the run touched; resumes a run that did not end.
   *
   * @return the report: COMPLETED, PARTIAL (an input failed, named), FAILED (the destination failed:
   *     the next run goes on from the last batch written) or STOPPED
   * @throws SetupException if a run is under way, or the setup is wrong
   */
  @Override
  public AggregationReport run() {
    return engine.run(busy(), run -> new AggregationRun(this, run).execute());
  }

  @Override
  public Plan<AggregationReport> plan() {
    return engine.plan(busy(), run -> new AggregationRun(this, run).execute());
  }

  @Override
  public Schedule every(Duration interval, Consumer<? super AggregationReport> reports) {
    return engine.every(interval, reports, this::run);
  }

  /** Ends the run under way after the batch it is reading or writing, saved: reported STOPPED; the next run goes on from there. */
  @Override
  public void stop() {
    engine.stop();
  }

  @Override
  public PatternStatus status() {
    return engine.status(false, false, Optional.empty());
  }

  @Override
  public void listen(ProgressListener listener) {
    engine.listen(listener);
  }

  /**
   * The golden record of the entity under {@code mergeKey} as the kept values make it now (what the
   * last run wrote, or would write with the overrides given since); empty where no input has a
   * record of it. In an aggregation by {@linkplain Builder#match matching}, the key is a golden id;
   * an id merged away answers the entity that kept its members.
   *
   * @throws SetupException if a run is under way
   */
  public Optional<GoldenRecord> golden(String mergeKey) {
    Objects.requireNonNull(mergeKey, "mergeKey");
    return engine.hold(busy(), held -> Entities.find(held, mergeKey).filter(e -> !e.members().isEmpty())
        .map(e -> merger.merge(e.id(), e.key(), e.memberList(), e.overrides(), ValueCounts.of(merger, held, List.of(e)))));
  }

  /**
   * Every golden record as the kept values make it now, in merge key order: for a report
   * ({@link AggregationPage}, {@link #export}). Holds them all in memory.
   *
   * @throws SetupException if a run is under way
   */
  public List<GoldenRecord> goldenRecords() {
    return engine.hold(busy(), held -> {
      java.util.TreeMap<String, Entity> all = new java.util.TreeMap<>();
      long chunks = Roster.chunks(held, Roster.ENTITIES);
      for (long i = 0; i < chunks; i++) {
        Entity.CODEC.read(held, Roster.chunk(held, Roster.ENTITIES, i)).forEach((k, entity) -> {
          if (!entity.members().isEmpty()) {
            all.put(k, entity);
          }
        });
      }
      var counts = ValueCounts.of(merger, held, all.values());
      List<GoldenRecord> records = new ArrayList<>(all.size());
      all.values().forEach(e -> records.add(merger.merge(e.id(), e.key(), e.memberList(), e.overrides(), counts)));
      return records;
    });
  }

  /**
   * Writes every golden record's {@linkplain GoldenRecord#reportRow() report row} (its values and
   * where each came from) to {@code report}: a {@code CsvFile} or {@code JsonLinesFile} of
   * {@code connectors-files}, a table. Returns the destination's outcomes.
   *
   * @throws SetupException if a run is under way
   */
  public List<dev.patchbay.core.Outcome> export(Destination<Fields> report) {
    Objects.requireNonNull(report, "report");
    List<dev.patchbay.core.Change<Fields>> rows = new ArrayList<>();
    for (GoldenRecord g : goldenRecords()) {
      rows.add(dev.patchbay.core.Change.upsert(dev.patchbay.core.Envelope.of(g.id(), g.reportRow())));
    }
    List<dev.patchbay.core.Outcome> outcomes = new ArrayList<>(rows.size());
    var retrying = new dev.patchbay.patterns.internal.Retrying(name, retry);
    for (int from = 0; from < rows.size(); from += batchSize) {
      List<dev.patchbay.core.Change<Fields>> batch = rows.subList(from, Math.min(rows.size(), from + batchSize));
      outcomes.addAll(dev.patchbay.patterns.internal.Writes.write(report, batch, retrying, "the report"));
    }
    return outcomes;
  }

  /** How the golden record under {@code mergeKey} was made, field by field; empty where there is none. */
  public Optional<String> explain(String mergeKey) {
    return golden(mergeKey).map(GoldenRecord::explain);
  }

  /**
   * A person's value for {@code field} of the entity under {@code mergeKey}, over every rule, kept
   * across runs until {@link #clearOverride}; written to the destination now.
   *
   * @throws SetupException if no input has a record of the entity, or a run is under way
   */
  public GoldenRecord override(String mergeKey, String field, Object value) {
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(value, "value");
    return engine.hold(busy(), held -> Entities.overriding(this, held, mergeKey, o -> o.with(field, value)));
  }

  /**
   * A person's split, in an aggregation by {@linkplain Builder#match matching}: the record
   * {@code key} of input {@code input} leaves the entity under golden id {@code goldenId} and is
   * never merged again by the rule with the records it leaves there (it may join another entity).
   * The entities touched are clustered again and their golden records written now; the entity
   * keeps its id where it keeps the most members.
   *
   * @return the golden records of the entity it left and of the one it is in now
   * @throws SetupException where the aggregation is by merge key, there is no such entity or member
   *     or the member is alone in its entity, or a run is under way
   */
  public List<GoldenRecord> unmerge(String goldenId, String input, String key) {
    Objects.requireNonNull(goldenId, "goldenId");
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(key, "key");
    if (matching == null) {
      throw new SetupException("Aggregation '" + name + "' finds entities by merge key; a record leaves its entity when its"
          + " merge key changes, not by unmerge");
    }
    return engine.hold(busy(), held -> Entities.unmerge(this, held, goldenId, input, key));
  }

  /** Takes back a person's value for {@code field}: the rule decides it again, written now. */
  public GoldenRecord clearOverride(String mergeKey, String field) {
    Objects.requireNonNull(field, "field");
    return engine.hold(busy(), held -> Entities.overriding(this, held, mergeKey, o -> o.without(field)));
  }

  /**
   * The record under {@code mergeKey} collected live (A6): every input with a lookup asked at once,
   * each answer through its input's scope, transform and merge key, merged by the same rules as a
   * run; an input that does not answer within the lookup timeout is named as missing, not waited
   * for. Reads and writes no kept state (no overrides, no golden id), so it answers while a run is
   * under way. In an aggregation by {@linkplain Builder#match matching}, {@code mergeKey} is a golden
   * id and each input is asked for the keys of the entity's members of it: those are kept state,
   * read before the inputs are asked (refused while a run is under way).
   */
  public Collected lookup(String mergeKey) {
    Objects.requireNonNull(mergeKey, "mergeKey");
    Collector c = collector;
    if (c == null) {
      synchronized (this) {
        if (collector == null) {
          collector = new Collector(this, engine.threads("lookup", true));
        }
        c = collector;
      }
    }
    Collector using = c;
    if (matching == null) {
      return engine.inMdc(() -> using.collect(mergeKey, input -> input.lookupKeys.apply(mergeKey), true, lookupTimeout));
    }
    Map<String, List<String>> keys = engine.hold(busy(), held -> {
      Map<String, List<String>> byInput = new LinkedHashMap<>();
      Entities.find(held, mergeKey).ifPresent(e -> e.memberList().forEach(m ->
          byInput.computeIfAbsent(m.source(), x -> new ArrayList<>()).add(m.key())));
      return byInput;
    });
    return engine.inMdc(() -> using.collect(mergeKey, input -> keys.getOrDefault(input.name, List.of()), false, lookupTimeout));
  }

  private String busy() {
    return "Aggregation '" + name + "' is already running; an aggregation runs once at a time";
  }

  /**
   * This aggregation as rows of the integration catalog, one per input (pattern
   * {@code Aggregation}, synchronization type {@code Full copy} or {@code Delta}), from what the
   * connectors say, the rest {@code declared}.
   */
  public List<CatalogEntry> catalogEntries(UnaryOperator<CatalogEntry.Builder> declared) {
    List<CatalogEntry> rows = new ArrayList<>();
    for (Input<?> i : inputs) {
      rows.add(Catalogued.entry(name + " (" + i.name + ")", CatalogEntry.Pattern.AGGREGATION, CatalogEntry.Trigger.ON_DEMAND,
          i.whole() ? CatalogEntry.SyncType.FULL : CatalogEntry.SyncType.DELTA, i.whole() ? i.source : i.feed, destination,
          declared));
    }
    return rows;
  }

  @Override
  public String toString() {
    return "Aggregation[" + name + "]";
  }

  /**
   * Builds an {@link Aggregation}. A name, at least one input and a destination are required; each
   * setting may be given once. Without a {@linkplain #survivorship default rule}, a field's value
   * is the first input's, in the order the inputs were added, that holds it.
   */
  public static final class Builder {

    static final int DEFAULT_BATCH_SIZE = 500;
    static final Duration DEFAULT_LOOKUP_TIMEOUT = Duration.ofSeconds(2);

    final Settings settings = new Settings("Aggregation");
    private final List<Input<?>> inputs = new ArrayList<>();
    private final Map<String, Survivorship> rules = new LinkedHashMap<>();
    private final List<Merger.Group> groups = new ArrayList<>();
    private Survivorship fallback;
    private Destination<Fields> destination;
    private OutputKey outputKey;
    private String idField;
    private Duration lookupTimeout;
    private dev.patchbay.core.Transform<Fields, Fields> outputTransform;
    private Matching matching;

    private Builder() {
    }

    /** The name in every log line, report and in the state; required. */
    public Builder name(String name) {
      settings.name(name);
      return this;
    }

    /** An input; its place among the inputs is its priority where rules compare sources. */
    public Builder input(Input<?> input) {
      settings.notNull(input, "input");
      for (Input<?> i : inputs) {
        if (i.name.equals(input.name)) {
          throw new SetupException(settings.label() + ": input '" + input.name + "' was already added");
        }
      }
      inputs.add(input);
      return this;
    }

    /** Where golden records are written; required. */
    public Builder destination(Destination<Fields> destination) {
      Once.check(settings.label(), "destination", this.destination, this.destination);
      this.destination = settings.notNull(destination, "destination");
      return this;
    }

    /** The rule for every field without a rule of its own; {@link Survivorship#priority(String...)} in the inputs' order where not given. */
    public Builder survivorship(Survivorship rule) {
      Once.check(settings.label(), "the default survivorship", fallback, fallback == null ? null : fallback.describe());
      this.fallback = settings.notNull(rule, "rule");
      return this;
    }

    /** The rule for {@code field}. */
    public Builder survivorship(String field, Survivorship rule) {
      settings.notNull(field, "field");
      settings.notNull(rule, "rule");
      if (rules.containsKey(field) || grouped(field)) {
        throw new SetupException(settings.label() + ": field '" + field + "' has a rule already");
      }
      rules.put(field, rule);
      return this;
    }

    /**
     * Fields that survive together, all from the one record {@code rule} picks among the records
     * holding any of them (an address's street, town and postcode, never mixed); the rule compares
     * each record's part ({@link Survivorship#mostComplete()}: the record with most of them).
     *
     * @throws SetupException where a field has a rule already, or the rule combines values
     *     ({@link Survivorship#min()}, {@link Survivorship#max()}, {@link Survivorship#allValues()})
     */
    public Builder group(String name, List<String> fields, Survivorship rule) {
      Objects.requireNonNull(name, "Aggregation: a group's name must be given, not null");
      settings.notNull(rule, "rule");
      if (fields.isEmpty()) {
        throw new SetupException(settings.label() + ": group '" + name + "' has no fields");
      }
      for (String f : fields) {
        if (rules.containsKey(f) || grouped(f)) {
          throw new SetupException(settings.label() + ": field '" + f + "' of group '" + name + "' has a rule already");
        }
      }
      if (!Rule.picksOne(rule)) {
        throw new SetupException(settings.label() + ": group '" + name + "' needs a rule that picks one record ("
            + rule.describe() + " combines values)");
      }
      groups.add(new Merger.Group(name, List.copyOf(new LinkedHashSet<>(fields)), rule));
      return this;
    }

    private boolean grouped(String field) {
      return groups.stream().anyMatch(g -> g.fields().contains(field));
    }

    /**
     * Entities found by matching, for inputs ended by {@link Input.Builder#matched()}: two records
     * of different inputs that {@code blocking} files under a shared key and {@code rule} scores at
     * least {@code threshold} are the same entity, the best-scored pairs joined first, an entity
     * holding at most one record of each input, a pair a person {@linkplain Aggregation#unmerge
     * split} never joined again. Golden ids follow the members: where entities merge, the older id
     * survives and the other redirects to it; where one splits, the part with most of its members
     * keeps its id. The golden id is the entity's key (in {@link Aggregation#golden},
     * {@link Aggregation#override}, {@link Aggregation#lookup}).
     */
    public Builder match(dev.patchbay.patterns.matching.MatchRule rule, dev.patchbay.patterns.matching.Blocking blocking,
        double threshold) {
      Once.check(settings.label(), "the match rule", matching, matching == null ? null : matching.rule().describe());
      settings.notNull(rule, "rule");
      settings.notNull(blocking, "blocking");
      if (Double.isNaN(threshold)) {
        throw new SetupException(settings.label() + ": the match threshold is not a number");
      }
      this.matching = new Matching(rule, blocking, threshold);
      return this;
    }

    /** Which key golden records are written under; {@link OutputKey#GOLDEN_ID} where not given. */
    public Builder outputKey(OutputKey key) {
      Once.check(settings.label(), "the output key", outputKey, outputKey);
      this.outputKey = settings.notNull(key, "key");
      return this;
    }

    /**
     * What each golden record becomes before it is written: fields renamed or dropped for the
     * destination (a merge key field the destination holds as its key). A record it rejects fails,
     * named by its output key; the golden record itself (provenance, reports, lookups) is unchanged.
     */
    public Builder transformOutput(dev.patchbay.core.Transform<Fields, Fields> transform) {
      Once.check(settings.label(), "the output transform", outputTransform, null);
      this.outputTransform = settings.notNull(transform, "transform");
      return this;
    }

    /** Writes each golden record's id into {@code field} of it, as well. */
    public Builder goldenIdField(String field) {
      Once.check(settings.label(), "the golden id field", idField, idField);
      this.idField = settings.notNull(field, "field");
      return this;
    }

    /** How long {@link Aggregation#lookup} waits for each input (all are asked at once); 2 s where not given. */
    public Builder lookupTimeout(Duration timeout) {
      settings.notNull(timeout, "timeout");
      Once.check(settings.label(), "the lookup timeout", lookupTimeout, lookupTimeout);
      if (timeout.isNegative() || timeout.isZero()) {
        throw new SetupException(settings.label() + ": the lookup timeout must be positive, was " + timeout);
      }
      this.lookupTimeout = timeout;
      return this;
    }

    /** Where runs save their progress and the kept values; in memory where not given (lost with the process). */
    public Builder state(StateStore state) {
      settings.state(state);
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      settings.retry(retry);
      return this;
    }

    public Builder reasonDetail(ReasonDetail detail) {
      settings.reasonDetail(detail);
      return this;
    }

    /** Receives every input record's and golden record's outcome, and each run's report. */
    public Builder resultCapture(ResultCapture capture) {
      settings.resultCapture(capture);
      return this;
    }

    /** Records read per batch, and golden records written per batch; 500 where not given. */
    public Builder batchSize(int batchSize) {
      settings.batchSize(batchSize);
      return this;
    }

    public Builder progressEvery(Duration every) {
      settings.progressEvery(every);
      return this;
    }

    public Builder threads(ThreadFactory factory) {
      settings.threads(factory);
      return this;
    }

    /**
     * @throws SetupException naming every missing element, or a rule naming an input that is not one
     */
    public Aggregation build() {
      List<String> missing = new ArrayList<>();
      if (settings.name() == null) {
        missing.add("a name");
      }
      if (inputs.isEmpty()) {
        missing.add("an input");
      }
      if (destination == null) {
        missing.add("a destination");
      }
      Once.needs(settings.label(), missing);
      for (Input<?> i : inputs) {
        if (i.matched() && matching == null) {
          throw new SetupException(settings.label() + ": input '" + i.name + "' is matched(), but no match rule was given"
              + " (Builder.match)");
        }
        if (!i.matched() && matching != null) {
          throw new SetupException(settings.label() + ": input '" + i.name + "' has a merge key, but entities are found by"
              + " the match rule; end every input with matched()");
        }
      }
      if (matching != null && outputKey == OutputKey.MERGE_KEY) {
        throw new SetupException(settings.label() + ": an aggregation by matching has no merge key; its golden records are"
            + " written under their golden id");
      }
      Set<String> names = new LinkedHashSet<>();
      inputs.forEach(i -> names.add(i.name));
      List<Survivorship> all = new ArrayList<>(rules.values());
      groups.forEach(g -> all.add(g.rule()));
      if (fallback != null) {
        all.add(fallback);
      }
      for (Survivorship r : all) {
        for (String s : Rule.sources(r)) {
          if (!names.contains(s)) {
            throw new SetupException(settings.label() + ": the rule '" + r.describe() + "' names '" + s
                + "', which is not one of its inputs " + names);
          }
        }
      }
      return new Aggregation(this);
    }
  }
}
