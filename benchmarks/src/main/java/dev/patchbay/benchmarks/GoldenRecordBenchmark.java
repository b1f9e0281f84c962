package dev.patchbay.benchmarks;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Transform;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.patterns.aggregation.Aggregation;
import dev.patchbay.patterns.aggregation.AggregationReport;
import dev.patchbay.patterns.aggregation.Input;
import dev.patchbay.patterns.aggregation.Survivorship;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Golden-record quality on FEBRL3: 2,000 originals and 3,000 corrupted duplicates (up to five of
 * one original). The duplicates are the records of five inputs (the k-th duplicate of an original
 * in input {@code dup-k}), the originals held out as the truth, the true clusters given as the
 * merge key. Field accuracy: over the clusters of two or more duplicates, the share of (cluster,
 * field) whose golden value is the original's (both absent counts as equal), over the ten fields.
 * Each rule is the default survivorship of one aggregation, all in one run; FEBRL2 (4,000
 * originals, 1,000 duplicates) the same way, as a hold-out for a rule shaped on FEBRL3.
 *
 * <p>Run: {@code java -cp ... dev.patchbay.benchmarks.GoldenRecordBenchmark <folder holding dataset3.csv>}.
 */
public final class GoldenRecordBenchmark {

  static final List<String> FIELDS = List.of("given_name", "surname", "street_number", "address_1", "address_2", "suburb",
      "postcode", "state", "date_of_birth", "soc_sec_id");

  private GoldenRecordBenchmark() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      throw new IllegalArgumentException("usage: GoldenRecordBenchmark <folder holding dataset3.csv and dataset2.csv>");
    }
    for (String file : List.of("dataset3.csv", "dataset2.csv")) {
      measure(Path.of(args[0]).resolve(file));
    }
  }

  /** Each rule's field accuracy on one FEBRL file, and the ceiling: the share where some duplicate holds the original's value. */
  static void measure(Path file) throws IOException {
    Map<String, Fields> originals = new TreeMap<>();
    Map<Integer, List<Envelope<Fields>>> inputs = new TreeMap<>();
    Map<String, List<Fields>> duplicates = new TreeMap<>();
    read(file).forEach((id, f) -> {
      String n = id.split("-")[1];
      if (id.endsWith("-org")) {
        originals.put(n, f);
      } else {
        int k = Integer.parseInt(id.substring(id.lastIndexOf('-') + 1));
        inputs.computeIfAbsent(k, x -> new ArrayList<>()).add(new Envelope<>(id, 1, f.with("entity", n)));
        duplicates.computeIfAbsent(n, x -> new ArrayList<>()).add(f);
      }
    });
    List<String> clusters = duplicates.entrySet().stream().filter(e -> e.getValue().size() >= 2).map(Map.Entry::getKey).toList();
    long total = (long) clusters.size() * FIELDS.size();
    long reachable = 0;
    for (String n : clusters) {
      for (String f : FIELDS) {
        Object truth = originals.get(n).get(f);
        List<Fields> dups = duplicates.get(n);
        boolean held = dups.stream().anyMatch(d -> Objects.equals(d.get(f), truth));
        reachable += (truth == null ? dups.stream().allMatch(d -> d.get(f) == null) : held) ? 1 : 0;
      }
    }
    System.out.printf("%n%s: %,d originals, %,d duplicates in %d inputs; %,d clusters of two or more duplicates%n",
        file.getFileName(), originals.size(), duplicates.values().stream().mapToInt(List::size).sum(), inputs.size(),
        clusters.size());
    System.out.println("| rule | field accuracy | fields right | ms |");
    System.out.println("|---|---:|---:|---:|");
    Map<String, Survivorship> rules = new LinkedHashMap<>();
    rules.put("most frequent", Survivorship.mostFrequent());
    rules.put("source priority (dup-0 first)", Survivorship.priority());
    rules.put("most complete (the longest)", Survivorship.mostComplete());
    for (Map.Entry<String, Survivorship> rule : rules.entrySet()) {
      long began = System.nanoTime();
      InMemoryStore<Fields> golden = InMemoryStore.create("golden");
      Aggregation.Builder b = Aggregation.builder().name("febrl").destination(golden)
          .outputKey(Aggregation.OutputKey.MERGE_KEY).survivorship(rule.getValue()).batchSize(1_000);
      inputs.forEach((k, records) -> {
        InMemoryStore<Fields> store = InMemoryStore.create("dup-" + k);
        store.putAll(records);
        b.input(Input.from("dup-" + k, store).transform(Transform.identity()).mergeKey("entity"));
      });
      AggregationReport report = b.build().run();
      if (report.status() != RunStatus.COMPLETED) {
        throw new IllegalStateException(report.summary());
      }
      long ms = (System.nanoTime() - began) / 1_000_000;
      long right = 0;
      for (String n : clusters) {
        Fields made = golden.get(n).payload();
        for (String f : FIELDS) {
          right += Objects.equals(originals.get(n).get(f), made.get(f)) ? 1 : 0;
        }
      }
      System.out.printf("| %s | %.4f | %,d / %,d | %,d |%n", rule.getKey(), (double) right / total, right, total, ms);
    }
    System.out.printf("| ceiling: some duplicate holds the original's value | %.4f | %,d / %,d | |%n", (double) reachable / total,
        reachable, total);
    endToEnd(originals, inputs, duplicates, clusters, total);
  }

  /**
   * End to end: no merge key; the entities found by the aggregation's own matching (a
   * Fellegi-Sunter rule whose weights are estimated without labels on inputs dup-0 and dup-1, the
   * correlation benchmark's comparators, blocking and 16-bit threshold, all stated before this
   * run), most frequent survivorship. Pairwise precision and recall of the entities against the
   * truth, the share of true clusters found exactly, and the field accuracy of the golden record
   * holding most of each true cluster of two or more.
   */
  static void endToEnd(Map<String, Fields> originals, Map<Integer, List<Envelope<Fields>>> inputs,
      Map<String, List<Fields>> duplicates, List<String> clusters, long total) {
    long began = System.nanoTime();
    Map<String, Fields> a = new LinkedHashMap<>();
    Map<String, Fields> b = new LinkedHashMap<>();
    inputs.get(0).forEach(e -> a.put(e.key(), e.payload().without("entity")));
    inputs.get(1).forEach(e -> b.put(e.key(), e.payload().without("entity")));
    dev.patchbay.patterns.matching.MatchRule rule = FebrlBenchmark.estimate(a, b).rule();
    InMemoryStore<Fields> golden = InMemoryStore.create("golden");
    Aggregation.Builder builder = Aggregation.builder().name("febrl-matched").destination(golden)
        .match(rule, FebrlBenchmark.BLOCKING, FebrlBenchmark.LINK).survivorship(Survivorship.mostFrequent()).batchSize(1_000);
    inputs.forEach((k, records) -> {
      InMemoryStore<Fields> store = InMemoryStore.create("dup-" + k);
      records.forEach(e -> store.putAll(List.of(new Envelope<>(e.key(), 1, e.payload().without("entity")))));
      builder.input(Input.from("dup-" + k, store).transform(Transform.identity()).matched());
    });
    Aggregation agg = builder.build();
    AggregationReport report = agg.run();
    if (report.status() != RunStatus.COMPLETED) {
      throw new IllegalStateException(report.summary());
    }
    long ms = (System.nanoTime() - began) / 1_000_000;
    List<dev.patchbay.patterns.aggregation.GoldenRecord> found = agg.goldenRecords();
    long truePairs = 0;
    for (List<Fields> d : duplicates.values()) {
      truePairs += (long) d.size() * (d.size() - 1) / 2;
    }
    long foundPairs = 0;
    long rightPairs = 0;
    Map<String, Map<String, Integer>> holding = new TreeMap<>();   // true entity -> golden id -> its duplicates there
    Map<String, dev.patchbay.patterns.aggregation.GoldenRecord> byId = new LinkedHashMap<>();
    long exact = 0;
    for (var g : found) {
      byId.put(g.id(), g);
      List<String> entities = g.members().stream().map(m -> m.key().split("-")[1]).toList();
      int n = entities.size();
      foundPairs += (long) n * (n - 1) / 2;
      for (int i = 0; i < n; i++) {
        holding.computeIfAbsent(entities.get(i), x -> new TreeMap<>()).merge(g.id(), 1, Integer::sum);
        for (int j = i + 1; j < n; j++) {
          rightPairs += entities.get(i).equals(entities.get(j)) ? 1 : 0;
        }
      }
      if (entities.stream().distinct().count() == 1 && duplicates.get(entities.get(0)).size() == n) {
        exact++;
      }
    }
    long right = 0;
    for (String n : clusters) {
      String id = holding.get(n).entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue()
          .thenComparing(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))).orElseThrow().getKey();
      Fields made = byId.get(id).values();
      for (String f : FIELDS) {
        right += Objects.equals(originals.get(n).get(f), made.get(f)) ? 1 : 0;
      }
    }
    System.out.printf("%nEnd to end, entities found by the aggregation's matching (Fellegi-Sunter estimated on dup-0 x dup-1,"
        + " threshold %.0f bits), most frequent:%n", FebrlBenchmark.LINK);
    System.out.println("| entities | pair precision | pair recall | true clusters found exactly | field accuracy | ms |");
    System.out.println("|---:|---:|---:|---:|---:|---:|");
    System.out.printf("| %,d (truth %,d) | %.4f (%,d / %,d) | %.4f (%,d / %,d) | %.4f (%,d / %,d) | %.4f (%,d / %,d) | %,d |%n",
        found.size(), duplicates.size(), (double) rightPairs / foundPairs, rightPairs, foundPairs, (double) rightPairs / truePairs,
        rightPairs, truePairs, (double) exact / duplicates.size(), exact, duplicates.size(), (double) right / total, right, total,
        ms);
  }

  /** A FEBRL file: separator ", ", cells trimmed, empty cells missing, keyed by rec_id; every field kept. */
  static Map<String, Fields> read(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    String[] header = lines.get(0).replace("\uFEFF", "").split(",");
    Map<String, Fields> out = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      if (line.isBlank()) {
        continue;
      }
      String[] cells = line.split(",", -1);
      Map<String, Object> fields = new LinkedHashMap<>();
      for (int i = 1; i < header.length; i++) {
        String value = i < cells.length ? cells[i].trim() : "";
        if (!value.isEmpty()) {
          fields.put(header[i].trim(), value);
        }
      }
      out.put(cells[0].trim(), Fields.from(fields));
    }
    return out;
  }
}
