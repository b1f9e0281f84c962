package dev.patchbay.benchmarks;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.matching.CandidatePairs;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.correlation.CorrelationReport;
import dev.patchbay.patterns.matching.Estimation;
import dev.patchbay.patterns.matching.FieldComparator;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import no.priv.garshol.duke.ConfigurationImpl;
import no.priv.garshol.duke.DataSource;
import no.priv.garshol.duke.Processor;
import no.priv.garshol.duke.Property;
import no.priv.garshol.duke.PropertyImpl;
import no.priv.garshol.duke.Record;
import no.priv.garshol.duke.RecordImpl;
import no.priv.garshol.duke.comparators.ExactComparator;
import no.priv.garshol.duke.comparators.JaroWinkler;
import no.priv.garshol.duke.comparators.Levenshtein;
import no.priv.garshol.duke.databases.LuceneDatabase;
import no.priv.garshol.duke.datasources.InMemoryDataSource;
import no.priv.garshol.duke.matchers.AbstractMatchListener;

/**
 * Record linkage quality and time on FEBRL4 (5,000 originals on side A, one corrupted copy of each
 * on side B), Patchbay's {@link Correlation} and Duke 1.2 side by side in one JVM, each run the same
 * number of times, the median time reported. Closed world: every record; open world: side A keeps
 * only the entities with an even number, so half of side B has no counterpart there, and a B record
 * linked to anything is a leak. Neither rule sees {@code soc_sec_id} nor the truth: Patchbay's
 * weights are estimated by EM from the records alone, once, and used for both worlds at one stated
 * threshold; Duke's configuration is the one in {@code datasets/febrl/ANCHORS.md}.
 *
 * <p>Run: {@code java -cp ... dev.patchbay.benchmarks.FebrlBenchmark [dataset dir] [rounds]}.
 */
public final class FebrlBenchmark {

  static final String[] FIELDS = {"given_name", "surname", "street_number", "address_1", "address_2", "suburb",
      "postcode", "state", "date_of_birth"};

  /**
   * Patchbay's link threshold, in bits (log2 of the Bayes factor), stated before any run: at the
   * estimated match share of candidate pairs (0.106, so prior odds of 2^-3.07), 16 bits is a
   * posterior match probability of 0.9999; the review threshold, 8 bits, one of 0.97.
   */
  static final double LINK = 16;
  static final double REVIEW = 8;

  private FebrlBenchmark() {
  }

  public static void main(String[] args) throws IOException {
    if (args.length == 0) {
      throw new IllegalArgumentException("usage: FebrlBenchmark <folder holding dataset4a.csv and dataset4b.csv> [rounds]");
    }
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    Map<String, Fields> a = read(dir.resolve("dataset4a.csv"));
    Map<String, Fields> b = read(dir.resolve("dataset4b.csv"));
    Map<String, Fields> even = new LinkedHashMap<>();
    a.forEach((k, v) -> {
      if (entity(k) % 2 == 0) {
        even.put(k, v);
      }
    });
    System.out.printf("FEBRL4: side A %d records (%d with an even entity), side B %d%n", a.size(), even.size(), b.size());

    long t0 = System.nanoTime();
    Estimation.Result fit = estimate(a, b);
    long estimateMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("EM estimate (no labels): %d ms, estimated match share of candidate pairs %.4f%n", estimateMs,
        fit.matchShare());
    fit.m().forEach((f, m) -> System.out.printf("  %-14s m %s  u %s%n", f, round(m), round(fit.u().get(f))));
    System.out.printf("Blocking: %s; candidate pairs %d (closed), %d (open)%n", BLOCKING.describe(),
        CandidatePairs.of(a, b, BLOCKING).count(), CandidatePairs.of(even, b, BLOCKING).count());
    System.out.printf("Patchbay thresholds: link %.1f bits, review %.1f bits, ambiguity margin 0%n%n", LINK, REVIEW);

    System.out.println("| world | linker | links | precision | recall | F1 | unshared linked | ms (median of " + rounds + ") |");
    System.out.println("|---|---|---:|---:|---:|---:|---:|---:|");
    for (String world : List.of("closed", "open")) {
      Map<String, Fields> sideA = world.equals("closed") ? a : even;
      long shared = b.keySet().stream().filter(k -> sideA.containsKey("rec-" + entity(k) + "-org")).count();
      long[] pbMs = new long[rounds];
      long[] dukeMs = new long[rounds];
      Map<String, String> pb = null;
      Map<String, String> duke = null;
      CorrelationReport last = null;
      for (int r = 0; r < rounds; r++) {   // alternating, so that neither always runs on a warmer JVM
        long s = System.nanoTime();
        Correlation c = correlation(fit.rule(), sideA, b);
        last = c.round();
        pbMs[r] = (System.nanoTime() - s) / 1_000_000;
        pb = new HashMap<>();
        for (Map.Entry<String, String> l : c.links().entrySet()) {
          pb.put(l.getValue(), l.getKey());
        }
        s = System.nanoTime();
        duke = duke(sideA, b);
        dukeMs[r] = (System.nanoTime() - s) / 1_000_000;
      }
      row(world, "Patchbay correlation", pb, shared, sideA, Bench.median(pbMs));
      row(world, "Duke 1.2 (best)", duke, shared, sideA, Bench.median(dukeMs));
      System.out.printf("|   | Patchbay: %d compared, review %d, ambiguous A %d / B %d; time ratio %.2fx Duke's |||||||%n",
          last.linking().compared(), last.linking().review(), last.linking().a().ambiguous(), last.linking().b().ambiguous(),
          Bench.median(pbMs) / Bench.median(dukeMs));
    }
  }

  /**
   * Six keys, any of which makes a pair a candidate: a typo must hit every one of them to lose a
   * true pair. Chosen on the records alone (how many pairs each key makes), not on the truth.
   */
  static final Blocking BLOCKING = Blocking.field("date_of_birth")
      .or(Blocking.field("postcode"))
      .or(Blocking.field("address_1"))
      .or(initial("surname", "given_name"))
      .or(initial("given_name", "surname"))
      .or(Blocking.fields("suburb", "street_number"));

  /** Files a record by {@code field} and the first letter of {@code other}. */
  static Blocking initial(String field, String other) {
    return Blocking.on(field + " + " + other + " (first 1)", java.util.Set.of(field, other), r -> {
      String x = dev.patchbay.patterns.matching.Normalized.text(r.get(field));
      String y = dev.patchbay.patterns.matching.Normalized.text(r.get(other));
      return x == null || y == null ? null : x + "|" + y.charAt(0);
    });
  }

  static Estimation.Result estimate(Map<String, Fields> a, Map<String, Fields> b) {
    return Estimation.builder()
        .field("given_name", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("surname", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("street_number", FieldComparator.exact())
        .field("address_1", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("address_2", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("suburb", FieldComparator.jaroWinkler(0.94, 0.85))
        .field("postcode", FieldComparator.levenshtein(1))
        .field("state", FieldComparator.exact())
        .field("date_of_birth", FieldComparator.levenshtein(1, 2))
        .randomPairs(200_000).seed(42)
        .estimate(a, b, BLOCKING);
  }

  static Correlation correlation(MatchRule rule, Map<String, Fields> a, Map<String, Fields> b) {
    InMemoryStore<Fields> x = InMemoryStore.create("febrl-a");
    InMemoryStore<Fields> y = InMemoryStore.create("febrl-b");
    x.write(upserts(a));
    y.write(upserts(b));
    return Correlation.builder().name("febrl").sideA(x).sideB(y)
        .mapping(f -> Fields.empty(), f -> Fields.empty())   // linking only: no field is kept in step
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(rule).blocking(BLOCKING)
        .thresholds(LINK, REVIEW)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .state(StateStore.inMemory())
        .build();
  }

  private static List<Change<Fields>> upserts(Map<String, Fields> records) {
    List<Change<Fields>> out = new ArrayList<>(records.size());
    records.forEach((k, v) -> out.add(Change.upsert(new Envelope<>(k, 1, v))));
    return out;
  }

  /** Duke as ANCHORS.md configures it: best A candidate per B record, threshold 0.90, 25 Lucene hits, no fuzzy search. */
  static Map<String, String> duke(Map<String, Fields> a, Map<String, Fields> b) {
    ConfigurationImpl config = new ConfigurationImpl();
    List<Property> props = new ArrayList<>();
    props.add(new PropertyImpl("rec_id"));
    props.add(prop("given_name", new JaroWinkler(), 0.35, 0.80, true));
    props.add(prop("surname", new JaroWinkler(), 0.25, 0.88, true));
    props.add(prop("street_number", new ExactComparator(), 0.45, 0.60, false));
    props.add(prop("address_1", new Levenshtein(), 0.40, 0.75, true));
    props.add(prop("address_2", new Levenshtein(), 0.45, 0.60, false));
    props.add(prop("suburb", new Levenshtein(), 0.40, 0.70, true));
    props.add(prop("postcode", new ExactComparator(), 0.40, 0.70, false));
    props.add(prop("state", new ExactComparator(), 0.45, 0.55, false));
    props.add(prop("date_of_birth", new Levenshtein(), 0.20, 0.90, true));
    config.setProperties(props);
    config.setThreshold(0.90);
    LuceneDatabase db = new LuceneDatabase();
    db.setMaxSearchHits(25);
    db.setFuzzySearch(false);
    db.setConfiguration(config);
    config.setDatabase(db);
    config.addDataSource(1, source(a));
    config.addDataSource(2, source(b));
    Processor processor = new Processor(config, db);
    Map<String, String> links = new HashMap<>();
    processor.addMatchListener(new AbstractMatchListener() {
      @Override
      public void matches(Record r1, Record r2, double confidence) {
        String k1 = r1.getValue("rec_id");
        String k2 = r2.getValue("rec_id");
        if (k1.endsWith("-org")) {
          links.put(k2, k1);
        } else {
          links.put(k1, k2);
        }
      }
    });
    processor.link(config.getDataSources(1), config.getDataSources(2), false, 40_000);
    processor.close();
    return links;
  }

  private static Property prop(String name, no.priv.garshol.duke.Comparator comparator, double low, double high, boolean lookup) {
    PropertyImpl p = new PropertyImpl(name, comparator, low, high);
    p.setLookupBehaviour(lookup ? Property.Lookup.TRUE : Property.Lookup.FALSE);
    return p;
  }

  private static DataSource source(Map<String, Fields> records) {
    InMemoryDataSource source = new InMemoryDataSource();
    records.forEach((k, v) -> {
      RecordImpl r = new RecordImpl();
      r.addValue("rec_id", k);
      for (String f : FIELDS) {
        Object value = v.get(f);
        if (value != null) {
          r.addValue(f, (String) value);
        }
      }
      source.add(r);
    });
    return source;
  }

  /** A row: links (B key to A key) scored against the truth. */
  private static void row(String world, String linker, Map<String, String> links, long shared, Map<String, Fields> sideA,
      double ms) {
    long right = links.entrySet().stream().filter(e -> entity(e.getKey()) == entity(e.getValue())).count();
    long leaked = links.keySet().stream().filter(bKey -> !sideA.containsKey("rec-" + entity(bKey) + "-org")).count();
    double precision = links.isEmpty() ? 1 : (double) right / links.size();
    double recall = (double) right / shared;
    double f1 = 2 * precision * recall / (precision + recall);
    System.out.printf("| %s | %s | %,d | %.4f | %.4f | %.4f | %s | %.0f |%n", world, linker, links.size(), precision, recall,
        f1, world.equals("open") ? leaked + " / " + (sideA.size() == 5000 ? 0 : 5000 - sideA.size()) : "-", ms);
  }

  static int entity(String recId) {
    return Integer.parseInt(recId.split("-")[1]);
  }

  /** A FEBRL file as {@link GoldenRecordBenchmark#read} reads it, soc_sec_id left out. */
  static Map<String, Fields> read(Path file) throws IOException {
    Map<String, Fields> out = new LinkedHashMap<>();
    GoldenRecordBenchmark.read(file).forEach((id, f) -> out.put(id, f.without("soc_sec_id")));
    return out;
  }

  private static List<String> round(List<Double> p) {
    return p.stream().map(x -> String.format("%.4f", x)).toList();
  }

}
