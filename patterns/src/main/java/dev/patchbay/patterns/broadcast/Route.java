package dev.patchbay.patterns.broadcast;

import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.report.ResultCapture;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Transform;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.internal.Once;
import dev.patchbay.patterns.internal.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One destination of a {@link Broadcast}, with its own scope, transform, batches, retries and
 * failure limit: what the broadcast delivers to it and how. Immutable; build one with
 * {@link #to(String)}:
 *
 * <pre>{@code
 * Route<Fields> erp = Route.to("erp").scope(closedWon).transform(toOrder).into(erpOrders);
 * }</pre>
 *
 * @param <T> the payload type the destination takes
 */
public final class Route<T> {

  final String name;
  final ScopeCriteria<Fields> scope;
  final Transform<Fields, T> transform;
  final Destination<T> destination;
  final DeletePolicy deletes;
  final int batchSize;
  final int writers;
  final RetryPolicy retry;
  final int parkAfter;
  final ResultCapture capture;
  final boolean eachChange;
  final boolean versionsRestart;
  final Destination<Fields> deadLetter;

  private Route(Builder<T> b, Destination<T> destination) {
    this.name = b.name;
    this.scope = b.scope != null ? b.scope : ScopeCriteria.all();
    this.transform = b.transform;
    this.destination = destination;
    this.deletes = b.deletes != null ? b.deletes : DeletePolicy.PROPAGATE;
    this.batchSize = b.settings.batchSizeOr(Builder.DEFAULT_BATCH_SIZE);
    this.writers = b.writers != null ? b.writers : 1;
    this.retry = b.settings.retry();
    this.parkAfter = b.parkAfter != null ? b.parkAfter : Builder.DEFAULT_PARK_AFTER;
    this.capture = b.settings.resultCapture();
    this.eachChange = b.eachChange != null && b.eachChange;
    this.versionsRestart = b.versionsRestart != null && b.versionsRestart;
    this.deadLetter = b.deadLetter;
  }

  /**
   * A route to the destination called {@code name} (letters, digits, '-' and '_': it names the
   * destination's ledger in the state store). Without a transform, the destination takes the
   * records as published ({@link Fields}).
   */
  public static Builder<Fields> to(String name) {
    return new Builder<>(name);
  }

  /** The destination's name. */
  public String name() {
    return name;
  }

  @Override
  public String toString() {
    return "Route[" + name + " -> " + destination + ", scope " + scope.describe() + "]";
  }

  /**
   * Builds a {@link Route}; each setting may be given once, {@link #into} ends it.
   *
   * @param <T> the payload type the transform makes
   */
  public static final class Builder<T> {

    static final int DEFAULT_BATCH_SIZE = 500;
    static final int DEFAULT_PARK_AFTER = 3;
    static final int MAX_WRITERS = 16;

    private final String name;
    private final Settings settings = new Settings("Route");
    private ScopeCriteria<Fields> scope;
    private Transform<Fields, T> transform;
    private DeletePolicy deletes;
    private Integer writers;
    private Integer parkAfter;
    private Boolean eachChange;
    private Boolean versionsRestart;
    private Destination<Fields> deadLetter;

    @SuppressWarnings("unchecked") // sound: until transform() is given, the route's payload is Fields
    private Builder(String name) {
      Objects.requireNonNull(name, "Route.to(name): a destination's name must be given, not null");
      if (!name.matches("[A-Za-z0-9_-]{1,64}")) {
        throw new SetupException("A broadcast destination's name is 1 to 64 letters, digits, '-' and '_', not '" + name + "'");
      }
      this.name = name;
      settings.name(name);
      this.transform = (Transform<Fields, T>) Transform.<Fields>identity();
    }

    /** The records this destination gets (the others are skipped, with the scope's description); every record by default. */
    public Builder<T> scope(ScopeCriteria<Fields> scope) {
      once("scope", this.scope, this.scope == null ? null : this.scope.describe());
      this.scope = settings.notNull(scope, "scope");
      return this;
    }

    /** Maps each published record to the destination's shape; gives the route the destination's payload type. */
    @SuppressWarnings("unchecked") // sound: the identity set at construction is the only transform a route holds before this
    public <Y> Builder<Y> transform(Transform<Fields, Y> transform) {
      once("transform", transformed ? this.transform : null, null);
      Builder<Y> typed = (Builder<Y>) this;
      typed.transform = settings.notNull(transform, "transform");
      typed.transformed = true;
      return typed;
    }

    private boolean transformed;

    /**
     * What a published delete does here: {@link DeletePolicy#PROPAGATE} (the default) deletes the
     * record this route wrote for the key, and only a record it wrote; {@link DeletePolicy#IGNORE}
     * leaves it, counted as skipped.
     */
    public Builder<T> deletes(DeletePolicy deletes) {
      once("deletes", this.deletes, this.deletes);
      this.deletes = settings.notNull(deletes, "delete policy");
      return this;
    }

    /**
     * At most this many events read from the outbox and written in one batch (default 500): also
     * the most a destination that falls behind holds in memory; from 1 to 100,000.
     */
    public Builder<T> batchSize(int batchSize) {
      settings.batchSize(batchSize);
      return this;
    }

    /**
     * Writes a batch's keys in this many parts at once (default 1): for a destination that takes
     * writes of different keys in parallel. A key's changes stay in order whatever this is.
     */
    public Builder<T> writers(int writers) {
      once("writers", this.writers, this.writers);
      if (writers < 1 || writers > MAX_WRITERS) {
        throw new SetupException("Route '" + name + "': writers must be between 1 and " + MAX_WRITERS + ", was " + writers);
      }
      this.writers = writers;
      return this;
    }

    /** How a batch this destination failed with a transient error is tried again; {@link RetryPolicy#defaults()} by default. */
    public Builder<T> retry(RetryPolicy retry) {
      settings.retry(retry);
      return this;
    }

    /**
     * Parks the destination after this many batches in a row failed every retry (default 3): it is
     * then left alone, its failures reported, until {@link Broadcast#resume} is called; the other
     * destinations go on. Any other error (not transient) parks it at once.
     */
    public Builder<T> parkAfter(int failedBatches) {
      once("park after", this.parkAfter, this.parkAfter);
      if (failedBatches < 1) {
        throw new SetupException("Route '" + name + "': park after must be at least 1 failed batch, was " + failedBatches);
      }
      this.parkAfter = failedBatches;
      return this;
    }

    /**
     * Delivers every change of a key, in order, each its own write: for a queue whose consumers act
     * on each event. By default a batch delivers only the latest change of each key it holds (the
     * earlier ones are skipped as superseded): for a destination that keeps records, where the
     * latest is what counts, and fewer writes are made.
     */
    public Builder<T> eachChange() {
      once("each change", this.eachChange, this.eachChange);
      this.eachChange = true;
      return this;
    }

    /**
     * Says that a key's versions start over when its record is created again after a delete (a
     * JPA {@code @Version} counter, a row re-inserted): an upsert that follows a delete of its key
     * is delivered whatever its version. By default versions only rise, and an upsert older than
     * the key's delete is skipped, reported as such (with this setting named) and logged.
     */
    public Builder<T> versionsRestartAfterDelete() {
      once("versions restart after delete", this.versionsRestart, this.versionsRestart);
      this.versionsRestart = true;
      return this;
    }

    /**
     * Where a record goes that the destination refuses with an error that is not transient (a
     * poison record: found by writing a refused batch's events one by one): written there as
     * published, reported FAILED with the destination's reason, and passed, so that one record
     * never stops the others. Without one, the destination parks on such a record, naming it, until
     * it is {@linkplain Broadcast#skip skipped} or resumed.
     */
    public Builder<T> deadLetter(Destination<Fields> deadLetter) {
      once("dead letter", this.deadLetter, this.deadLetter);
      this.deadLetter = settings.notNull(deadLetter, "dead-letter destination");
      return this;
    }

    /** Receives every outcome of this destination, on its runner's thread, after its batch is written. */
    public Builder<T> resultCapture(ResultCapture capture) {
      settings.resultCapture(capture);
      return this;
    }

    /**
     * The route, delivering to {@code destination}.
     *
     * @throws SetupException where {@code destination} is null
     */
    public Route<T> into(Destination<T> destination) {
      List<String> missing = new ArrayList<>();
      if (destination == null) {
        missing.add("a destination");
      }
      Once.needs("Route '" + name + "'", missing);
      return new Route<>(this, destination);
    }

    private void once(String setting, Object current, Object shown) {
      Once.check("Route '" + name + "'", setting, current, shown);
    }
  }
}
