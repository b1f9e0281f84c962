package dev.patchbay.patterns.internal;

import dev.patchbay.core.Change;
import dev.patchbay.core.Outcome;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/**
 * The bounded batch pipeline every pattern's writes go through. A driver opens a batch, adds the
 * writes it wants made, to one destination or many, and hands the batch in; the writes run on the pipeline's writers (on the driver's thread where there is one
 * writer), two writes of one key to one destination in the order they were handed in, different
 * keys and destinations at once; batches are settled in the order they were handed in, each with
 * its outcomes in the order of its steps. At most {@code depth} batches are in flight: the driver
 * settles the oldest before it hands in more.
 *
 * @param <T> the records written
 * @param <C> what the driver keeps with each batch until it is settled (its position, its state entries)
 */
public final class Pipeline<T, C> implements AutoCloseable {

  private final ExecutorService writers;
  private final int depth;
  private final Deque<Batch<T, C>> inFlight = new ArrayDeque<>();

  /**
   * A pipeline of {@code writers} threads made by {@code threads} (none where {@code writers} is 1:
   * writes run on the driver's thread), at most {@code depth} batches in flight.
   */
  public Pipeline(java.util.concurrent.ThreadFactory threads, int writers, int depth) {
    if (writers < 1 || depth < 1) {
      throw new IllegalArgumentException("writers and depth must be at least 1, not " + writers + " and " + depth);
    }
    this.writers = writers == 1 ? null : Executors.newFixedThreadPool(writers, threads);
    this.depth = depth;
  }

  /** A new batch, not in flight until {@link #add}ed. */
  public Batch<T, C> open(C context) {
    return new Batch<>(this, context);
  }

  /** Hands {@code batch} in, after those handed in before it. */
  public void add(Batch<T, C> batch) {
    inFlight.add(batch);
  }

  /** Whether as many batches are in flight as the depth allows: the oldest is to be settled first. */
  public boolean full() {
    return inFlight.size() >= depth;
  }

  /** Whether no batch is in flight. */
  public boolean isEmpty() {
    return inFlight.isEmpty();
  }

  /** The oldest batch in flight, taken out of the pipeline; its outcomes may still be coming. */
  public Batch<T, C> oldest() {
    return inFlight.poll();
  }

  /** The failures known so far of the batches in flight: those of writes already answered. */
  public long knownFailures() {
    long n = 0;
    for (Batch<T, C> b : inFlight) {
      n += b.knownFailures();
    }
    return n;
  }

  /** Waits for every write in flight to end, whatever it ends with, and stops the writers: nothing is written behind the driver's back. */
  @Override
  public void close() {
    inFlight.forEach(Batch::awaitWrites);
    if (writers != null) {
      Threads.finish(writers);
    }
  }

  /**
   * A batch of the pipeline: its writes in order.
   *
   * @param <T> the records written
   * @param <C> what the driver keeps with it
   */
  public static final class Batch<T, C> {

    private final Pipeline<T, C> pipeline;
    private final C context;
    private final List<Step> steps = new ArrayList<>();
    private int size;
    private int knownFailures;
    /** Nanoseconds the batch's writes took, added up (writes at once count each). */
    private final java.util.concurrent.atomic.AtomicLong writing = new java.util.concurrent.atomic.AtomicLong();

    private Batch(Pipeline<T, C> pipeline, C context) {
      this.pipeline = pipeline;
      this.context = context;
    }

    public C context() {
      return context;
    }

    /**
     * Adds a write of {@code changes} to {@code destination} through {@code writer}, which answers
     * one outcome per change; it starts once no write in flight to the same destination holds one
     * of its keys. An empty list adds nothing. With one writer it runs here and now, and what it
     * throws is thrown here; with more, it is thrown from {@link #outcomes()}.
     */
    public void write(String destination, List<Change<T>> changes, Function<List<Change<T>>, List<Outcome>> writer) {
      if (changes.isEmpty()) {
        return;
      }
      size += changes.size();
      Function<List<Change<T>>, List<Outcome>> timed = c -> {
        long start = System.nanoTime();
        try {
          return writer.apply(c);
        } finally {
          writing.addAndGet(System.nanoTime() - start);
        }
      };
      if (pipeline.writers == null) {
        List<Outcome> answer = timed.apply(changes);
        knownFailures += (int) answer.stream().filter(o -> o instanceof Outcome.Failed).count();
        steps.add(new Step(destination, Set.of(), CompletableFuture.completedFuture(answer)));
        return;
      }
      Set<String> keys = new HashSet<>();
      changes.forEach(change -> keys.add(change.key()));
      List<Batch<T, C>> holders = new ArrayList<>(pipeline.inFlight);
      holders.add(this);
      for (Batch<T, C> holder : holders) {
        for (Step step : holder.steps) {
          if (!step.outcomes.isDone() && destination.equals(step.destination) && !Collections.disjoint(step.keys, keys)) {
            holder.awaitWrites();
          }
        }
      }
      steps.add(new Step(destination, keys, pipeline.writers.submit(() -> timed.apply(changes))));
    }

    /** The time the batch's writes took so far, added up; read it after {@link #outcomes()} for all of it. */
    public java.time.Duration took() {
      return java.time.Duration.ofNanos(writing.get());
    }

    /** Failures of writes already answered. */
    public int knownFailures() {
      return knownFailures;
    }

    /**
     * Every outcome, in step order, once the writes have answered. Where a write threw, that is
     * thrown, after every write of the batch ended.
     *
     * @throws Threads.Interrupted where the thread was interrupted while waiting
     */
    public List<Outcome> outcomes() {
      return outcomes(null);
    }

    /** The outcomes of the writes to {@code destination}, in step order; as {@link #outcomes()}. */
    public List<Outcome> outcomesOf(String destination) {
      return outcomes(destination);
    }

    private List<Outcome> outcomes(String destination) {
      List<Outcome> all = new ArrayList<>(size);
      for (Step step : steps) {
        if (destination == null || destination.equals(step.destination)) {
          all.addAll(await(step.outcomes));
        }
      }
      return all;
    }

    private List<Outcome> await(Future<List<Outcome>> future) {
      try {
        return Threads.result(future);
      } catch (RuntimeException | Error e) {
        if (!(e instanceof Threads.Interrupted)) {
          awaitWrites();
        }
        throw e;
      }
    }

    /** Waits for this batch's writes to end, whatever they end with. */
    private void awaitWrites() {
      for (Step step : steps) {
        try {
          step.outcomes.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (ExecutionException e) {
          // the driver learns of it from outcomes(); here only the end matters
        }
      }
    }
  }

  /** One step of a batch: a write to a destination of its keys. */
  private record Step(String destination, Set<String> keys, Future<List<Outcome>> outcomes) {
  }
}
