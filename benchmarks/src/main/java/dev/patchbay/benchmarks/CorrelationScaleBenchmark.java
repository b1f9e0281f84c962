package dev.patchbay.benchmarks;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.correlation.CorrelationReport;
import dev.patchbay.patterns.matching.Estimation;
import dev.patchbay.patterns.matching.FieldComparator;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A correlation at scale: two systems of N generated person records each ({@link People}; 80 % of
 * the entities on both, with corrupted copies on side B; 20 % on one side only), linked in one
 * round, then CHANGES records changed (new phones on linked records, new copies of entities only
 * side A had, typos in names, deletes) and a second round that re-matches and syncs them. The
 * weights are estimated by EM from side A and a sample of side B, without labels. Prints the pairs
 * compared, the time of each round, the quality against the generator's truth and the peak heap.
 *
 * <p>Run under {@code -Xmx4g}: {@code java -Xmx4g -cp ... dev.patchbay.benchmarks.CorrelationScaleBenchmark [N] [CHANGES]}.
 */
public final class CorrelationScaleBenchmark {

  private CorrelationScaleBenchmark() {
  }

  /** Selective keys only: at a million records a side, a key shared by thousands makes millions of pairs. */
  static final Blocking BLOCKING = FebrlBenchmark.initial("date_of_birth", "given_name")
      .or(FebrlBenchmark.initial("date_of_birth", "surname"))
      .or(Blocking.fields("surname", "given_name"))
      .or(Blocking.fields("postcode", "street_number"))
      .or(Blocking.fields("address_1", "suburb"));

  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    int changes = args.length > 1 ? Integer.parseInt(args[1]) : 1_000;
    Bench.watchLiveHeap();
    People people = new People();
    int alone = n / 5;
    InMemoryStore<Fields> a = InMemoryStore.create("north");
    InMemoryStore<Fields> b = InMemoryStore.create("south");
    long t0 = System.nanoTime();
    List<Change<Fields>> batch = new ArrayList<>();
    for (long e = 0; e < n; e++) {   // side A: entities 0 .. n-1
      batch.add(Change.upsert(new Envelope<>("a" + e, 1, people.person(e))));
      if (batch.size() == 10_000) {
        a.write(batch);
        batch = new ArrayList<>();
      }
    }
    a.write(batch);
    batch = new ArrayList<>();
    for (long e = alone; e < n + alone; e++) {   // side B: entities n/5 .. n + n/5 - 1, corrupted
      batch.add(Change.upsert(new Envelope<>("b" + e, 1, People.corrupted(people.person(e), e))));
      if (batch.size() == 10_000) {
        b.write(batch);
        batch = new ArrayList<>();
      }
    }
    b.write(batch);
    System.out.printf("generated %,d + %,d records (%,d entities on both) in %.1f s%n", a.size(), b.size(), n - alone,
        (System.nanoTime() - t0) / 1e9);
    System.gc();
    long generatedHeap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();

    t0 = System.nanoTime();
    Map<String, Fields> sampleB = new LinkedHashMap<>();
    Map<String, Fields> allA = new HashMap<>();
    a.snapshot().forEach((k, v) -> allA.put(k, v.payload()));
    Random pick = new Random(7);
    b.snapshot().forEach((k, v) -> {
      if (pick.nextInt(20) == 0) {
        sampleB.put(k, v.payload());
      }
    });
    Estimation.Result fit = Estimation.builder()
        .field("given_name", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("surname", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("street_number", FieldComparator.exact())
        .field("address_1", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("suburb", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("postcode", FieldComparator.levenshtein(1))
        .field("state", FieldComparator.exact())
        .field("date_of_birth", FieldComparator.levenshtein(1, 2))
        .randomPairs(200_000).seed(42)
        .estimate(allA, sampleB, BLOCKING);
    allA.clear();
    System.out.printf("EM estimate on side A and %,d records of side B: %.1f s, match share %.4f%n", sampleB.size(),
        (System.nanoTime() - t0) / 1e9, fit.matchShare());

    Correlation c = Correlation.builder().name("people").sideA(a).sideB(b)
        .mapping(f -> Fields.ofNullable("phone", f.get("phone")), f -> Fields.ofNullable("phone", f.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(fit.rule()).blocking(BLOCKING)
        .thresholds(16, 8)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .state(StateStore.inMemory())
        .build();
    System.gc();
    t0 = System.nanoTime();
    CorrelationReport first = c.round();
    double firstS = (System.nanoTime() - t0) / 1e9;
    long right = 0;
    for (Map.Entry<String, String> l : c.links().entrySet()) {
      if (l.getKey().substring(1).equals(l.getValue().substring(1))) {
        right++;
      }
    }
    System.out.printf("round 1: %s in %.1f s; %,d pairs compared, %,d links (%,d right: precision %.4f, recall %.4f),"
            + " %,d waiting for review; heap in use after a collection at most %.0f MiB (pools' peaks summed %.0f MiB)%n",
        first.status(), firstS, first.linking().compared(),
        c.links().size(), right, (double) right / c.links().size(),
        (double) right / (n - alone), first.linking().review(), Bench.peakLiveHeap() / 1048576.0, Bench.peakHeap() / 1048576.0);

    System.gc();
    System.out.printf("after round 1, live heap (after a full collection) %.0f MiB%n",
        (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / 1048576.0);
    if (Boolean.getBoolean("histogram")) {
      try {
        Object out = java.lang.management.ManagementFactory.getPlatformMBeanServer().invoke(
            new javax.management.ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
            new Object[] {new String[0]}, new String[] {String[].class.getName()});
        out.toString().lines().limit(30).forEach(System.out::println);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    // CHANGES edits: phones on linked records, new copies of entities side A alone had, name typos, deletes.
    Random r = new Random(11);
    List<Change<Fields>> onA = new ArrayList<>();
    List<Change<Fields>> onB = new ArrayList<>();
    for (int i = 0; i < changes; i++) {
      long e = alone + r.nextInt(n - alone);
      switch (i % 10) {
        case 0, 1, 2, 3, 4 -> onA.add(Change.upsert(new Envelope<>("a" + e, 2,
            a.get("a" + e).payload().with("phone", String.format("05%08d", r.nextInt(100_000_000))))));
        case 5, 6 -> {
          long only = r.nextInt(alone);
          onB.add(Change.upsert(new Envelope<>("b" + only, 2, People.corrupted(people.person(only), only))));
        }
        case 7, 8 -> {
          Fields now = b.get("b" + e).payload();
          if (now.get("surname") != null) {
            onB.add(Change.upsert(new Envelope<>("b" + e, 2, now.with("surname", People.typo((String) now.get("surname"), r)))));
          }
        }
        default -> onA.add(Change.delete("a" + e));
      }
    }
    a.write(onA);
    b.write(onB);
    t0 = System.nanoTime();
    CorrelationReport second = c.round();
    double secondS = (System.nanoTime() - t0) / 1e9;
    System.out.printf("round 2 (%,d changed records): %s in %.3f s; %,d pairs compared, %,d linked, %,d links ended;"
            + " wrote %,d to A, %,d to B%n", onA.size() + onB.size(), second.status(), secondS,
        second.linking().compared(), second.linking().linkedCount(), second.linking().endedCount(),
        second.sync().a().written(), second.sync().b().written());
    System.out.printf("systems' own records (both in this heap, %,d records): the heap after generating them was %.0f MiB%n",
        a.size() + b.size(), generatedHeap / 1048576.0);
  }
}
