package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.catalog.CatalogEntry;
import dev.patchbay.core.outbox.Outbox;
import dev.patchbay.core.outbox.OutboxEvent;
import dev.patchbay.core.outbox.OutboxReader;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.internal.Catalogued;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.report.Report;
import dev.patchbay.patterns.Pattern;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.ProgressListener;
import dev.patchbay.patterns.Schedule;
import dev.patchbay.patterns.internal.Settings;
import dev.patchbay.patterns.internal.Declared;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.Once;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadFactory;
import java.util.function.Consumer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One source to many destinations, continuously: every change published (pushed with
 * {@link #publish}, or polled from a {@linkplain Builder#changesOf change feed}) is appended to a
 * durable {@link Outbox} first, and each destination's own runner delivers it from there. Build one
 * with {@link #builder()}; {@link #start()} starts the runners, {@link #close()} stops them.
 *
 * <p>What it promises (B1 to B5 of docs/promises.md):
 * <ul>
 *   <li><b>Every change reaches every destination whose scope includes it</b> (B1): a destination's
 *       position in the outbox moves past an event only once the destination accepted the batch
 *       holding it, and is saved with the batch in the destination's ledger, in one step.</li>
 *   <li><b>Isolation</b> (B2): each destination reads the outbox from its own position, on its own
 *       thread, with its own retries; a failing or slow one holds at most one batch in memory and
 *       falls behind in the outbox, never slowing the publishers or the other destinations. A retry
 *       goes only to the destination that failed; past its {@linkplain Route.Builder#parkAfter limit}
 *       a destination is parked, its failure in {@link #status()}, until {@link #resume} is called.
 *       One runner per destination: a second, in this process or another that shares the state
 *       store, is refused.</li>
 *   <li><b>Per-key order</b> (B3): a destination gets a key's changes in the order they were
 *       published (only the latest of a key within one batch, unless its route
 *       {@linkplain Route.Builder#eachChange delivers each change}), and its ledger keeps each key's
 *       newest version seen: a change with an older version is skipped, also across retries and
 *       restarts.</li>
 *   <li><b>Nothing lost in transit</b> (B4): {@link #publish} returns once the change is in the
 *       outbox; with a durable outbox and state store a change survives a crash at any point until
 *       every destination has it. Delivery is at least once: after a crash a destination may get the
 *       batch it was writing again (its writes are idempotent by key).</li>
 * </ul>
 *
 * <p>The outbox is purged below the slowest destination's position, in bounded batches; a parked
 * or slow destination holds purging back, and {@link #status()} names it. Log lines carry the MDC
 * keys {@code patchbay.pattern} ({@code broadcast}), {@code patchbay.name} and, on a runner's
 * thread, {@code patchbay.destination}; record values are never logged.
 */
public final class Broadcast implements Pattern<BroadcastStatus>, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Broadcast.class);
  private static final String PATTERN = "broadcast";

  final String name;
  final String aggregateType;
  final Outbox outbox;
  final ChangeFeed<Fields> feed;
  final List<Route<?>> routes;
  final StateStore store;
  final Duration pollInterval;
  final ReasonDetail reasonDetail;
  final Clock clock;
  final int purgeBatch;
  final int feedBatch;
  final Tail tail;

  private final Object progress = new Object();
  /** The highest position the outbox told of. */
  final java.util.concurrent.atomic.AtomicLong told = new java.util.concurrent.atomic.AtomicLong();
  private final Object lifecycle = new Object();
  /**
   * Held while the destinations' ledgers change hands (start, close) and while a status reads them:
   * a status never opens a ledger a closing runner still holds, nor holds one a start is taking.
   * Taken before {@code lifecycle}, never while a runner's thread is waited on by another lock.
   */
  final Object ledgers = new Object();
  private Running running;
  final Engine<BroadcastStatus> engine;

  private Broadcast(Builder b) {
    this.name = b.settings.name();
    this.aggregateType = b.aggregateType != null ? b.aggregateType : name;
    this.outbox = b.outbox != null ? b.outbox : Outbox.inMemory();
    this.feed = b.feed;
    this.routes = List.copyOf(b.routes.values());
    this.store = b.settings.state();
    this.pollInterval = b.pollInterval != null ? b.pollInterval : Builder.DEFAULT_POLL;
    this.reasonDetail = b.settings.reasonDetail();
    this.clock = b.clock != null ? b.clock : Clock.systemUTC();
    this.purgeBatch = b.purgeBatch != null ? b.purgeBatch : Builder.DEFAULT_PURGE_BATCH;
    this.feedBatch = Builder.DEFAULT_FEED_BATCH;
    this.tail = new Tail(outbox, aggregateType, b.buffer != null ? b.buffer : Builder.DEFAULT_BUFFER);
    // No state under the broadcast's own name is held for a run: each runner holds its destination's ledger.
    this.engine = new Engine<>(PATTERN, name, "Broadcast '" + name + "'", null,
        b.settings.resultCapture(), b.settings);
  }

  /** A builder; name, at least one destination, and (for {@link #start()}) a state store are what a real broadcast sets. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * Delivers what the outbox holds now (and, where a change feed is polled, what it has now) to
   * every destination, then returns: starts the runners where this object is not started (and
   * closes them again at the end), waits until every destination has every event or is parked.
   * For a host that delivers on a schedule ({@link #every}) instead of keeping the broadcast started.
   *
   * @return COMPLETED where every destination has every event; PARTIAL where one is parked (named);
   *     STOPPED where {@link #stop()} ended it first
   * @throws SetupException where a run of this object is under way, or another process holds a destination's ledger
   */
  @Override
  public BroadcastStatus run() {
    return engine.run("Broadcast '" + name + "' is already running; a broadcast runs once at a time", run -> Runs.deliver(this, run));
  }

  /**
   * A dry run, as {@link Pattern#plan()} says: for each destination, the events after its
   * ledger's position decided as its runner would (scope, transform, each key's latest version,
   * deletes) and the writes planned against what it holds (read by key where it can be; else
   * planned as upserts), by the destination's name. No ledger moves, nothing is written. The
   * broadcast must not be started in this object, nor a destination's ledger held elsewhere.
   *
   * @throws SetupException where it is started here, or a ledger is held elsewhere
   */
  @Override
  public Plan<BroadcastStatus> plan() {
    return engine.plan("Broadcast '" + name + "' is already running; a broadcast runs once at a time", run -> Runs.plan(this, run));
  }

  /** Runs now, then again {@code interval} after each run ends, as {@link Pattern#every} says. */
  @Override
  public Schedule every(Duration interval, Consumer<? super BroadcastStatus> reports) {
    return engine.every(interval, reports, this::run);
  }

  /**
   * Ends the run under way, if any, once each runner's batch in hand is settled (reported
   * STOPPED), ends the schedules, and {@linkplain #close() closes} a started broadcast, on a thread
   * of its own: returns at once.
   */
  @Override
  public void stop() {
    boolean inRun = engine.running();
    engine.stop();
    Running r = running();
    if (r == null) {
      return;
    }
    if (inRun) {
      r.signalStop();   // each runner ends after its batch in hand; the run closes them
    } else {
      engine.threads("stop", false).newThread(this::close).start();
    }
  }

  @Override
  public void listen(ProgressListener listener) {
    engine.listen(listener);
  }

  /**
   * Appends {@code change} to the outbox and returns once it is there (durably, for a durable
   * outbox): from then on it reaches every destination whose scope includes it, whatever crashes.
   * Works whether or not this broadcast is started (the runners deliver it once they run).
   *
   * @return the event as the outbox keeps it, with its position
   */
  public OutboxEvent publish(Change<Fields> change) {
    return publishAll(List.of(Objects.requireNonNull(change, "change"))).get(0);
  }

  /** As {@link #publish}, for several changes in one append (one transaction, for a JDBC outbox), in their order. */
  public List<OutboxEvent> publishAll(List<Change<Fields>> changes) {
    Objects.requireNonNull(changes, "changes");
    for (int i = 0; i < changes.size(); i++) {
      if (changes.get(i) == null) {
        throw new IllegalArgumentException("Broadcast '" + name + "': change " + i + " of " + changes.size() + " is null");
      }
    }
    if (changes.isEmpty()) {
      return List.of();
    }
    List<OutboxEvent> events = tail.append(changes);
    Running r = running();
    if (r != null) {
      long upTo = Math.max(events.get(events.size() - 1).position(), told.get());
      r.runners.forEach(x -> x.wake(upTo));
    }
    return events;
  }

  /**
   * Starts a runner for each destination (a thread each), the poller of the change feed where
   * there is one, and the purger; returns once each destination's ledger is held.
   *
   * @throws SetupException where it was started already, where another runner (in another
   *     process) holds a destination's ledger, or where a destination's position is past the
   *     outbox's end (the outbox is not the one the ledger was kept against)
   */
  public void start() {
    synchronized (ledgers) {
      synchronized (lifecycle) {
        if (running != null) {
          throw new SetupException("Broadcast '" + name + "' is started already");
        }
        running = engine.inMdc(() -> new Running(this));
        engine.inMdc(() -> {
          LOG.info("broadcast '{}' started: {} destinations", name, routes.size());
          return null;
        });
      }
    }
  }

  /** Stops the runners after the batch each is on, and lets go of their ledgers; a no-op where not started. */
  @Override
  public void close() {
    Running r;
    synchronized (ledgers) {
      synchronized (lifecycle) {
        r = running;
        running = null;
      }
      if (r != null) {
        r.stop();
      }
    }
    if (r != null) {
      synchronized (progress) {
        progress.notifyAll();
      }
    }
  }

  /** The destinations' names, in the order they were given: known without reading a ledger (which another process may hold). */
  public List<String> destinations() {
    return routes.stream().map(r -> r.name).toList();
  }

  /**
   * Every destination's ledger and the outbox: position, lag in events and in time, attempts, last
   * error, counts, failures; which destination holds purging back. Before {@link #start()} (and
   * after {@link #close()}) it reads the saved ledgers.
   *
   * @throws SetupException where a destination is not running here and another runner holds its ledger
   */
  @Override
  public BroadcastStatus status() {
    Instant now = clock.instant();
    return Runs.snapshot(this, now, null, null, engine.last().map(Report.class::cast));
  }

  /**
   * Takes the parked destination {@code destination} back: its ledger's failures stay, its
   * failed batch is tried again from its position.
   *
   * @throws IllegalArgumentException where there is no such destination
   */
  public void resume(String destination) {
    Route<?> route = route(destination);
    Running r = running();
    if (r != null) {
      r.runner(destination).resume();
      return;
    }
    try (NamedState held = store.open(ledgerName(route))) {
      held.save(held.progress(w -> { }).orElse(Progress.start(clock.instant())), List.of(Ledger.read(held).resumed().entry()));
    }
  }

  /**
   * Passes the record {@code destination} is parked on, one it refused with an error that is not
   * transient (a poison record, named by key and position in its last error): the record is
   * reported FAILED, "skipped by a person", and delivery goes on after it. Where the route has a
   * {@linkplain Route.Builder#deadLetter dead-letter destination}, such records go there instead,
   * without parking.
   *
   * @throws IllegalArgumentException where there is no such destination
   * @throws IllegalStateException where it is not parked on such a record
   */
  public void skip(String destination) {
    Route<?> route = route(destination);
    Running r = running();
    if (r != null) {
      r.runner(destination).skip();
      return;
    }
    try (NamedState held = store.open(ledgerName(route))) {
      Ledger l = Ledger.read(held);
      if (!l.parkedOnPoison()) {
        throw new IllegalStateException("destination '" + destination + "' is not parked on a record it refused");
      }
      held.save(held.progress(w -> { }).orElse(Progress.start(clock.instant())), List.of(l.skipped().entry()));
    }
  }

  /**
   * Waits until every destination has accepted every event published before this call (and, where
   * a change feed is polled, every change the feed had when this call began), or {@code timeout}
   * passed. A parked destination has not: where every destination still short of it is parked,
   * this returns false at once; {@link #status()} names them.
   *
   * @return whether every destination has them
   */
  public boolean awaitDelivered(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Running r = running();
    if (r == null) {
      return false;
    }
    if (!r.awaitDrained(deadline)) {
      return false;
    }
    long target = outbox.end(aggregateType);
    synchronized (progress) {
      while (true) {
        if (running() == null) {
          return false;
        }
        List<Runner<?>> behind = r.runners.stream().filter(x -> x.position() < target).toList();
        if (behind.isEmpty()) {
          return true;
        }
        if (behind.stream().allMatch(x -> x.parked() || x.lost())) {
          return false;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /**
   * Purges the outbox's events of this broadcast's type below the slowest of its readers, wherever
   * they run (the outbox's registry), in batches of the purge batch size (each one bounded delete),
   * now; what it removed. A started broadcast's purger does the same on its own, once a whole batch
   * can go or every ten seconds.
   */
  public long purge() {
    Running r = running();
    if (r != null) {
      r.advance();
    }
    return purgeAll(() -> false);
  }

  /** Removes what every reader has, a bounded batch at a time, until none is left or {@code stop} says so. */
  long purgeAll(java.util.function.BooleanSupplier stop) {
    long removed = 0;
    int n;
    do {
      n = outbox.purge(aggregateType, purgeBatch);
      removed += n;
    } while (n > 0 && !stop.getAsBoolean());
    return removed;
  }

  /**
   * Stops the outbox waiting for {@code destination}, which left this broadcast for good (or for
   * a long while): from now on events are purged without it. Its ledger stays; should it come
   * back, it finds how many events were purged before it read them, parks and names them, and is
   * {@linkplain #seed seeded} again. A destination left out of a process's configuration is never
   * forgotten on its own: until this is called, purging waits for it. Works for a destination that
   * this object no longer lists.
   *
   * @return the reader as the outbox's registry has it now
   * @throws SetupException where a runner (here or in another process) holds its ledger
   */
  public OutboxReader forget(String destination) {
    String ledger = name + "." + Objects.requireNonNull(destination, "destination");
    try (NamedState held = store.open(ledger)) {
      OutboxReader r = outbox.forget(aggregateType, ledger, Ledger.read(held).position());
      LOG.warn("broadcast '{}': destination '{}' forgotten at position {}: events are purged without it", name,
          destination, r.position());
      return r;
    }
  }

  /**
   * Brings {@code destination} up to date from the source, the way Debezium's initial snapshot
   * does, and starts it from there: joins it to the outbox at its end (events published from now
   * on wait for it), runs {@code seeding} (the host copies the source's records into the
   * destination, a {@code Migration} for instance), then saves its ledger at that position,
   * unparked. For a new destination that should have what came before it, and for one parked for
   * events it missed. What is published while seeding runs is delivered after it (at least once).
   * The broadcast must not be started in this object; a runner elsewhere holding the ledger refuses it.
   *
   * @throws SetupException where this broadcast is started, there is no such destination, or the ledger is held
   */
  public void seed(String destination, Runnable seeding) {
    Route<?> route = route(destination);
    Objects.requireNonNull(seeding, "seeding");
    if (running() != null) {
      throw new SetupException("Broadcast '" + name + "': close it before seeding '" + destination + "'");
    }
    try (NamedState held = store.open(ledgerName(route))) {
      OutboxReader r = outbox.joinAtEnd(aggregateType, ledgerName(route));
      LOG.info("broadcast '{}': seeding destination '{}' from position {}", name, destination, r.position());
      seeding.run();
      Ledger l = Ledger.read(held);
      Ledger seeded = l.delivered(r.position(), l.counts(), List.of());
      held.save(seeded.progress(l.sequence() + 1, clock.instant(), Map.of("seeded", "true")), List.of(seeded.entry()));
    }
  }

  /**
   * This broadcast's rows of the integration catalog, one per destination: what the code knows
   * (pattern, trigger, systems from connectors) over what {@code declared} says.
   */
  public List<CatalogEntry> catalogEntries(UnaryOperator<CatalogEntry.Builder> declared) {
    List<CatalogEntry> entries = new ArrayList<>();
    for (Route<?> route : routes) {
      entries.add(Catalogued.entry(name, CatalogEntry.Pattern.BROADCAST,
          CatalogEntry.Trigger.EVENT, CatalogEntry.SyncType.DELTA, feed, route.destination, declared));
    }
    return entries;
  }

  @Override
  public String toString() {
    return "Broadcast[" + name + ", " + routes.size() + " destinations, " + outbox + "]";
  }

  void progressed() {
    synchronized (progress) {
      progress.notifyAll();
    }
  }

  Running running() {
    synchronized (lifecycle) {
      return running;
    }
  }

  private Route<?> route(String destination) {
    return routes.stream().filter(r -> r.name.equals(destination)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("Broadcast '" + name + "' has no destination '" + destination + "'"));
  }

  String ledgerName(Route<?> route) {
    return name + "." + route.name;
  }

  /**
   * Builds a {@link Broadcast}. A name and at least one destination are required; each setting
   * may be given once. {@link #build()} names every missing element.
   */
  public static final class Builder {

    static final Duration DEFAULT_POLL = Duration.ofMillis(500);
    static final int DEFAULT_PURGE_BATCH = 1_000;
    static final int DEFAULT_FEED_BATCH = 500;
    static final int DEFAULT_BUFFER = 10_000;

    private String aggregateType;
    private Outbox outbox;
    private ChangeFeed<Fields> feed;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private Duration pollInterval;
    private Clock clock;
    private Integer purgeBatch;
    final Settings settings = new Settings("Broadcast");
    private Integer buffer;

    private Builder() {
    }

    /** The name in every log line, ledger and report; required, letters, digits, '-' and '_'. */
    public Builder name(String name) {
      settings.notNull(name, "name");
      once("name", settings.name(), "'" + settings.name() + "'");
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new SetupException("A broadcast's name is 1 to 64 letters, digits, '-' and '_', not '" + name + "'");
      }
      settings.name(name);
      return this;
    }

    /** What kind of record the outbox's events are ({@code aggregatetype}, which Debezium routes by); the name by default. */
    public Builder aggregateType(String aggregateType) {
      once("aggregate type", this.aggregateType, this.aggregateType);
      this.aggregateType = settings.notNull(aggregateType, "aggregate type");
      return this;
    }

    /**
     * Where published changes wait for the destinations: a {@code JdbcOutbox} for changes that
     * survive a crash; {@link Outbox#inMemory()} (the default) keeps them in this process only.
     */
    public Builder outbox(Outbox outbox) {
      once("outbox", this.outbox, this.outbox);
      this.outbox = settings.notNull(outbox, "outbox");
      return this;
    }

    /**
     * A change feed to poll (every poll interval) besides what is {@linkplain #publish published}:
     * what changed since its checkpoint is appended to the outbox, and the checkpoint saved after.
     */
    public Builder changesOf(ChangeFeed<Fields> feed) {
      once("change feed", this.feed, null);
      this.feed = settings.notNull(feed, "change feed");
      return this;
    }

    /** A destination, by its {@link Route}; names are unique. */
    public Builder destination(Route<?> route) {
      settings.notNull(route, "route");
      if (routes.containsKey(route.name)) {
        throw new SetupException(label() + ": destination '" + route.name + "' was given already");
      }
      routes.put(route.name, route);
      return this;
    }

    /**
     * Where each destination's ledger (and the feed's checkpoint) is kept; in memory by default.
     * With a durable outbox, give a durable store too: a ledger lost with its process starts its
     * destination from the outbox's oldest event again.
     */
    public Builder state(StateStore state) {
      settings.state(state);
      return this;
    }

    /**
     * How long a caught-up runner (and the feed's poller) waits before looking again, where no
     * notification wakes it (default 500 ms). A publish in this process wakes the runners at once,
     * and so does one in another process where the outbox notifies (PostgreSQL).
     */
    public Builder pollInterval(Duration pollInterval) {
      once("poll interval", this.pollInterval, this.pollInterval);
      settings.notNull(pollInterval, "poll interval");
      if (pollInterval.isNegative() || pollInterval.isZero()) {
        throw new SetupException(label() + ": poll interval must be positive, was " + pollInterval);
      }
      this.pollInterval = pollInterval;
      return this;
    }

    /** How much of a system's error message the ledger keeps; the whole first line by default. */
    public Builder reasonDetail(ReasonDetail detail) {
      settings.reasonDetail(detail);
      return this;
    }

    /** The clock of ledger times and lag; the system's by default. */
    public Builder clock(Clock clock) {
      once("clock", this.clock, this.clock);
      this.clock = settings.notNull(clock, "clock");
      return this;
    }

    /**
     * How many of the latest events are kept in memory for the destinations (default 10,000): what
     * this process publishes goes to them from here, without a read of the outbox, and so does
     * what one destination read for the others. A destination further behind reads the outbox
     * itself, in its own batches, and catches up from there; it holds nobody back.
     */
    public Builder buffer(int events) {
      once("buffer", this.buffer, this.buffer);
      if (events < 1) {
        throw new SetupException(label() + ": the buffer must hold at least 1 event, was " + events);
      }
      this.buffer = events;
      return this;
    }

    /** At most this many events removed by one purge step (default 1,000). */
    public Builder purgeBatch(int purgeBatch) {
      once("purge batch", this.purgeBatch, this.purgeBatch);
      if (purgeBatch < 1) {
        throw new SetupException(label() + ": purge batch must be at least 1, was " + purgeBatch);
      }
      this.purgeBatch = purgeBatch;
      return this;
    }

    /**
     * Receives every destination's outcomes (after the route's own capture, if it has one) and the
     * report of each {@link Broadcast#run()}; none unless set.
     */
    public Builder resultCapture(ResultCapture capture) {
      settings.resultCapture(capture);
      return this;
    }

    /** How often a long run logs its progress at INFO (and tells it to listeners regardless); 10 seconds unless set. */
    public Builder progressEvery(Duration every) {
      settings.progressEvery(every);
      return this;
    }

    /** The factory of the broadcast's threads (its runners, writers, poller, purger, schedules): the host's own; unless set, daemon threads. */
    public Builder threads(ThreadFactory factory) {
      settings.threads(factory);
      return this;
    }

    /**
     * The broadcast.
     *
     * @throws SetupException naming every missing element: "Broadcast 'closed-won' needs a destination"
     */
    public Broadcast build() {
      List<String> missing = new ArrayList<>();
      if (settings.name() == null) {
        missing.add("a name");
      }
      if (routes.isEmpty()) {
        missing.add("a destination");
      }
      Once.needs(label(), missing);
      Broadcast built = new Broadcast(this);
      if (feed != null && routes.values().stream().anyMatch(r -> r.deletes == DeletePolicy.PROPAGATE)) {
        built.engine.inMdc(() -> {
          Declared.deletesVisible(label(), "its change feed", feed, DeletePolicy.PROPAGATE);
          return null;
        });
      }
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
