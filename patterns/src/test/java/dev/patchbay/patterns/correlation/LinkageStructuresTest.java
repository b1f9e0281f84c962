package dev.patchbay.patterns.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
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

/** The structures under the linkage: the key index, the streaming histogram, the unexplained score. */
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
