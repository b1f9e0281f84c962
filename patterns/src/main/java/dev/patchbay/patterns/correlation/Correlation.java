package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Score;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.internal.Settings;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.ProgressListener;
import dev.patchbay.patterns.Schedule;
import java.time.Duration;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import dev.patchbay.patterns.internal.Once;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Syncs only the records two systems already share: it links the records of side A and side B
 * that its {@link MatchRule} decides are one entity, keeps those links (the crosswalk) in the
 * state store, and keeps each linked pair's mapped fields in step as {@link BidirectionalSync}
 * does (three-way against the last synced values, conflicts decided by the policy). Immutable;
 * build one with {@link #builder()}, run a round with {@link #round()}.
 *
 * <p>What a round promises (C1 to C6 of docs/promises.md):
 * <ul>
 *   <li><b>Never creates.</b> A record held on one side only stays there: nothing is created, and
 *       nothing is deleted on the other side when a linked record is deleted (the link ends).</li>
 *   <li><b>Never leaks.</b> Every write goes to a record linked, at that moment, to the record
 *       its values come from; a record linked to nothing is never written.</li>
 *   <li><b>Decisions.</b> The best pairs across the whole population are linked one to one: each
 *       pair at or above the link threshold whose records no better pair took. A record whose best
 *       two candidates score within the ambiguity margin is AMBIGUOUS: reported, not linked. A pair
 *       between the review and the link threshold waits in the {@linkplain #reviewQueue() review
 *       queue} for a person, whose {@link #assertLink} and {@link #rejectLink} survive every later
 *       round and override the rule.</li>
 *   <li><b>Symmetric and monotone.</b> The decisions depend only on the scores (a rule is
 *       symmetric), never on which system is side A or the order records were read in; a higher
 *       threshold, or a required field more, never adds a link.</li>
 *   <li><b>Links persist, and are re-checked.</b> A round matches only the records that changed
 *       since the last one (and those their candidate pairs reach); a linked pair whose record
 *       changed is decided again, and a link that no longer holds is ended and reported, never
 *       silently kept.</li>
 * </ul>
 *
 * <p>The records as the rule sees them (the {@linkplain Builder#views views}) are held in this
 * object's memory, filed by the blocking keys, and rebuilt from both sides' feeds by the first
 * round in a process; later rounds read only the changes. Log lines carry the MDC keys
 * {@code patchbay.pattern} ({@code correlation}) and {@code patchbay.name}; values are never logged.
 */
public final class Correlation implements Pattern<CorrelationReport> {

  final String name;
  /** Side A as the matching reads it and the sync underneath sees it. */
  final Relay a;
  final Relay b;
  final UnaryOperator<Fields> viewA;
  final UnaryOperator<Fields> viewB;
  final ScopeCriteria<Fields> scopeA;
  final ScopeCriteria<Fields> scopeB;
  final MatchRule rule;
  final Blocking blocking;
  final Decisions.Thresholds thresholds;
  final StateStore state;
  final Engine<CorrelationReport> engine;
  final Known known;
  final BidirectionalSync sync;
  /** How many changes of a side a read takes at once: the matching's and the sync's chunk. */
  final int batchSize;
  /** How a transient failure is tried again: a side's read, the sync's reads and writes. */
  final dev.patchbay.patterns.RetryPolicy retry;

  private Correlation(Builder b) {
    this.name = b.settings.name();
    this.a = b.a;
    this.b = b.b;
    UnaryOperator<Fields> matched = matchedFields(b);
    this.viewA = b.viewA != null ? b.viewA : matched;
    this.viewB = b.viewB != null ? b.viewB : matched;
    this.scopeA = b.scopeA;
    this.scopeB = b.scopeB;
    this.rule = b.rule;
    this.blocking = b.blocking;
    this.thresholds = new Decisions.Thresholds(b.link, b.review != null ? b.review : b.link,
        b.margin != null ? b.margin : 0, b.required);
    this.state = b.settings.state();
    this.batchSize = b.settings.batchSizeOr(BidirectionalSync.Builder.DEFAULT_BATCH_SIZE);
    this.retry = b.settings.retry();
    ResultCapture capture = b.settings.resultCapture();
    this.engine = new Engine<>("correlation", name, b.settings.label(), state, capture, b.settings);
    this.known = new Known(() -> new Linkage(rule, blocking, thresholds));
    BidirectionalSync.Builder sync = BidirectionalSync.builder()
        .name(name + ".sync")
        .mapping(b.aToB, b.bToA)
        .scopes(ScopeCriteria.where(scopeA.describe() + ", linked", r -> scopeA.includes(r) && known.linkedA.containsKey(r.key())),
            ScopeCriteria.where(scopeB.describe() + ", linked", r -> scopeB.includes(r) && known.linkedB.containsKey(r.key())))
        .keys(r -> known.linkedA.getOrDefault(r.key(), r.key()), r -> known.linkedB.getOrDefault(r.key(), r.key()))
        .creates(false)
        .deletes(DeletePolicy.IGNORE)
        .conflicts(b.conflicts)
        .state(this.state)
        .sideA(b.a)
        .sideB(b.b)
        .progressEvery(b.settings.progressEvery())
        .retry(b.settings.retry())
        .reasonDetail(b.settings.reasonDetail())
        .batchSize(batchSize)
        .failureLimit(b.settings.failureLimitOr(BidirectionalSync.Builder.DEFAULT_FAILURE_LIMIT));
    if (b.settings.threads() != null) {
      sync.threads(b.settings.threads());
    }
    sync.resultCapture(capture::capture);   // the sync's outcomes; its report is a part of the correlation's
    this.sync = sync.build();
    this.sync.listen(engine.forwarding());
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The fields the rule, the blocking and the required fields read, where all of them say which:
   * the records are held in memory with those fields only. Else every field.
   */
  private static UnaryOperator<Fields> matchedFields(Builder b) {
    java.util.Set<String> names = new java.util.LinkedHashSet<>(b.rule.fields());
    if (names.isEmpty() || b.blocking.rules().stream().anyMatch(r -> r.fields().isEmpty())) {
      return UnaryOperator.identity();
    }
    names.addAll(b.blocking.fields());
    names.addAll(b.required);
    List<String> kept = List.copyOf(names);
    return f -> {
      Object[] pairs = new Object[kept.size() * 2];
      for (int i = 0; i < kept.size(); i++) {
        pairs[2 * i] = kept.get(i);
        pairs[2 * i + 1] = f.get(kept.get(i));
      }
      return Fields.ofNullable(pairs);
    };
  }

  @Override
  public String name() {
    return name;
  }

  /** One round, as {@link #round()}. */
  @Override
  public CorrelationReport run() {
    return round();
  }

  /**
   * A dry run of a round, as {@link Pattern#plan()} says: the matching runs as a round's would,
   * and the report shows the links it would make and end, and the sync of linked pairs is planned
   * (the first writes to each side, "a" and "b"); no link is saved, nothing is written. What this
   * object held in memory of the sides is let go, so its next round reads both sides afresh. A
   * person's pending unlinks and revisits wait for a real round.
   */
  @Override
  public Plan<CorrelationReport> plan() {
    return engine.plan("Correlation '" + name + "' is already running a round; a correlation runs one round at a time",
        run -> {
          try {
            return new CorrelationRound(this, run).run();
          } finally {
            known.reset();
            a.clear();
            b.clear();
          }
        });
  }

  /** Runs a round now, then again {@code interval} after each one ends, as {@link Pattern#every} says. */
  @Override
  public Schedule every(Duration interval, Consumer<? super CorrelationReport> reports) {
    return engine.every(interval, reports, this::round);
  }

  /**
   * Ends the round under way at its next checkpoint: after the matching, its links saved, before
   * the sync of linked pairs (which the next round runs); or, where the sync has begun, after the
   * sync's chunk. Reported STOPPED.
   */
  @Override
  public void stop() {
    engine.stop();
    sync.stop();
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
   * Runs one round: reads both sides' changes (every record, in a process's first round), links,
   * re-checks and ends links as the rule and the people's decisions say, saves the crosswalk, then
   * syncs the linked pairs that changed or were linked this round.
   *
   * @throws SetupException if a round of this correlation is already running
   */
  public CorrelationReport round() {
    return engine.run("Correlation '" + name + "' is already running a round; a correlation runs one round at a time",
        run -> new CorrelationRound(this, run).run());
  }

  /**
   * The pairs waiting for a person, best score first, each with its field-by-field explanation:
   * those between the thresholds, those of ambiguous records, and those a required field kept
   * apart. As the last round in this process left them (the first call runs no round: an empty
   * queue where none ran).
   */
  public List<ReviewItem> reviewQueue() {
    return known.queue();
  }

  /**
   * Every link, side A's key to side B's, as this object's last round left the crosswalk (and the
   * people's decisions since, once a round has read them); empty before its first round. A view:
   * it changes with each round.
   */
  public Map<String, String> links() {
    return java.util.Collections.unmodifiableMap(known.linkedA);
  }

  /** The link of side A's {@code aKey}, from the state store; empty where it is linked to nothing. */
  public Optional<CrosswalkLink> linkOfA(String aKey) {
    return engine.hold("Correlation '" + name + "' is running a round; read its links when it has ended",
        held -> Optional.ofNullable(Crosswalk.linkOfA(held, aKey)));
  }

  /** The link of side B's {@code bKey}, from the state store; empty where it is linked to nothing. */
  public Optional<CrosswalkLink> linkOfB(String bKey) {
    return engine.hold("Correlation '" + name + "' is running a round; read its links when it has ended",
        held -> Optional.ofNullable(Crosswalk.linkOfB(held, bKey)));
  }

  /**
   * How the rule scores side A's {@code aKey} against side B's {@code bKey}, field by field, as
   * this object's last round read the records; empty where either is not held.
   *
   * @throws SetupException if a round is running
   */
  public Optional<Score> explain(String aKey, String bKey) {
    return engine.hold("Correlation '" + name + "' is running a round; explain a pair when it has ended",
        held -> Optional.ofNullable(known.linkage.explain(aKey, bKey)));
  }

  /**
   * A person's decision that side A's {@code aKey} and side B's {@code bKey} are one entity: the
   * link is saved now (ending any other link either record had), made by a person, and holds over
   * every later round whatever the rule says, until a person rejects it or a record is deleted.
   * The next round syncs the pair.
   *
   * @param note why, kept with the link (who decided, a ticket); may be null
   * @throws SetupException if a round is running
   */
  public CrosswalkLink assertLink(String aKey, String bKey, String note) {
    Objects.requireNonNull(aKey, "aKey");
    Objects.requireNonNull(bKey, "bKey");
    return engine.hold("Correlation '" + name + "' is running a round; decide when it has ended",
        held -> Crosswalk.assertLink(held, aKey, bKey, note));
  }

  /**
   * A person's decision that side A's {@code aKey} and side B's {@code bKey} are not one entity:
   * the pair is never linked again by the rule; a link between them ends now, and the next round
   * may link either record to another.
   *
   * @param note why, kept with the decision; may be null
   * @throws SetupException if a round is running
   */
  public void rejectLink(String aKey, String bKey, String note) {
    Objects.requireNonNull(aKey, "aKey");
    Objects.requireNonNull(bKey, "bKey");
    engine.hold("Correlation '" + name + "' is running a round; decide when it has ended", held -> {
      Crosswalk.rejectLink(held, aKey, bKey, note);
      return null;
    });
  }

  /**
   * This correlation as rows of the integration catalog (K1), one a direction (A to B, then B to A):
   * pattern {@code Correlation}, synchronization type {@code Delta}, and from the sides where they
   * are connectors, the data element, systems, owners, method, sensitive fields and encryption. The
   * trigger is {@code Schedule} unless declared; the rest is {@code declared}, for both directions.
   *
   * @throws IllegalArgumentException naming what neither the connectors nor the declaration gave
   */
  public List<dev.patchbay.core.catalog.CatalogEntry> catalogEntries(
      UnaryOperator<dev.patchbay.core.catalog.CatalogEntry.Builder> declared) {
    UnaryOperator<dev.patchbay.core.catalog.CatalogEntry.Builder> scheduled =
        e -> declared.apply(e.trigger(dev.patchbay.core.catalog.CatalogEntry.Trigger.SCHEDULE));
    return List.of(direction(a, b, scheduled), direction(b, a, scheduled));
  }

  private dev.patchbay.core.catalog.CatalogEntry direction(Relay from, Relay to,
      UnaryOperator<dev.patchbay.core.catalog.CatalogEntry.Builder> declared) {
    return dev.patchbay.patterns.internal.Catalogued.entry(name, dev.patchbay.core.catalog.CatalogEntry.Pattern.CORRELATION,
        null, dev.patchbay.core.catalog.CatalogEntry.SyncType.DELTA, from.connector(), to.connector(), declared);
  }

  @Override
  public String toString() {
    return "Correlation[" + name + ": " + a + " <-> " + b + ", " + rule.describe() + "]";
  }

  /** Builds a {@link Correlation}; {@link #build()} names every missing element. */
  public static final class Builder {
    private Relay a;
    private Relay b;
    private UnaryOperator<Fields> aToB;
    private UnaryOperator<Fields> bToA;
    private UnaryOperator<Fields> viewA;
    private UnaryOperator<Fields> viewB;
    private ScopeCriteria<Fields> scopeA;
    private ScopeCriteria<Fields> scopeB;
    private MatchRule rule;
    private Blocking blocking;
    private Double link;
    private Double review;
    private Double margin;
    private final List<String> required = new ArrayList<>();
    private ConflictPolicy conflicts;
    final Settings settings = new Settings("Correlation");

    private Builder() {
    }

    /** The name in every log line, report and error; required, not blank. */
    public Builder name(String name) {
      settings.name(name);
      return this;
    }

    /** Side A: a connector that reads changes, reads by key and writes; required. */
    public <C extends ChangeFeed<Fields> & Lookup<Fields> & Destination<Fields>> Builder sideA(C connector) {
      once("side A", this.a, this.a);
      this.a = new Relay(connector);
      return this;
    }

    /** Side B, as side A; required. */
    public <C extends ChangeFeed<Fields> & Lookup<Fields> & Destination<Fields>> Builder sideB(C connector) {
      once("side B", this.b, this.b);
      this.b = new Relay(connector);
      return this;
    }

    /**
     * The fields linked pairs keep in step, named on side B in side A's terms and back; required.
     * Only these fields are ever written: {@code aToB} should return only what may reach side B.
     */
    public Builder mapping(UnaryOperator<Fields> aToB, UnaryOperator<Fields> bToA) {
      once("mapping", this.aToB, null);
      this.aToB = settings.notNull(aToB, "mapping from A to B");
      this.bToA = settings.notNull(bToA, "mapping from B to A");
      return this;
    }

    /**
     * Each side's records as the rule and the blocking see them, in one vocabulary (the fields the
     * rule names); by default the records as they are, for sides that name their fields alike.
     */
    public Builder views(UnaryOperator<Fields> a, UnaryOperator<Fields> b) {
      once("views", this.viewA, null);
      this.viewA = settings.notNull(a, "view of side A");
      this.viewB = settings.notNull(b, "view of side B");
      return this;
    }

    /** Which records of each side take part; required ({@link ScopeCriteria#all()} for all). Others are neither matched nor written. */
    public Builder scopes(ScopeCriteria<Fields> a, ScopeCriteria<Fields> b) {
      once("scopes", this.scopeA, null);
      this.scopeA = settings.notNull(a, "scope of side A");
      this.scopeB = settings.notNull(b, "scope of side B");
      return this;
    }

    /** Whether two records are one entity; required. */
    public Builder rule(MatchRule rule) {
      once("match rule", this.rule, null);
      this.rule = settings.notNull(rule, "rule");
      return this;
    }

    /** Which pairs the rule scores at all; required. The report says how many pairs it produced. */
    public Builder blocking(Blocking blocking) {
      once("blocking", this.blocking, null);
      this.blocking = settings.notNull(blocking, "blocking");
      return this;
    }

    /**
     * The scores decisions turn on; required. A pair the assignment gives a score at or above
     * {@code link} is linked; at or above {@code review}, queued for a person. Choose them from the
     * report's {@link Histogram}: the link threshold in the valley between the humps of
     * non-matches and matches, the review threshold at the valley's lower edge.
     *
     * @throws SetupException where {@code review} is above {@code link}, or either is not a number
     */
    public Builder thresholds(double link, double review) {
      once("thresholds", this.link, this.link);
      if (Double.isNaN(link) || Double.isNaN(review) || Double.isInfinite(review)) {
        throw new SetupException(label() + ": thresholds must be numbers, were " + link + " and " + review);
      }
      if (review > link) {
        throw new SetupException(label() + ": the review threshold (" + review + ") must not be above the link threshold (" + link + ")");
      }
      this.link = link;
      this.review = review;
      return this;
    }

    /**
     * How close a record's two best candidates may score before it is AMBIGUOUS (reported, not
     * linked); 0 or more, by default 0: only an exact tie is.
     */
    public Builder ambiguityMargin(double margin) {
      once("ambiguity margin", this.margin, this.margin);
      if (!(margin >= 0) || Double.isInfinite(margin)) {
        throw new SetupException(label() + ": the ambiguity margin must be 0 or more, was " + margin);
      }
      this.margin = margin;
      return this;
    }

    /**
     * Fields (of the views) that must be equal, once normalised, for a pair to be linked whatever
     * it scores: a pair the rule would link with one differing waits for review instead.
     */
    public Builder require(String... fields) {
      for (String f : fields) {
        required.add(settings.notNull(f, "field"));
      }
      return this;
    }

    /** How a linked pair both sides changed is decided; required. */
    public Builder conflicts(ConflictPolicy policy) {
      once("conflict policy", this.conflicts, null);
      this.conflicts = settings.notNull(policy, "policy");
      return this;
    }

    /** Where the crosswalk, the people's decisions and the sync's links are kept; by default in this object's memory. */
    public Builder state(StateStore store) {
      settings.state(store);
      return this;
    }

    /** How transient failures are retried; by default {@link RetryPolicy#defaults()}. */
    public Builder retry(RetryPolicy retry) {
      settings.retry(retry);
      return this;
    }

    /** Receives every write outcome as it happens, and the sync's report at each round's end. */
    public Builder resultCapture(ResultCapture capture) {
      settings.resultCapture(capture);
      return this;
    }

    /**
     * How much of a system's error text the reports keep ({@link ReasonDetail}); by default the
     * first line of its message. Logs never carry it.
     */
    public Builder reasonDetail(ReasonDetail detail) {
      settings.reasonDetail(detail);
      return this;
    }

    /**
     * How many changes of a side are read at once, for the matching and for the sync of linked
     * pairs (which decides and writes them at once); 5,000 unless set.
     */
    public Builder batchSize(int changes) {
      settings.batchSize(changes);
      return this;
    }

    /** How many pairs may fail in the sync of linked pairs before its round stops; 1,000 unless set. */
    public Builder failureLimit(long failures) {
      settings.failureLimit(failures);
      return this;
    }

    /** How often a long round logs its progress at INFO (and tells it to listeners regardless); 10 seconds unless set. */
    public Builder progressEvery(Duration every) {
      settings.progressEvery(every);
      return this;
    }

    /** The factory of the correlation's threads (its sync's, its schedules): the host's own; unless set, daemon threads. */
    public Builder threads(ThreadFactory factory) {
      settings.threads(factory);
      return this;
    }

    /**
     * The correlation.
     *
     * @throws SetupException naming every missing element: "Correlation 'patients' needs a match rule and thresholds"
     */
    public Correlation build() {
      List<String> missing = new ArrayList<>();
      if (settings.name() == null) {
        missing.add("a name");
      }
      if (a == null) {
        missing.add("side A");
      }
      if (b == null) {
        missing.add("side B");
      }
      if (aToB == null) {
        missing.add("a mapping");
      }
      if (scopeA == null) {
        missing.add("scopes");
      }
      if (rule == null) {
        missing.add("a match rule");
      }
      if (blocking == null) {
        missing.add("a blocking");
      }
      if (link == null) {
        missing.add("thresholds");
      }
      if (conflicts == null) {
        missing.add("a conflict policy");
      }
      Once.needs(label(), missing);
      return new Correlation(this);
    }

    private void once(String setting, Object current, Object shown) {
      Once.check(label(), setting, current, shown);
    }

    private String label() {
      return settings.label();
    }
  }
}
