package dev.patchbay.patterns.migration;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Reconciliation;
import dev.patchbay.patterns.internal.Retrying;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Re-reads the whole source, scopes and transforms it, and compares each desired record with what
 * the destination holds, one batch of keys at a time (memory bounded by the batch and the failures).
 */
final class Reconciler<S, T> {

  private final Migration<S, T> m;
  private final Retrying retrying;
  private final Set<String> failedKeys = new HashSet<>();
  private final Lookup<T> lookup;

  private long desired;
  private long matched;
  private long missing;
  private long differing;
  private long failedExcluded;
  private final List<String> missingKeys = new ArrayList<>();
  private final List<Reconciliation.Difference> differences = new ArrayList<>();

  @SuppressWarnings("unchecked")
  /** Told how many records each compared batch held. */
  private final java.util.function.LongConsumer compared;

  private final dev.patchbay.core.ScopeCriteria<S> scope;
  private final dev.patchbay.core.Transform<S, T> transform;

  private Reconciler(Migration<S, T> migration, dev.patchbay.core.ScopeCriteria<S> scope, dev.patchbay.core.Transform<S, T> transform,
      Retrying retrying, List<Outcome.Failed> failures, java.util.function.LongConsumer compared) {
    this.m = migration;
    this.scope = scope;
    this.transform = transform;
    this.compared = compared;
    this.retrying = retrying;
    this.lookup = (Lookup<T>) migration.destination;
    failures.forEach(f -> failedKeys.add(f.key()));
  }

  /**
   * The run's reconciliation; null, with a note saying why, where there is none: a delta
   * migration reads changes, not the whole source, and a destination that cannot be read by key
   * cannot be compared.
   */
  static <S, T> Reconciliation reconcile(Migration<S, T> m, dev.patchbay.core.ScopeCriteria<S> scope,
      dev.patchbay.core.Transform<S, T> transform, Retrying retrying, List<Outcome.Failed> failures,
      java.util.function.LongConsumer compared, java.util.function.Consumer<String> notes) {
    if (m.feed != null) {
      notes.accept("not reconciled: a delta migration reads changes, not the whole source");
      return null;
    }
    if (!(m.destination instanceof Lookup<?>)) {
      notes.accept("not reconciled: the destination cannot be read by key (it does not implement Lookup)");
      return null;
    }
    return new Reconciler<>(m, scope, transform, retrying, failures, compared).reconcile();
  }

  Reconciliation reconcile() {
    List<Envelope<T>> batch = new ArrayList<>(m.batchSize);
    try (Cursor<S> cursor = m.source.read(Checkpoint.start())) {
      while (cursor.hasNext()) {
        Envelope<S> record;
        readSince++;
        try {
          record = cursor.next();
        } catch (DataException unreadable) {
          if (unreadable.key() != null && failedKeys.contains(unreadable.key())) {
            failedExcluded++;
          } else {
            desired++;
            missing(unreadable.key() == null ? "unreadable record" : unreadable.key());
          }
          continue;
        }
        if (!scope.includes(record)) {
          continue;
        }
        if (failedKeys.contains(record.key())) {
          failedExcluded++;
          continue;
        }
        Envelope<T> mapped;
        try {
          mapped = transform.apply(record);
        } catch (RuntimeException e) {
          // Not reported as failed by the run, yet it cannot be transformed now: it is not there.
          desired++;
          missing(record.key());
          continue;
        }
        if (failedKeys.contains(mapped.key())) {
          failedExcluded++;
          continue;
        }
        batch.add(mapped);
        if (batch.size() == m.batchSize) {
          compare(batch);
          batch.clear();
        }
      }
    }
    if (!batch.isEmpty()) {
      compare(batch);
    }
    return new Reconciliation(desired, matched, missing, differing, failedExcluded, missingKeys, differences);
  }

  /** Source records read since the last batch compared. */
  private long readSince;

  private void compare(List<Envelope<T>> batch) {
    compared.accept(readSince);
    readSince = 0;
    List<String> keys = batch.stream().map(Envelope::key).toList();
    Map<String, Envelope<T>> held = retrying.call(() -> lookup.lookup(keys));
    for (Envelope<T> want : batch) {
      desired++;
      Envelope<T> have = held.get(want.key());
      if (have == null) {
        missing(want.key());
      } else {
        Set<String> fields = have.payload() instanceof Fields h && want.payload() instanceof Fields w
            ? w.differingFrom(h) : Objects.equals(have.payload(), want.payload()) ? Set.of() : Set.of("payload");
        if (fields.isEmpty()) {
          matched++;
        } else {
          differing++;
          if (differences.size() < Reconciliation.SAMPLE) {
            differences.add(new Reconciliation.Difference(want.key(), fields));
          }
        }
      }
    }
  }

  private void missing(String key) {
    missing++;
    if (missingKeys.size() < Reconciliation.SAMPLE) {
      missingKeys.add(key);
    }
  }
}
