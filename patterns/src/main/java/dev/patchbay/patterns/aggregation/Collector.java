package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.internal.RecordStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An aggregation's live lookup: every input's {@code Lookup} asked at once, each record through its
 * input's scope, transform and merge key, the answers in time merged by the aggregation's rules.
 * An input past the timeout is answered as missing, not waited for. Its threads are the
 * aggregation's (daemons unless the host gives a factory), ended when idle a minute.
 */
final class Collector {

  private final Aggregation agg;
  private final ExecutorService pool;

  Collector(Aggregation agg, ThreadFactory threads) {
    this.agg = agg;
    this.pool = Executors.newCachedThreadPool(threads);
  }

  /**
   * @param keysOf    the keys to ask each input's lookup for
   * @param byMergeKey whether only records whose merge key is {@code mergeKey} are merged (else the
   *                   records of the keys asked for: an entity's members, found by matching)
   */
  Collected collect(String mergeKey, java.util.function.Function<Input<?>, java.util.Collection<String>> keysOf,
      boolean byMergeKey, Duration timeout) {
    List<Input<?>> asked = new ArrayList<>();
    List<Callable<List<Member>>> calls = new ArrayList<>();
    Map<String, String> missing = new LinkedHashMap<>();
    for (Input<?> input : agg.inputs) {
      if (input.lookup == null) {
        missing.put(input.name, "no lookup");
        continue;
      }
      asked.add(input);
      java.util.Collection<String> keys = keysOf.apply(input);
      calls.add(() -> members(input, keys, byMergeKey ? mergeKey : null));
    }
    List<Future<List<Member>>> answers;
    try {
      answers = calls.isEmpty() ? List.of() : pool.invokeAll(calls, timeout.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SetupException("the lookup of '" + mergeKey + "' was interrupted");
    }
    List<Member> members = new ArrayList<>();
    List<String> answered = new ArrayList<>();
    for (int i = 0; i < answers.size(); i++) {
      String name = asked.get(i).name;
      try {
        members.addAll(answers.get(i).get());
        answered.add(name);
      } catch (CancellationException e) {
        missing.put(name, "timed out after " + timeout.toMillis() + " ms");
      } catch (ExecutionException e) {
        if (e.getCause() instanceof SetupException s) {
          throw s;
        }
        missing.put(name, "failed: " + Failures.forReport(e.getCause(), agg.reasonDetail));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        missing.put(name, "interrupted");
      }
    }
    Map<String, String> inOrder = new LinkedHashMap<>();
    agg.inputs.forEach(in -> {
      if (missing.containsKey(in.name)) {
        inOrder.put(in.name, missing.get(in.name));
      }
    });
    Optional<GoldenRecord> record = members.isEmpty() ? Optional.empty()
        : Optional.of(agg.merger.merge(GoldenRecord.LIVE, mergeKey, members, Fields.empty(), (f, v) -> 0));
    return new Collected(record, answered, inOrder);
  }

  /** {@code input}'s records of {@code keys} (under {@code mergeKey}, where not null), as a run would keep them. */
  private static <S> List<Member> members(Input<S> input, java.util.Collection<String> keys, String mergeKey) {
    RecordStep<S, Fields> step = new RecordStep<>(input.scope, input.transform, dev.patchbay.patterns.ReasonDetail.CLASS_AND_STATE);
    List<Member> members = new ArrayList<>();
    if (keys.isEmpty()) {
      return members;
    }
    for (Envelope<S> record : input.lookup.lookup(keys).values()) {
      RecordStep.Result<Fields> r = step.apply(record);
      if (r.outcome() instanceof Outcome.Failed || r.mapped() == null) {
        continue;   // out of scope, or not made into the output's shape: as a run, it merges into nothing
      }
      if (mergeKey == null || mergeKey.equals(keyOf(input, r.mapped()))) {
        members.add(new Member(input.name, record.key(), record.version(), r.mapped().payload()));
      }
    }
    return members;
  }

  private static String keyOf(Input<?> input, Envelope<Fields> record) {
    try {
      return input.keyOf(record);
    } catch (RuntimeException e) {
      return null;
    }
  }
}
