package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.internal.Once;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * One source of an {@link Aggregation}: where its records come from, which of them count, how each
 * becomes the output's shape ({@link Fields}), and the merge key that says which entity it belongs
 * to. Immutable; built with {@link #from} or {@link #changesOf}, ended by {@code mergeKey} (or by
 * {@code matched()}, where the aggregation finds entities by its match rule):
 *
 * <pre>{@code
 * Input<Fields> erp = Input.from("erp", erpAccounts).transform(toAccount).mergeKey("account_no");
 * }</pre>
 *
 * @param <S> the source's payload type
 */
public final class Input<S> {

  private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,40}");

  final String name;
  final Source<S> source;
  final ChangeFeed<S> feed;
  final DeletePolicy deletes;
  final ScopeCriteria<S> scope;
  final Transform<S, Fields> transform;
  final Function<Envelope<Fields>, String> mergeKey;
  final String mergeKeyDescription;
  final Lookup<S> lookup;
  /** The keys to ask {@link #lookup} for, of a merge key. */
  final Function<String, Collection<String>> lookupKeys;

  private Input(Builder<S> b, Function<Envelope<Fields>, String> mergeKey, String description) {
    this.name = b.name;
    this.source = b.source;
    this.feed = b.feed;
    this.deletes = b.deletes;
    this.scope = b.scope != null ? b.scope : ScopeCriteria.all();
    this.transform = b.transform;
    this.mergeKey = mergeKey;
    this.mergeKeyDescription = description;
    this.lookup = b.lookup != null ? b.lookup : lookupOf(b.source != null ? b.source : b.feed);
    this.lookupKeys = b.lookupKeys != null ? b.lookupKeys : List::of;
  }

  @SuppressWarnings("unchecked")
  private static <S> Lookup<S> lookupOf(Object endpoint) {
    return endpoint instanceof Lookup<?> l ? (Lookup<S>) l : null;
  }

  /**
   * An input whose every run reads all of {@code source}: a record no longer there is dropped from
   * its entity (where its source was read to the end). {@code name}: letters, digits, '-' and '_'
   * (it names the input in the state, the report and provenance).
   */
  public static <S> Builder<S> from(String name, Source<S> source) {
    return new Builder<>(name, Objects.requireNonNull(source, "source"), null, null);
  }

  /**
   * An input read as changes: the first run reads all the feed holds, each later run what changed
   * since. A delete removes the record from its entity where {@code deletes} is
   * {@link DeletePolicy#PROPAGATE}; an entity with no member left is deleted from the destination.
   */
  public static <S> Builder<S> changesOf(String name, ChangeFeed<S> feed, DeletePolicy deletes) {
    return new Builder<>(name, null, Objects.requireNonNull(feed, "feed"), Objects.requireNonNull(deletes, "deletes"));
  }

  /** The input's name. */
  public String name() {
    return name;
  }

  /** Whether the input is read whole every run (not as changes). */
  boolean whole() {
    return source != null;
  }

  /**
   * The merge key of {@code record} (transformed).
   *
   * @throws DataException naming the field, where it has none
   */
  String keyOf(Envelope<Fields> record) {
    String key = mergeKey.apply(record);
    if (key == null || key.isEmpty()) {
      throw DataException.field(mergeKeyDescription, "no merge key: " + (key == null ? "absent" : "empty"));
    }
    return key;
  }

  /** Whether the input's records find their entities by the aggregation's match rule, not by a merge key. */
  boolean matched() {
    return mergeKey == null;
  }

  @Override
  public String toString() {
    return "Input[" + name + " <- " + (source != null ? source : feed) + ", scope " + scope.describe() + ", "
        + (matched() ? "matched" : "merge key " + mergeKeyDescription) + "]";
  }

  /** Builds an {@link Input}; each setting may be given once, {@code mergeKey} ends it. */
  public static final class Builder<S> {
    private final String name;
    private final Source<S> source;
    private final ChangeFeed<S> feed;
    private final DeletePolicy deletes;
    private ScopeCriteria<S> scope;
    private Transform<S, Fields> transform;
    private Lookup<S> lookup;
    private Function<String, Collection<String>> lookupKeys;

    private Builder(String name, Source<S> source, ChangeFeed<S> feed, DeletePolicy deletes) {
      Objects.requireNonNull(name, "Input: a source's name must be given, not null");
      if (!NAME.matcher(name).matches()) {
        throw new SetupException("an aggregation's input is named by 1 to 40 letters, digits, '-' and '_', not '" + name + "'");
      }
      this.name = name;
      this.source = source;
      this.feed = feed;
      this.deletes = deletes;
    }

    private String label() {
      return "Input '" + name + "'";
    }

    /** Which records count; all where not given. */
    public Builder<S> scope(ScopeCriteria<S> scope) {
      Once.check(label(), "scope", this.scope, this.scope == null ? null : "'" + this.scope.describe() + "'");
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** How a record becomes the output's shape (its key kept: the key in its source); required. */
    public Builder<S> transform(Transform<S, Fields> transform) {
      Once.check(label(), "transform", this.transform, null);
      this.transform = Objects.requireNonNull(transform, "transform");
      return this;
    }

    /**
     * Where {@link Aggregation#lookup} reads this input's records, asked for the merge key as their
     * key; the source itself where it is a {@link Lookup} and this is not given.
     */
    public Builder<S> lookup(Lookup<S> lookup) {
      return lookup(lookup, List::of);
    }

    /**
     * As {@link #lookup(Lookup)}, asked for the keys {@code keysOf} makes of the merge key (where the
     * input keys its records otherwise: an ERP's customer number for an account number). Only the
     * records whose merge key is the one asked for are merged.
     */
    public Builder<S> lookup(Lookup<S> lookup, Function<String, Collection<String>> keysOf) {
      Once.check(label(), "lookup", this.lookup, null);
      this.lookup = Objects.requireNonNull(lookup, "lookup");
      this.lookupKeys = Objects.requireNonNull(keysOf, "keysOf");
      return this;
    }

    /** The merge key is the text of the transformed record's {@code field}; a record without it fails, naming the field. */
    public Input<S> mergeKey(String field) {
      Objects.requireNonNull(field, "field");
      return mergeKey(field, r -> {
        Object v = r.payload().get(field);
        return v == null ? null : v.toString();
      });
    }

    /**
     * The merge key is what {@code key} makes of the transformed record ({@code description} names
     * it in failures: "account_no, trimmed"); a record whose key is null or empty fails.
     */
    public Input<S> mergeKey(String description, Function<Envelope<Fields>, String> key) {
      Objects.requireNonNull(description, "description");
      Objects.requireNonNull(key, "key");
      return end(key, description);
    }

    /**
     * No merge key: each record's entity is found by the aggregation's
     * {@linkplain Aggregation.Builder#match match rule}, among the records of the other inputs.
     */
    public Input<S> matched() {
      return end(null, null);
    }

    private Input<S> end(Function<Envelope<Fields>, String> key, String description) {
      List<String> missing = new ArrayList<>();
      if (transform == null) {
        missing.add("a transform (Transform.identity() for records already in the output's shape)");
      }
      Once.needs(label(), missing);
      return new Input<>(this, key, description);
    }
  }
}
