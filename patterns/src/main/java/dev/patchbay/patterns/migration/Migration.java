package dev.patchbay.patterns.migration;

import dev.patchbay.core.Destination;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.internal.Catalogued;
import dev.patchbay.patterns.internal.Settings;
import dev.patchbay.patterns.internal.Declared;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.patterns.Parameters;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.ProgressListener;
import dev.patchbay.patterns.Schedule;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import dev.patchbay.patterns.internal.Once;
import java.util.ArrayList;
import java.util.List;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Moves the in-scope records of a {@link Source} into a {@link Destination}, transformed, in
 * batches. Immutable and valid from construction; build one with {@link #builder()}.
 *
 * <p>What a run promises:
 * <ul>
 *   <li><b>No silent loss.</b> Every in-scope record ends in the destination in its transformed
 *       form, or is listed as failed in the report with key, stage, field and reason. Every record
 *       read has exactly one outcome.</li>
 *   <li><b>Idempotent.</b> Running again after a completed run changes nothing: every record is
 *       UNCHANGED.</li>
 *   <li><b>Resumable.</b> After each batch the destination has durably accepted, the source
 *       position, counts and failures are saved together in the {@link StateStore}. A run that
 *       stops at any point (an exception, a kill, a power loss) is finished by running again: it
 *       re-reads at most the batches that were in flight (one, unless told to read ahead or to use
 *       more writers) and never re-writes a committed batch. A
 *       completed run clears its checkpoint, so the next run starts from the beginning.</li>
 *   <li><b>Bounded memory.</b> One batch is held at a time (one more with
 *       {@linkplain Builder#readAhead read-ahead}, and one per {@linkplain Builder#writers writer}),
 *       plus the failures (at most the failure limit).</li>
 *   <li><b>Graceful failure.</b> A record the transform or destination rejects is reported and not
 *       retried. A {@link dev.patchbay.core.TransientException} from the destination is retried per
 *       the {@link RetryPolicy}. When more records have failed than the failure limit, the run stops
 *       as FAILED with a checkpoint just after the record that crossed the limit, and a message
 *       that names the limit; a later run (with a higher limit) goes on from there. A source that
 *       fails ends the run FAILED; it is never taken for the end of the data.</li>
 *   <li><b>Plan before act.</b> {@link #dryRun(Lookup)} returns the writes a run would make, and
 *       makes none.</li>
 *   <li><b>Reconciled.</b> Where the destination is also a {@link Lookup}, a completed run ends by
 *       comparing the desired state (the in-scope source, transformed) with what the destination
 *       holds: counts, missing keys and differing fields.</li>
 * </ul>
 *
 * <p>The run executes on the calling thread, unless told to {@linkplain Builder#readAhead read
 * ahead} or to use more {@linkplain Builder#writers writers}; those threads are the run's own and
 * end with it. Log lines carry the MDC keys
 * {@code patchbay.pattern} ({@code migration}) and {@code patchbay.name}; record payloads are never
 * logged. One instance may be run many times, one run at a time (a concurrent call is refused).
 *
 * @param <S> the source payload type
 * @param <T> the destination payload type
 */
public final class Migration<S, T> implements Pattern<RunReport> {

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Migration.class);

  final String name;
  /** Where a full copy reads; null for a delta migration. */
  final Source<S> source;
  /** Where a delta migration reads; null for a full copy. */
  final ChangeFeed<S> feed;
  /** What a delta migration does with a record deleted at the source; null for a full copy. */
  final DeletePolicy deletes;
  /** The scope of a run, from its parameters (one scope for all where given fixed). */
  final Function<Parameters, ScopeCriteria<S>> scopeFor;
  /** The transform of a run, from its parameters. */
  final Function<Parameters, Transform<S, T>> transformFor;
  private final String transformVersion;
  final Destination<T> destination;
  final ResultCapture capture;
  final int batchSize;
  final long failureLimit;
  final RetryPolicy retry;
  final ReasonDetail reasonDetail;
  final StateStore state;
  final boolean reconcile;
  final boolean readAhead;
  final int writers;
  /** What this migration is, element by element, as its checkpoints record it. */
  final Map<String, String> fingerprint;
  final Engine<RunReport> engine;

  private Migration(Builder<S, T> b) {
    this.name = b.settings.name();
    this.source = b.source;
    this.feed = b.feed;
    this.deletes = b.deletes;
    ScopeCriteria<S> fixedScope = b.scope;
    Transform<S, T> fixedTransform = b.transform;
    this.scopeFor = fixedScope != null ? p -> fixedScope : b.scopeFor;
    this.transformFor = fixedTransform != null ? p -> fixedTransform : b.transformFor;
    this.transformVersion = b.transformVersion;
    this.destination = b.destination;
    this.capture = b.settings.resultCapture();
    this.batchSize = b.settings.batchSizeOr(Builder.DEFAULT_BATCH_SIZE);
    this.failureLimit = b.settings.failureLimitOr(Builder.DEFAULT_FAILURE_LIMIT);
    this.retry = b.settings.retry();
    this.reasonDetail = b.settings.reasonDetail();
    this.state = b.settings.state();
    this.engine = new Engine<>("migration", name, b.settings.label(), state, capture, b.settings);
    this.reconcile = b.reconcile == null || b.reconcile;
    boolean concurrent = destination instanceof Connector c && c.description().can(Capability.CONCURRENT_WRITES)
        && (source != null ? source : feed) instanceof Connector;
    this.readAhead = b.readAhead != null ? b.readAhead : concurrent;
    this.writers = b.writers != null ? b.writers : concurrent ? Builder.CONCURRENT_WRITERS : 1;
    this.fingerprint = b.scope != null && b.transform != null ? bind(Parameters.none()).fingerprint() : Map.of();
  }

  /** A run's scope and transform, made from its parameters, and what its checkpoints record of the migration. */
  record Bound<S, T>(Parameters parameters, ScopeCriteria<S> scope, Transform<S, T> transform,
                     Map<String, String> fingerprint) {
  }

  /**
   * This migration as a run with {@code parameters} sees it.
   *
   * @throws SetupException where the scope or transform cannot be made of them (a parameter missing)
   */
  Bound<S, T> bind(Parameters parameters) {
    ScopeCriteria<S> scope = Objects.requireNonNull(scopeFor.apply(parameters), "the scope made of the parameters");
    Transform<S, T> transform = Objects.requireNonNull(transformFor.apply(parameters), "the transform made of the parameters");
    Map<String, String> f = new LinkedHashMap<>();
    f.put("source", described(source != null ? source : feed));
    f.put("scope", scope.describe());
    f.put("transform", transformVersion != null ? transformVersion : described(transform));
    f.put("destination", described(destination));
    if (!parameters.isEmpty()) {
      f.put("parameters", parameters.toString());
    }
    return new Bound<>(parameters, scope, transform, Collections.unmodifiableMap(f));
  }

  /** What a checkpoint records of an element that does not describe itself: it matches any. */
  static final String UNDESCRIBED = "undescribed";

  /**
   * An element as its {@code toString} describes it (connectors name their system and table or
   * file), or, where that is Java's default (a lambda), only that it is {@link #UNDESCRIBED}: a
   * lambda's class name changes from one JVM to the next, so nothing can be compared.
   */
  private static String described(Object element) {
    String s = element.toString();
    String plain = element.getClass().getName() + "@" + Integer.toHexString(element.hashCode());
    return element.getClass().isSynthetic() || s.equals(plain) || s.contains("$$Lambda") ? UNDESCRIBED : s;
  }

  /**
   * A builder. The payload types come from the elements: {@link Builder#source} gives the source's,
   * {@link Builder#transform} the destination's, so {@code Migration.builder().source(legacy)
   * .transform(toCase).destination(cases)} needs no type witness, and a destination of another
   * type than the transform makes does not compile.
   */
  public static Builder<Object, Object> builder() {
    return new Builder<>();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Runs the migration, resuming from the saved checkpoint if the last run did not complete.
   *
   * @return the report; status COMPLETED, FAILED (with the reason in {@code message()} and the
   *     checkpoint the next run resumes from) or STOPPED (by {@link #stop()}, at a checkpoint)
   * @throws SetupException if the saved checkpoint cannot be read, or this migration is already
   *     running, or another run of its name holds its checkpoint (in another process, say)
   */
  @Override
  public RunReport run() {
    return runWith(Parameters.none());
  }

  /**
   * Runs the migration with {@code parameters}, which its scope and transform read
   * ({@link Builder#scopeFor}, {@link Builder#transformFor}): one composed migration serving many
   * requests. Each set of values is a run of its own in the state store (its checkpoint under
   * {@link Parameters#stateName}), resumed only by a run of the same values.
   *
   * ({@code runWith}, not an overload of {@code run}: {@code executor.submit(migration::run)} stays unambiguous.)
   *
   * @throws SetupException as {@link #run()}, or where a parameter the scope or transform reads is missing
   */
  public RunReport runWith(Parameters parameters) {
    Bound<S, T> bound = bind(Objects.requireNonNull(parameters, "parameters"));
    return engine.run(busy(), parameters.stateName(name), run -> new MigrationRun<>(this, bound, run, null).execute());
  }

  /** Runs now, then every {@code interval} after each run ends (a delta migration reads what changed meanwhile). */
  @Override
  public Schedule every(Duration interval, Consumer<? super RunReport> reports) {
    return engine.every(interval, reports, this::run);
  }

  /** Ends the run under way after the batch it is writing, its checkpoint saved: reported STOPPED; the next run resumes there. */
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
   * Plans a run from the saved checkpoint, as {@link Pattern#plan()} says, reading what the
   * destination holds through it (where it is a {@link Lookup}; else each write is planned as an
   * upsert whose effect is unknown).
   */
  @Override
  public Plan<RunReport> plan() {
    return planWith(Parameters.none());
  }

  /** A dry run of {@link #runWith(Parameters)}. */
  public Plan<RunReport> planWith(Parameters parameters) {
    Bound<S, T> bound = bind(Objects.requireNonNull(parameters, "parameters"));
    return engine.plan(busy(), parameters.stateName(name), run -> new MigrationRun<>(this, bound, run, null).execute());
  }

  /**
   * Plans a run as {@link #plan()} does, asking {@code current} what the destination holds: for a
   * destination that cannot be read by key itself, or to plan against another copy of it.
   *
   * @param current what the destination holds
   */
  public Plan<RunReport> dryRun(Lookup<T> current) {
    Objects.requireNonNull(current, "current");
    Bound<S, T> bound = bind(Parameters.none());
    return engine.plan(busy(), name, run -> new MigrationRun<>(this, bound, run, current).execute());
  }

  private String busy() {
    return "Migration '" + name + "' is already running; a migration runs once at a time";
  }

  /**
   * Refuses to resume from progress a run of another setup saved: half the destination from one
   * transform or table, half from another.
   *
   * @throws SetupException naming every element that differs, and how to start over
   */
  void sameRun(Progress saved, Map<String, String> fingerprint, String stateName) {
    if (saved.run().isEmpty()) {
      return;   // saved before runs described themselves
    }
    List<String> changed = new ArrayList<>();
    fingerprint.forEach((element, now) -> {
      String was = saved.run().get(element);
      if (was != null && !was.equals(now) && !was.equals(UNDESCRIBED) && !now.equals(UNDESCRIBED)) {
        changed.add(element + " (was '" + was + "', now '" + now + "')");
      }
    });
    if (!changed.isEmpty()) {
      throw new SetupException("Migration '" + name + "' cannot resume: its checkpoint #" + saved.sequence()
          + " was saved by a run with another " + String.join(", another ", changed) + ". Finish it as it was set up,"
          + " or start over: clear its state (StateStore.open(\"" + stateName + "\").clear())");
    }
  }

  /**
   * This migration as a row of the integration catalog (K1): pattern {@code Migration}, trigger
   * {@code On demand}, synchronization type {@code Full copy}, and from the source and destination
   * where they are connectors, the data element, systems, owners, method, sensitive fields and
   * encryption. The rest (status, volumes, frequency, notes, and what no connector says) is
   * {@code declared}: {@code b -> b.status(IN_PRODUCTION).volumes(2_000L, 0L).frequency(ONCE)}.
   *
   * @throws IllegalArgumentException naming what neither the connectors nor the declaration gave
   */
  public CatalogEntry catalogEntry(UnaryOperator<CatalogEntry.Builder> declared) {
    return Catalogued.entry(name, CatalogEntry.Pattern.MIGRATION, CatalogEntry.Trigger.ON_DEMAND,
        feed != null ? CatalogEntry.SyncType.DELTA : CatalogEntry.SyncType.FULL, source != null ? source : feed,
        destination, declared);
  }

  @Override
  public String toString() {
    return "Migration[" + name + "]";
  }

  /**
   * Builds a {@link Migration}. Name, source, scope, transform and destination are required; each
   * setting may be given once. {@link #build()} names every missing element.
   *
   * @param <S> the source payload type
   * @param <T> the destination payload type
   */
  public static final class Builder<S, T> {

    static final int DEFAULT_BATCH_SIZE = 500;
    static final long DEFAULT_FAILURE_LIMIT = 100;
    static final int MAX_WRITERS = 16;
    /** The writers of a migration between connectors whose destination declares {@link Capability#CONCURRENT_WRITES}. */
    static final int CONCURRENT_WRITERS = 3;

    private Source<S> source;
    private ChangeFeed<S> feed;
    private DeletePolicy deletes;
    private ScopeCriteria<S> scope;
    private Transform<S, T> transform;
    private Function<Parameters, ScopeCriteria<S>> scopeFor;
    private Function<Parameters, Transform<S, T>> transformFor;
    private Destination<T> destination;
    private String transformVersion;
    private Boolean reconcile;
    private Boolean readAhead;
    private Integer writers;
    final Settings settings = new Settings("Migration");

    private Builder() {
    }

    /** The name in every log line, exception, report and checkpoint; required, not blank. */
    public Builder<S, T> name(String name) {
      settings.name(name);
      return this;
    }

    /**
     * Where records come from, each run reading all of them (a full copy); this or
     * {@link #changesOf} is required. Gives the builder the source's payload type.
     */
    @SuppressWarnings("unchecked") // sound: a scope or transform set before the source takes any payload (Object)
    public <X> Builder<X, T> source(Source<X> source) {
      once("source", this.source != null ? this.source : this.feed, null);
      Builder<X, T> typed = (Builder<X, T>) this;
      typed.source = settings.notNull(source, "source");
      return typed;
    }

    /**
     * Where records come from as changes (a delta migration; M7): the first run copies everything
     * the feed holds, and each later run only what changed since the last completed one, resuming
     * from its checkpoint where one did not complete. A record deleted at the source goes as
     * {@code deletes} says: {@link DeletePolicy#PROPAGATE} deletes the destination record this
     * migration wrote for it (the state keeps which key it wrote each source record under), and
     * only that one. The source's payload type, as {@link #source} gives it.
     */
    @SuppressWarnings("unchecked") // as source()
    public <X> Builder<X, T> changesOf(ChangeFeed<X> feed, DeletePolicy deletes) {
      once("source", this.source != null ? this.source : this.feed, null);
      Builder<X, T> typed = (Builder<X, T>) this;
      typed.feed = settings.notNull(feed, "change feed");
      typed.deletes = settings.notNull(deletes, "delete policy");
      return typed;
    }

    /** Which source records to migrate; required ({@link ScopeCriteria#all()} for every record). */
    public Builder<S, T> scope(ScopeCriteria<S> scope) {
      once("scope", this.scope != null ? this.scope : this.scopeFor, this.scope == null ? null : "'" + this.scope.describe() + "'");
      this.scope = settings.notNull(scope, "scope");
      return this;
    }

    /**
     * The scope of each run, made from its {@link Parameters} ({@code p -> ScopeCriteria.where("region "
     * + p.get("region"), r -> ...)}): this or {@link #scope} is required. Made once per run.
     */
    public Builder<S, T> scopeFor(Function<Parameters, ScopeCriteria<S>> scope) {
      once("scope", this.scope != null ? this.scope : this.scopeFor, null);
      this.scopeFor = settings.notNull(scope, "scope");
      return this;
    }

    /**
     * Maps source records to the destination's shape; required ({@link Transform#identity()} where
     * they match). Gives the builder the destination's payload type: set it before the destination.
     */
    @SuppressWarnings("unchecked") // sound: a destination set before the transform takes any payload (Object)
    public <Y> Builder<S, Y> transform(Transform<S, Y> transform) {
      once("transform", this.transform != null ? this.transform : this.transformFor, null);
      Builder<S, Y> typed = (Builder<S, Y>) this;
      typed.transform = settings.notNull(transform, "transform");
      return typed;
    }

    /**
     * The transform of each run, made from its {@link Parameters}: this or {@link #transform} is
     * required; as {@link #transform}, it gives the builder the destination's payload type. Give a
     * {@link #transformVersion} too: a made transform is usually a lambda.
     */
    @SuppressWarnings("unchecked") // as transform()
    public <Y> Builder<S, Y> transformFor(Function<Parameters, Transform<S, Y>> transform) {
      once("transform", this.transform != null ? this.transform : this.transformFor, null);
      Builder<S, Y> typed = (Builder<S, Y>) this;
      typed.transformFor = settings.notNull(transform, "transform");
      return typed;
    }

    /** Where records go; required. Where it is a {@link Lookup} too, completed runs are reconciled. */
    public Builder<S, T> destination(Destination<T> destination) {
      once("destination", this.destination, null);
      this.destination = settings.notNull(destination, "destination");
      return this;
    }

    /** Receives every outcome and the report; by default nothing does. */
    public Builder<S, T> resultCapture(ResultCapture capture) {
      settings.resultCapture(capture);
      return this;
    }

    /** Records per batch, from 1 to 100,000; by default 500. */
    public Builder<S, T> batchSize(int batchSize) {
      settings.batchSize(batchSize);
      return this;
    }

    /** How many failed records a run tolerates before it stops; 0 stops at the first. By default 100. */
    public Builder<S, T> failureLimit(long failureLimit) {
      settings.failureLimit(failureLimit);
      return this;
    }

    /** How transient write failures are retried; by default {@link RetryPolicy#defaults()}. */
    public Builder<S, T> retry(RetryPolicy retry) {
      settings.retry(retry);
      return this;
    }

    /**
     * Names the transform's logic (a version, or a sentence that changes when the logic does). A
     * checkpoint records it with the source, scope and destination; a run set up otherwise is not
     * resumed from it. Without it a lambda is recorded as undescribed, and a change of its logic
     * goes unnoticed.
     */
    public Builder<S, T> transformVersion(String version) {
      once("transform version", this.transformVersion, this.transformVersion);
      this.transformVersion = settings.notNull(version, "transform version");
      return this;
    }

    /**
     * How much of a system's error text the report keeps where a run stops on an exception; by
     * default {@link ReasonDetail#SYSTEM_MESSAGE} (its first line). Logs never carry it.
     */
    public Builder<S, T> reasonDetail(ReasonDetail detail) {
      settings.reasonDetail(detail);
      return this;
    }

    /**
     * Where progress is saved after each batch; by default in this object's memory, which survives a
     * failed run but not the process. Use {@link StateStore#directory} (or a database's, such as
     * {@code JdbcStateStore}) to survive a kill.
     */
    public Builder<S, T> state(StateStore state) {
      settings.state(state);
      return this;
    }

    /**
     * Whether a completed run re-reads the source to reconcile desired against actual state (only
     * where the destination is a {@link Lookup}); by default it does.
     */
    public Builder<S, T> reconcile(boolean reconcile) {
      once("reconcile", this.reconcile, this.reconcile);
      this.reconcile = reconcile;
      return this;
    }

    /**
     * Whether the next batch is read on a thread of its own while the current one is transformed
     * and written. By default it is where the source is a connector and the destination a connector
     * that declares {@link Capability#CONCURRENT_WRITES} (a database table), else not. Worth it where reading and writing each take time (one
     * database to another). The source's cursor is then used from that thread, one call at a time,
     * while the destination is written, so the two must not share a connection. Holds two batches
     * in memory; checkpoints, outcomes and the order of writes are as without it.
     */
    public Builder<S, T> readAhead(boolean readAhead) {
      once("read ahead", this.readAhead, this.readAhead);
      this.readAhead = readAhead;
      return this;
    }

    /**
     * How many batches may be written at once, each by a thread of its own. By default 3 where the
     * source is a connector and the destination a connector that declares
     * {@link Capability#CONCURRENT_WRITES} (a database table), else 1 (written on the calling
     * thread). Worth it where a write spends its time waiting on the destination
     * (a commit's flush to disk): while one batch commits, the next is sent. The destination must
     * take concurrent {@code write} calls. What stays as with one writer: outcomes are captured
     * and checkpoints saved in source order, each checkpoint only once every batch before it is
     * written; two writes of one key never overlap, so the later record still wins. What changes:
     * up to this many batches are in flight, and a run that stops (a crash, the failure limit)
     * may have written batches after its checkpoint; the next run reads them again and finds
     * them UNCHANGED. The failure limit is then checked at the end of the batch that crossed it,
     * where writes are concerned.
     *
     * @throws SetupException unless between 1 and 16
     */
    public Builder<S, T> writers(int writers) {
      once("writers", this.writers, this.writers);
      if (writers < 1 || writers > MAX_WRITERS) {
        throw new SetupException(label() + ": writers must be between 1 and " + MAX_WRITERS + ", was " + writers);
      }
      this.writers = writers;
      return this;
    }

    /** How often a long run logs its progress at INFO (and tells it to listeners at each batch regardless); 10 seconds unless set. */
    public Builder<S, T> progressEvery(Duration every) {
      settings.progressEvery(every);
      return this;
    }

    /**
     * The factory of the run's threads (read-ahead, writers, schedule): the host's own, such as
     * {@code Thread.ofVirtual().factory()} on Java 21. Unless set, the migration makes daemon threads.
     */
    public Builder<S, T> threads(ThreadFactory factory) {
      settings.threads(factory);
      return this;
    }

    /**
     * The migration.
     *
     * @throws SetupException naming every missing element: "Migration 'legacy-cases' needs a source and a destination"
     */
    public Migration<S, T> build() {
      List<String> missing = new ArrayList<>();
      if (source == null && feed == null) {
        missing.add("a source");
      }
      if (scope == null && scopeFor == null) {
        missing.add("a scope");
      }
      if (transform == null && transformFor == null) {
        missing.add("a transform");
      }
      if (destination == null) {
        missing.add("a destination");
      }
      if (settings.name() == null) {
        missing.add(0, "a name");
      }
      Once.needs(label(), missing);
      Migration<S, T> built = new Migration<>(this);
      built.engine.inMdc(() -> {
        if (feed != null) {
          Declared.deletesVisible(label(), "its change feed", feed, deletes);
        }
        if (transformVersion == null && (transform == null || UNDESCRIBED.equals(built.fingerprint.get("transform")))) {
          LOG.warn("{}: its transform does not describe itself (a lambda) and no transformVersion was given: a run that"
              + " resumes cannot notice that the transform changed since its checkpoint; give transformVersion(\"...\")",
              label());
        }
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
