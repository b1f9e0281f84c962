package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.MatchRule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.strings;

import dev.patchbay.connectors.testkit.Seeds;
import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The structures under the linkage: the key index, the streaming histogram and its picture, the unexplained score. */
class LinkageStructuresTest {

  @Test
  void theKeyIndex_holdsWhatAModelHolds_overRandomAddsAndRemoves() {
    qt().withFixedSeed(Seeds.seed("key index")).withExamples(200)
        .forAll(lists().of(integers().between(0, 3_000)).ofSizeBetween(0, 400))
        .checkAssert(ops -> {
          KeyIndex index = new KeyIndex();
          Map<Long, Set<String>> model = new HashMap<>();
          for (int op : ops) {
            long hash = KeyIndex.hash("block-" + (op % 37));
            String key = "r" + (op / 37 % 25);
            if (op % 3 == 0) {
              index.remove(hash, key);
              model.getOrDefault(hash, new HashSet<>()).remove(key);
            } else if (!model.computeIfAbsent(hash, h -> new HashSet<>()).contains(key)) {
              index.add(hash, key);
              model.get(hash).add(key);
            }
          }
          for (int b = 0; b < 37; b++) {
            long hash = KeyIndex.hash("block-" + b);
            Set<String> held = new HashSet<>();
            index.forEach(hash, held::add);
            assertEquals(model.getOrDefault(hash, Set.of()), held, "block-" + b);
          }
        });
  }

  @Test
  void theHistogram_countsEveryScore_inBinsSpanningThem() {
    Histogram.Counter counter = new Histogram.Counter();
    Random random = new Random(Seeds.seed("histogram"));
    List<Double> scores = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      double s = random.nextBoolean() ? -20 + random.nextGaussian() * 3 : 25 + random.nextGaussian() * 2;
      scores.add(s);
      counter.add(s);
    }
    Histogram h = counter.histogram(20, 10, 5);
    assertEquals(10_000, h.total());
    assertEquals(scores.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), h.from(), 1e-9);
    assertEquals(20, h.counts().size());
    long low = scores.stream().filter(s -> s < 0).count();
    long binnedLow = 0;
    for (int i = 0; i < h.counts().size(); i++) {
      if (h.from() + (i + 1) * h.width() <= 0) {
        binnedLow += h.counts().get(i);
      }
    }
    assertEquals(low, binnedLow, 0.01 * low, "the lower hump in the lower bins (to an eighth of a unit)");
    Histogram.Counter wide = new Histogram.Counter();
    wide.add(-1e9);
    wide.add(1e9);
    wide.add(0);
    assertEquals(3, wide.histogram(4, 0, 0).total(), "a range too wide to count by eighths still counts every score");
    assertEquals(0, new Histogram.Counter().histogram(20, 1, 1).total());
  }

  @Test
  void theKeyIndex_growsPastItsFirstTable_andKeepsEveryBlockApart() {
    KeyIndex index = new KeyIndex();
    int blocks = 20_000;   // the first table has 1,024 slots: it grows five times
    for (int b = 0; b < blocks; b++) {
      index.add(KeyIndex.hash("block-" + b), "r" + b);
      if (b % 1_000 == 0) {
        index.add(KeyIndex.hash("block-" + b), "twin" + b);
      }
    }
    for (int b = 0; b < blocks; b++) {
      List<String> held = new ArrayList<>();
      index.forEach(KeyIndex.hash("block-" + b), held::add);
      assertEquals(b % 1_000 == 0 ? List.of("r" + b, "twin" + b) : List.of("r" + b), held, "block-" + b);
    }
    List<String> none = new ArrayList<>();
    index.forEach(KeyIndex.hash("block-" + blocks), none::add);
    assertEquals(List.of(), none, "a block never filed holds nothing");
  }

  @Test
  void theKeyIndexHash_tellsDistinctBlockingKeysApart_andIsNeverTheEmptyMark() {
    Set<Long> hashes = new HashSet<>();
    int n = 200_000;
    for (int i = 0; i < n; i++) {
      long h = KeyIndex.hash("surname:" + i);
      assertTrue(h != 0, "0 marks an empty slot");
      hashes.add(h);
    }
    hashes.add(KeyIndex.hash(""));
    assertEquals(n + 1, hashes.size(), "two blocking keys with one hash only add candidate pairs, next to never");
    assertEquals(KeyIndex.hash("dob:1815-12-10"), KeyIndex.hash("dob:" + "1815-12-10"), "a hash of the text, not of the instance");
  }

  @Test
  void theHistogram_binsScoresOnItsGridExactly_wheneverTheyCome() {
    qt().withFixedSeed(Seeds.seed("histogram bins")).withExamples(300)
        .forAll(lists().of(integers().between(-4_000, 4_000)).ofSizeBetween(1, 300), integers().between(1, 25))
        .checkAssert((eighths, bins) -> {
          Histogram.Counter counter = new Histogram.Counter();
          eighths.forEach(e -> counter.add(e / 8.0));   // scores on the counter's grid: no rounding to model
          Histogram h = counter.histogram(bins, 10, 5);
          double min = eighths.stream().mapToInt(Integer::intValue).min().orElseThrow() / 8.0;
          double max = eighths.stream().mapToInt(Integer::intValue).max().orElseThrow() / 8.0;
          int n = max > min ? bins : 1;
          double width = max > min ? (max - min) / bins : 1;
          long[] model = new long[n];
          eighths.forEach(e -> model[Math.min(n - 1, (int) ((e / 8.0 - min) / width))]++);
          assertEquals(min, h.from(), 0.0);
          assertEquals(width, h.width(), 0.0);
          assertEquals(java.util.Arrays.stream(model).boxed().toList(), h.counts(), eighths.toString());
          assertEquals(10, h.link(), 0.0);
          assertEquals(5, h.review(), 0.0);
        });
    Histogram.Counter one = new Histogram.Counter();
    one.add(Double.NaN);
    one.add(2.5);
    assertEquals(new Histogram(2.5, 1, List.of(1L), 10, 5), one.histogram(20, 10, 5), "one score: one bin; NaN is not a score");
  }

  @Test
  void theHistogramRendered_isABarABin_scaledToTheFullest_withTheThresholdsMarked() {
    Histogram h = new Histogram(-2, 2, List.of(1L, 4L, 2L, 0L), 1, -1);
    String bar = "#".repeat(10);
    assertEquals(String.join(System.lineSeparator(),
        "    -2.00 " + bar + " ".repeat(30) + " 1  <- review -1.0",
        "     0.00 " + "#".repeat(40) + " 4  <- link 1.0",
        "     2.00 " + "#".repeat(20) + " ".repeat(20) + " 2",
        "     4.00 " + " ".repeat(40) + " 0", ""), h.render());
    assertEquals(7, h.total());
    Histogram edges = new Histogram(0, 1, List.of(1L, 1L), 1, 0);
    assertEquals(String.join(System.lineSeparator(),
        "     0.00 " + "#".repeat(40) + " 1  <- review 0.0",
        "     1.00 " + "#".repeat(40) + " 1  <- link 1.0", ""), edges.render(), "a threshold on an edge is the upper bin's");
  }

  @Test
  void aFellegiSunterValue_isItsScoresValue_exactly() {
    MatchRule rule = CorrelationTest.RULE;
    qt().withFixedSeed(Seeds.seed("value equals score")).withExamples(2_000)
        .forAll(strings().allPossible().ofLengthBetween(0, 6), strings().allPossible().ofLengthBetween(0, 6),
            integers().between(0, 3))
        .checkAssert((x, y, dob) -> {
          Fields a = Fields.ofNullable("given", x.isEmpty() ? null : x, "surname", y, "dob", "2000-01-0" + (dob + 1));
          Fields b = Fields.ofNullable("given", y, "surname", x, "dob", "2000-01-01");
          assertEquals(rule.score(a, b).value(), rule.value(a, b), 0.0);
        });
  }
}
