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

  Collected collect(String mergeKey, Duration timeout) {
    List<Input<?>> asked = new ArrayList<>();
    List<Callable<List<Member>>> calls = new ArrayList<>();
    Map<String, String> missing = new LinkedHashMap<>();
    for (Input<?> input : agg.inputs) {
      if (input.lookup == null) {
        missing.put(input.name, "no lookup");
        continue;
      }
      asked.add(input);
      calls.add(() -> members(input, mergeKey));
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

  /** {@code input}'s records under {@code mergeKey}, as a run would keep them. */
  private static <S> List<Member> members(Input<S> input, String mergeKey) {
    RecordStep<S, Fields> step = new RecordStep<>(input.scope, input.transform, dev.patchbay.patterns.ReasonDetail.CLASS_AND_STATE);
    List<Member> members = new ArrayList<>();
    for (Envelope<S> record : input.lookup.lookup(input.lookupKeys.apply(mergeKey)).values()) {
      RecordStep.Result<Fields> r = step.apply(record);
      if (r.outcome() instanceof Outcome.Failed || r.mapped() == null) {
        continue;   // out of scope, or not made into the output's shape: as a run, it merges into nothing
      }
      String key;
      try {
        key = input.keyOf(r.mapped());
      } catch (RuntimeException e) {
        continue;
      }
      if (key.equals(mergeKey)) {
        members.add(new Member(input.name, record.key(), record.version(), r.mapped().payload()));
      }
    }
    return members;
  }
}
