package dev.patchbay.benchmarks;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Source;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.migration.Migration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;

/**
 * Issue 2's measurements, in one JVM, side by side:
 * <ol>
 *   <li>1,000,000 records in memory to memory with a small transform: Patchbay's Migration (with and
 *       without the closing reconciliation) against a plain loop doing the same transform and map
 *       writes into the same kind of map, and against a loop writing the same batches of 500 into the
 *       same {@code InMemoryStore} (the store's share of the difference). Alternating rounds, each
 *       printed; medians, ratios and the median of the rounds' ratios.</li>
 *   <li>5,000,000 generated records streamed through a Migration in a child JVM with
 *       {@code -Xmx64m}: it completes, and the peak heap is reported.</li>
 * </ol>
 * Run: {@code mvn -q -pl benchmarks -am compile exec:java}; arguments (records, rounds) through
 * {@code -Dexec.args="1000000 5"}.
 */
public final class MigrationBenchmark {

  private static final Transform<Fields, Fields> TRANSFORM = Transform.payload(MigrationBenchmark::transform);

  private MigrationBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length > 0 && args[0].equals("--streaming")) {
      streaming(Long.parseLong(args[1]));
      return;
    }
    int records = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    throughput(records, rounds);
    boundedMemory(5_000_000);
  }

  static Fields transform(Fields f) {
    return f.with("email", ((String) f.get("email")).toLowerCase(Locale.ROOT))
        .with("country", ((String) f.get("country")).toUpperCase(Locale.ROOT));
  }

  static Fields customer(long i) {
    return Fields.of("id", i, "name", "Customer " + i, "email", "Customer" + i + "@Example.COM", "country", "nz");
  }

  private static void throughput(int records, int rounds) {
    InMemoryStore<Fields> source = InMemoryStore.create("source");
    List<Envelope<Fields>> data = new ArrayList<>(records);
    for (int i = 0; i < records; i++) {
      data.add(new Envelope<>(String.format("c%09d", i), 1, customer(i)));
    }
    source.putAll(data);

    long[] plain = new long[rounds];
    long[] patchbay = new long[rounds];
    long[] reconciled = new long[rounds];
    long[] loopToStore = new long[rounds];
    long[] ratios = new long[rounds];
    for (int round = -1; round < rounds; round++) {   // round -1 warms up
      System.gc();
      long t0 = System.nanoTime();
      ConcurrentSkipListMap<String, Envelope<Fields>> target = new ConcurrentSkipListMap<>();
      for (Envelope<Fields> r : data) {
        Envelope<Fields> out = TRANSFORM.apply(r);
        target.put(out.key(), out);
      }
      long plainNanos = System.nanoTime() - t0;
      check(target.size() == records, "plain loop wrote " + target.size());

      System.gc();
      InMemoryStore<Fields> dest = InMemoryStore.create("target");
      long t1 = System.nanoTime();
      RunReport report = migration(source, dest, false).run();
      long patchbayNanos = System.nanoTime() - t1;
      check(report.status() == RunStatus.COMPLETED && report.counts().created() == records, report.summary());

      System.gc();
      InMemoryStore<Fields> dest2 = InMemoryStore.create("target");
      long t2 = System.nanoTime();
      RunReport rec = migration(source, dest2, true).run();
      long reconciledNanos = System.nanoTime() - t2;
      check(rec.reconciliation() != null && rec.reconciliation().holds(), rec.summary());

      // Where the migration's time above the plain loop goes: the same batches written to the same store by a loop.
      System.gc();
      InMemoryStore<Fields> dest3 = InMemoryStore.create("target");
      long t3 = System.nanoTime();
      List<Change<Fields>> batch = new ArrayList<>(500);
      for (Envelope<Fields> r : data) {
        batch.add(Change.upsert(TRANSFORM.apply(r)));
        if (batch.size() == 500) {
          dest3.write(batch);
          batch = new ArrayList<>(500);
        }
      }
      dest3.write(batch);
      long loopToStoreNanos = System.nanoTime() - t3;
      check(dest3.size() == records, "the loop into the store wrote " + dest3.size());

      if (round >= 0) {
        System.out.printf("  round %d: plain loop %,d ms, loop into the store %,d ms, migration %,d ms (%.2fx),"
                + " with reconciliation %,d ms%n", round + 1, plainNanos / 1_000_000, loopToStoreNanos / 1_000_000,
            patchbayNanos / 1_000_000, (double) patchbayNanos / plainNanos, reconciledNanos / 1_000_000);
        loopToStore[round] = loopToStoreNanos;
        ratios[round] = patchbayNanos * 1000 / plainNanos;
        plain[round] = plainNanos;
        patchbay[round] = patchbayNanos;
        reconciled[round] = reconciledNanos;
      }
    }
    double p = Bench.median(plain);
    double m = Bench.median(patchbay);
    double r = Bench.median(reconciled);
    double s = Bench.median(loopToStore);
    System.out.printf("%n%,d records in memory -> in memory, small transform, median of %d rounds%n", records, rounds);
    System.out.printf("  %-40s %8.0f ms  %,12.0f rec/s  %5.2fx%n", "plain loop (transform + map.put)", p / 1e6, records / (p / 1e9), 1.0);
    System.out.printf("  %-40s %8.0f ms  %,12.0f rec/s  %5.2fx%n", "loop into InMemoryStore.write (500)", s / 1e6, records / (s / 1e9), s / p);
    System.out.printf("  %-40s %8.0f ms  %,12.0f rec/s  %5.2fx   (median of the rounds' ratios %.2fx)%n",
        "Patchbay Migration (batch 500)", m / 1e6, records / (m / 1e9), m / p, Bench.median(ratios) / 1000);
    System.out.printf("  %-40s %8.0f ms  %,12.0f rec/s  %5.2fx%n", "Patchbay Migration + reconciliation", r / 1e6, records / (r / 1e9), r / p);
  }

  private static Migration<Fields, Fields> migration(Source<Fields> source, Destination<Fields> dest, boolean reconcile) {
    return Migration.builder()
        .name("bench")
        .source(source)
        .scope(ScopeCriteria.all())
        .transform(TRANSFORM)
        .destination(dest)
        .reconcile(reconcile)
        .build();
  }

  private static void boundedMemory(long records) throws Exception {
    String java = Bench.java();
    Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", Bench.classPath(),
        MigrationBenchmark.class.getName(), "--streaming", String.valueOf(records)).inheritIO().start();
    if (!p.waitFor(10, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IllegalStateException("the streaming run did not finish in 10 minutes");
    }
    check(p.exitValue() == 0, "the streaming run under -Xmx64m failed with exit code " + p.exitValue());
  }

  /** Child: a generated source of {@code records} into a destination that keeps only a checksum. */
  private static void streaming(long records) {
    Source<Fields> generated = after -> {
      long start = after.isStart() ? 0 : Long.parseLong(after.position()) + 1;
      Iterator<Envelope<Fields>> it = new Iterator<>() {
        long next = start;

        @Override
        public boolean hasNext() {
          return next < records;
        }

        @Override
        public Envelope<Fields> next() {
          if (next >= records) {
            throw new NoSuchElementException();
          }
          long i = next++;
          return new Envelope<>(Long.toString(i), 1, customer(i));
        }
      };
      return Cursor.over(it, after, r -> Checkpoint.at(r.key()));
    };
    long[] checksum = {0};
    Destination<Fields> summing = batch -> {
      List<Outcome> out = new ArrayList<>(batch.size());
      batch.forEach(c -> {
        checksum[0] += c.key().hashCode();
        out.add(Outcome.created(c.key()));
      });
      return out;
    };
    long t0 = System.nanoTime();
    RunReport report = migration(generated, summing, false).run();
    double seconds = (System.nanoTime() - t0) / 1e9;
    check(report.status() == RunStatus.COMPLETED && report.counts().created() == records, report.summary());
    long peak = Bench.peakHeap();
    System.out.printf("%n%,d generated records streamed with -Xmx%dm: completed in %.1f s (%,.0f rec/s),"
            + " peak heap used %.1f MiB, checksum %d%n", records, Runtime.getRuntime().maxMemory() / (1 << 20),
        seconds, records / seconds, peak / 1048576.0, checksum[0]);
  }



  private static void check(boolean ok, String message) {
    if (!ok) {
      throw new IllegalStateException(message);
    }
  }
}
