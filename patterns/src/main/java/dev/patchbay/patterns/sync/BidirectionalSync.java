package dev.patchbay.patterns.sync;

import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.internal.Catalogued;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.ProgressListener;
import dev.patchbay.patterns.Schedule;
import dev.patchbay.patterns.internal.Settings;
import dev.patchbay.patterns.internal.Declared;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Once;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps two systems' records as one: what changes on either side since the last round is carried
 * to the other. Immutable; build one with {@link #builder()}, run a round with {@link #round()}.
 *
 * <p>What a round promises (S1 to S5 of docs/promises.md):
 * <ul>
 *   <li><b>Convergence.</b> After a round with no edits during it, every in-scope record exists on
 *       both sides and linked records are equal on the mapped fields (unless a write was refused, or
 *       a conflict is parked for review: both are reported).</li>
 *   <li><b>Quiescence.</b> A round after a converged round writes nothing. The sync knows the values
 *       it wrote (the base of each link), so its own writes coming back through a feed are seen for
 *       what they are, while a person's edit to a record the sync just wrote is carried over. No
 *       integration user has to be excluded, and a value already there is never written again.</li>
 *   <li><b>Explicit conflicts.</b> A pair both sides changed since the last round, to different
 *       values, is a conflict, found against the base and decided by the {@link ConflictPolicy}; the
 *       report lists each once, with both versions. Each pair is decided from both sides at once,
 *       so the result does not depend on which side is read first.</li>
 *   <li><b>Deletes.</b> A delete propagates or not per the {@link DeletePolicy}; either way the
 *       pair is closed and never brought back. A round that would delete more than the mass-delete
 *       share of the linked records on either side writes nothing and ends BLOCKED, saying so.</li>
 *   <li><b>Creates once.</b> The key a new record gets on the other side is chosen, and recorded
 *       as a pending link, before the record is written; a round that crashes between the write
 *       and the link finds the record under that key next time and links it.</li>
 * </ul>
 *
 * <p>A round reads each side's change feed from where the last completed round left it, so it
 * costs in proportion to the changes, not to the size of the tables. Feed positions are saved only
 * after the round's writes are done. Both sides' payloads are {@link Fields}; the mapping names
 * side B's fields in side A's terms and back. Log lines carry the MDC keys
 * {@code patchbay.pattern} ({@code sync}) and {@code patchbay.name}; values are never logged.
 */
public final class BidirectionalSync implements Pattern<SyncReport> {

  private static final Logger LOG = LoggerFactory.getLogger(BidirectionalSync.class);

  /** One side: a system whose changes can be read since a checkpoint, read by key and written. */
  record Endpoint(ChangeFeed<Fields> feed, Lookup<Fields> lookup, Destination<Fields> destination, String label) {
  }

  final String name;
  final Endpoint a;
  final Endpoint b;
  final UnaryOperator<Fields> aToB;
  final UnaryOperator<Fields> bToA;
  final ScopeCriteria<Fields> scopeA;
  final ScopeCriteria<Fields> scopeB;
  final Function<Envelope<Fields>, String> bKeyFor;
  final Function<Envelope<Fields>, String> aKeyFor;
  final ConflictPolicy conflicts;
  final DeletePolicy deletes;
  final double massDeleteShare;
  final int massDeleteFloor;
  final RecreatedPolicy recreated;
  final boolean creates;
  final StateStore state;
  final Engine<SyncReport> engine;
  final RetryPolicy retry;
  final ReasonDetail reasonDetail;
  final int batchSize;
  final long failureLimit;
  final ResultCapture capture;

  private BidirectionalSync(Builder b) {
    this.name = b.parts == 0 ? b.settings.name() : b.settings.name() + "-part" + b.part + "of" + b.parts;
    this.a = b.a;
    this.b = b.b;
    this.aToB = b.aToB;
    this.bToA = b.bToA;
    this.bKeyFor = b.bKeyFor != null ? b.bKeyFor : Envelope::key;
    if (b.parts == 0) {
      this.scopeA = b.scopeA;
      this.scopeB = b.scopeB;
    } else {
      int part = b.part;
      int parts = b.parts;
      String share = "keys in part " + part + " of " + parts;
      this.scopeA = b.scopeA.and(ScopeCriteria.where(share, r -> partOf(r.key(), parts) == part));
      Function<Envelope<Fields>, String> aKeyOfB = this.bKeyFor;
      this.scopeB = b.scopeB.and(ScopeCriteria.where(share, r -> partOf(aKeyOfB.apply(r), parts) == part));
    }
    this.aKeyFor = b.aKeyFor != null ? b.aKeyFor : Envelope::key;
    this.conflicts = b.conflicts;
    this.deletes = b.deletes != null ? b.deletes : DeletePolicy.PROPAGATE;
    this.massDeleteShare = b.massDeleteShare != null ? b.massDeleteShare : Builder.DEFAULT_MASS_DELETE_SHARE;
    this.massDeleteFloor = b.massDeleteFloor != null ? b.massDeleteFloor : Builder.DEFAULT_MASS_DELETE_FLOOR;
    this.recreated = b.recreated != null ? b.recreated : RecreatedPolicy.REPORT;
    this.creates = b.creates == null || b.creates;
    this.state = b.settings.state();
    this.retry = b.settings.retry();
    this.reasonDetail = b.settings.reasonDetail();
    this.batchSize = b.settings.batchSizeOr(Builder.DEFAULT_BATCH_SIZE);
    this.failureLimit = b.settings.failureLimitOr(Builder.DEFAULT_FAILURE_LIMIT);
    this.capture = b.settings.resultCapture();
    this.engine = new Engine<>("sync", name, b.settings.label(), state, capture, b.settings);
  }

  /** The part of {@code parts} a pair with A key {@code aKey} belongs to: the same in every JVM ({@code String.hashCode} is specified). */
  static int partOf(String aKey, int parts) {
    return Math.floorMod(aKey.hashCode() * 0x9E3779B9, parts);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /** One round, as {@link #round()}. */
  @Override
  public SyncReport run() {
    return round();
  }

  /**
   * A dry run of a round, as {@link Pattern#plan()} says: both sides' changes read and every pair
   * decided as a round would, the writes to each side planned ("a", "b") against what it holds,
   * and nothing written or saved (links, positions). A round that would be BLOCKED by the
   * mass-delete limit is planned as BLOCKED.
   */
  @Override
  public Plan<SyncReport> plan() {
    return engine.plan("Sync '" + name + "' is already running a round; a sync runs one round at a time",
        run -> new SyncRound(this, run, 0).run());
  }

  /** Runs a round now, then again {@code interval} after each one ends, as {@link Pattern#every} says. */
  @Override
  public Schedule every(Duration interval, Consumer<? super SyncReport> reports) {
    return engine.every(interval, reports, this::round);
  }

  /** Ends the round under way after the chunk it is on, its links and positions saved: reported STOPPED; the next round goes on. */
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
   * Runs one round: reads both sides' changes since the last completed round, decides every pair
   * they touch, writes, then saves the links and feed positions.
   *
   * @return the report: COMPLETED, BLOCKED (a mass delete; nothing written) or FAILED (a side could
   *     not be read or written; the next round starts from the same positions)
   * @throws SetupException if a round of this sync is already running
   */
  public SyncReport round() {
    return round(0);
  }

  /**
   * Runs one round as {@link #round()} does, allowed to delete up to {@code deletesAllowed}
   * records on each side whatever the mass-delete limit: for a round that was BLOCKED, once its
   * deletes have been checked and are meant (the BLOCKED message names the number).
   *
   * @throws SetupException if a round of this sync is already running, or the allowance is negative
   */
  public SyncReport round(int deletesAllowed) {
    if (deletesAllowed < 0) {
      throw new SetupException("Sync '" + name + "': a round's delete allowance must not be negative, was " + deletesAllowed);
    }
    return engine.run("Sync '" + name + "' is already running a round; a sync runs one round at a time",
        run -> new SyncRound(this, run, deletesAllowed).run());
  }

  /**
   * This sync as rows of the integration catalog (K1), one a direction (A to B, then B to A):
   * pattern {@code Bi-directional sync}, synchronization type {@code Delta}, and from the sides
   * where they are connectors, the data element, systems, owners, method, sensitive fields and
   * encryption. The trigger is {@code Schedule} unless declared; the rest (status, volumes,
   * frequency, notes) is {@code declared}, for both directions alike.
   *
   * @throws IllegalArgumentException naming what neither the connectors nor the declaration gave
   */
  public List<CatalogEntry> catalogEntries(UnaryOperator<CatalogEntry.Builder> declared) {
    UnaryOperator<CatalogEntry.Builder> scheduled = b -> declared.apply(b.trigger(CatalogEntry.Trigger.SCHEDULE));
    return List.of(direction(a, b, scheduled), direction(b, a, scheduled));
  }

  private CatalogEntry direction(Endpoint from, Endpoint to, UnaryOperator<CatalogEntry.Builder> declared) {
    return Catalogued.entry(name, CatalogEntry.Pattern.BIDIRECTIONAL_SYNC, null, CatalogEntry.SyncType.DELTA,
        from.destination(), to.destination(), declared);
  }

  /**
   * Settles a conflict a round parked for review ({@link ConflictPolicy#manual()}, or a policy that
   * parks) as a person decided: both records are read, and if each still holds what the conflict
   * shows, the decision is written to both sides, the pair's link saved, and the pair no longer
   * parked. Takes the place of a round: none runs meanwhile.
   *
   * @param conflict a conflict from a report of this sync's
   * @param decision to keep values (in side A's field names) or to delete on both sides
   * @return COMPLETED, with what was written; BLOCKED, with nothing written, where either record
   *     changed since the conflict was reported (the next round decides the pair afresh) or the
   *     keys are not a pair of this sync's; FAILED where a side could not be written
   * @throws IllegalArgumentException if the decision parks again
   * @throws SetupException if a round of this sync is running
   */
  public SyncReport settle(Conflict conflict, Resolution decision) {
    Objects.requireNonNull(conflict, "conflict");
    Objects.requireNonNull(decision, "decision");
    if (decision.kind() == Resolution.Kind.PARK) {
      throw new IllegalArgumentException("Sync '" + name + "': a decision on conflict " + conflict.aKey()
          + " keeps values or deletes; PARK leaves it as it is");
    }
    return engine.run("Sync '" + name + "' is running a round; settle the conflict when it has ended",
        run -> new SyncRound(this, run, 0).settle(conflict, decision));
  }

  /**
   * Has the next round decide the pairs of these keys whether or not their records changed: for
   * pairs whose keys were changed outside the sync (a person linking two records), or after a
   * mapping was mended. Takes the place of a round: none runs meanwhile.
   *
   * @throws SetupException if a round of this sync is running
   */
  public void revisit(Collection<String> aKeys, Collection<String> bKeys) {
    Objects.requireNonNull(aKeys, "aKeys");
    Objects.requireNonNull(bKeys, "bKeys");
    engine.hold("Sync '" + name + "' is running a round; revisit its pairs when it has ended", held -> {
      Links links = new Links(held, warning -> LOG.warn("Sync '{}': {}", name, warning));
      links.revisit(aKeys, bKeys);
      return null;
    });
  }

  /**
   * Forgets the pairs of these side A keys: the records stay as they are on both sides, and a later
   * round treats each as a record not linked yet (for pairs linked by mistake, or ended outside the
   * sync). Keys with no pair are passed over. Takes the place of a round: none runs meanwhile.
   *
   * @throws SetupException if a round of this sync is running
   */
  public void unlink(Collection<String> aKeys) {
    Objects.requireNonNull(aKeys, "aKeys");
    engine.hold("Sync '" + name + "' is running a round; unlink its pairs when it has ended", held -> {
      Links links = new Links(held, warning -> LOG.warn("Sync '{}': {}", name, warning));
      links.unlink(aKeys);
      return null;
    });
  }

  @Override
  public String toString() {
    return "BidirectionalSync[" + name + ": " + a.label + " <-> " + b.label + "]";
  }

  /** Builds a {@link BidirectionalSync}; {@link #build()} names every missing element. */
  public static final class Builder {
    static final double DEFAULT_MASS_DELETE_SHARE = 0.2;
    static final int DEFAULT_MASS_DELETE_FLOOR = 10;
    /** The batch size unless set. */
    public static final int DEFAULT_BATCH_SIZE = 5_000;
    /** The failure limit unless set. */
    public static final long DEFAULT_FAILURE_LIMIT = 1_000;

    private Endpoint a;
    private Endpoint b;
    private UnaryOperator<Fields> aToB;
    private UnaryOperator<Fields> bToA;
    private ScopeCriteria<Fields> scopeA;
    private ScopeCriteria<Fields> scopeB;
    private Function<Envelope<Fields>, String> bKeyFor;
    private Function<Envelope<Fields>, String> aKeyFor;
    private ConflictPolicy conflicts;
    private DeletePolicy deletes;
    private Double massDeleteShare;
    private Integer massDeleteFloor;
    private RecreatedPolicy recreated;
    private Boolean creates;
    private int part;
    private int parts;
    final Settings settings = new Settings("Sync");

    private Builder() {
    }

    /** The name in every log line, report and error; required, not blank. */
    public Builder name(String name) {
      settings.name(name);
      return this;
    }

    /** Side A: a connector that reads changes, reads by key and writes; required. */
    public <C extends ChangeFeed<Fields> & Lookup<Fields> & Destination<Fields>> Builder sideA(C connector) {
      once("side A", this.a, this.a == null ? null : this.a.label);
      this.a = new Endpoint(connector, connector, connector, connector.toString());
      return this;
    }

    /** Side B, as side A; required. */
    public <C extends ChangeFeed<Fields> & Lookup<Fields> & Destination<Fields>> Builder sideB(C connector) {
      once("side B", this.b, this.b == null ? null : this.b.label);
      this.b = new Endpoint(connector, connector, connector, connector.toString());
      return this;
    }

    /**
     * How a record's fields read on the other side; required. The two should be each other's
     * inverse on the fields they map: {@code bToA.apply(aToB.apply(x))} holds x's mapped fields.
     */
    public Builder mapping(UnaryOperator<Fields> aToB, UnaryOperator<Fields> bToA) {
      once("mapping", this.aToB, null);
      this.aToB = settings.notNull(aToB, "mapping from A to B");
      this.bToA = settings.notNull(bToA, "mapping from B to A");
      return this;
    }

    /** Which records of each side are synced; required ({@link ScopeCriteria#all()} for all). */
    public Builder scopes(ScopeCriteria<Fields> a, ScopeCriteria<Fields> b) {
      once("scopes", this.scopeA, null);
      this.scopeA = settings.notNull(a, "scope of side A");
      this.scopeB = settings.notNull(b, "scope of side B");
      return this;
    }

    /** How conflicts are decided; required. */
    public Builder conflicts(ConflictPolicy policy) {
      once("conflict policy", this.conflicts, null);
      this.conflicts = settings.notNull(policy, "policy");
      return this;
    }

    /** What a delete does to the other side; by default {@link DeletePolicy#PROPAGATE}. */
    public Builder deletes(DeletePolicy policy) {
      once("delete policy", this.deletes, this.deletes);
      this.deletes = settings.notNull(policy, "policy");
      return this;
    }

    /**
     * The share of either side's linked records a round may delete; a round that would delete more
     * (and more than the {@linkplain #massDeleteFloor floor}) is BLOCKED, and {@link #round(int)}
     * lets a checked one through. From 0 to 1; by default 0.2.
     */
    public Builder massDeleteShare(double share) {
      once("mass-delete share", this.massDeleteShare, this.massDeleteShare);
      if (!(share >= 0 && share <= 1)) {
        throw new SetupException(label() + ": mass-delete share must be between 0 and 1, was " + share);
      }
      this.massDeleteShare = share;
      return this;
    }

    /**
     * How many deletes a side may take in one round whatever the share: a small sync is not blocked
     * for deleting one of its four records. 0 or more; by default 10.
     */
    public Builder massDeleteFloor(int deletes) {
      once("mass-delete floor", this.massDeleteFloor, this.massDeleteFloor);
      if (deletes < 0) {
        throw new SetupException(label() + ": mass-delete floor must not be negative, was " + deletes);
      }
      this.massDeleteFloor = deletes;
      return this;
    }

    /** What a record created again under the key of a deleted pair does; by default {@link RecreatedPolicy#REPORT}. */
    public Builder recreated(RecreatedPolicy policy) {
      once("re-created policy", this.recreated, this.recreated);
      this.recreated = settings.notNull(policy, "policy");
      return this;
    }

    /**
     * Whether a record held on one side only is created on the other; by default it is. Where not,
     * only pairs whose records both sides hold already (under the {@linkplain #keys keys} given)
     * are synced, and a record on one side only is counted skipped there: nothing about it reaches
     * the other side.
     */
    public Builder creates(boolean creates) {
      once("creates", this.creates, this.creates);
      this.creates = creates;
      return this;
    }

    /**
     * This sync takes only part {@code part} of {@code parts} of the pairs, split by a hash of the
     * pair's A key (for a record of side B, the A key {@link #keys} gives it), so that several
     * processes share one sync, each running its own part: pairs never move between parts, and
     * each part has its own name ({@code name-part0of2}), its own links and feed positions in the
     * shared state store, and its own round, which a second process running the same part is
     * refused. Every part reads both sides' whole change feeds and skips what is not its own, so
     * {@code parts} processes read {@code parts} times over: the parts share the writes, the
     * comparisons and the state, not the reads.
     *
     * @throws SetupException where {@code parts} is below 2 or {@code part} is not in 0 to {@code parts - 1}
     */
    public Builder keyRange(int part, int parts) {
      once("keyRange", this.parts == 0 ? null : this.parts, this.parts == 0 ? null : this.part + " of " + this.parts);
      if (parts < 2 || part < 0 || part >= parts) {
        throw new SetupException(label() + ": keyRange takes part 0 to parts - 1 of 2 or more parts, was part " + part + " of " + parts);
      }
      this.part = part;
      this.parts = parts;
      return this;
    }

    /**
     * The keys records created by the sync get on each side, from the record on the other side;
     * by default the same key. Must be deterministic: a create is retried under the same key.
     */
    public Builder keys(Function<Envelope<Fields>, String> bKeyForA, Function<Envelope<Fields>, String> aKeyForB) {
      once("keys", this.bKeyFor, null);
      this.bKeyFor = settings.notNull(bKeyForA, "B key for an A key");
      this.aKeyFor = settings.notNull(aKeyForB, "A key for a B key");
      return this;
    }

    /**
     * Where links and feed positions are kept, saved together after each chunk; by default in this
     * object's memory. {@link StateStore#directory} keeps them in files; for more than a few hundred
     * thousand links, keep them in a database ({@code JdbcStateStore}).
     */
    public Builder state(StateStore store) {
      settings.state(store);
      return this;
    }

    /** How transient failures are retried; by default {@link RetryPolicy#defaults()}. */
    public Builder retry(RetryPolicy retry) {
      settings.retry(retry);
      return this;
    }

    /**
     * Changes a round takes from each side's feed at a time (1 to 100,000; by default 5,000): a
     * round decides, writes and saves its links and positions one such chunk after another, so it
     * holds one chunk in memory however long the backlog. A round larger than one chunk first reads
     * the feeds' deletes once more to check the mass-delete limit before anything is written.
     */
    public Builder batchSize(int changes) {
      settings.batchSize(changes);
      return this;
    }

    /**
     * How many pairs may fail in one round (a refused write, a mapping that fails) before it stops
     * FAILED after the chunk under way, its links and positions saved; by default 1,000.
     */
    public Builder failureLimit(long failures) {
      settings.failureLimit(failures);
      return this;
    }

    /**
     * Receives every write outcome of every round as it happens, on the round's thread, and each
     * round's report at its end; by default nothing does.
     */
    public Builder resultCapture(ResultCapture capture) {
      settings.resultCapture(capture);
      return this;
    }

    /**
     * How much of a system's error text a FAILED round's report keeps; by default
     * {@link ReasonDetail#SYSTEM_MESSAGE} (its first line). Logs never carry it.
     */
    public Builder reasonDetail(ReasonDetail detail) {
      settings.reasonDetail(detail);
      return this;
    }

    /** How often a long round logs its progress at INFO (and tells it to listeners at each chunk regardless); 10 seconds unless set. */
    public Builder progressEvery(Duration every) {
      settings.progressEvery(every);
      return this;
    }

    /** The factory of the sync's threads (side B's reads and writes, schedules): the host's own; unless set, daemon threads. */
    public Builder threads(ThreadFactory factory) {
      settings.threads(factory);
      return this;
    }

    /**
     * The sync.
     *
     * @throws SetupException naming every missing element: "Sync 'crm-permits' needs side B and a conflict policy"
     */
    public BidirectionalSync build() {
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
      if (conflicts == null) {
        missing.add("a conflict policy");
      }
      Once.needs(label(), missing);
      BidirectionalSync built = new BidirectionalSync(this);
      built.engine.inMdc(() -> {
        Declared.deletesVisible(label(), "side A", a.feed(), built.deletes);
        Declared.deletesVisible(label(), "side B", b.feed(), built.deletes);
        return null;
      });
      return built;
    }

    private void once(String setting, Object current, Object shown) {
      Once.check(label(), setting, current, shown);
    }

    private String label() {
      return settings.label();
    }
  }
}
