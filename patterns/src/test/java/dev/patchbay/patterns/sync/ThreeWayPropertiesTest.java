package dev.patchbay.patterns.sync;

import static org.quicktheories.QuickTheory.qt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.patchbay.core.Fields;
import dev.patchbay.connectors.testkit.Seeds;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** S3's last sentence: a pair's decision does not depend on which system is side A. */
class ThreeWayPropertiesTest {

  private static final List<String> FIELDS = List.of("name", "city", "visits");

  /** The two systems of a sync; which is side A is what the property varies. */
  private enum System { CRM, PERMITS }

  @Test
  void s3_theDecisionOfAPair_isTheSame_whicheverSystemIsSideA() {
    qt().withFixedSeed(Seeds.seed("sync S3 symmetry")).withExamples(3_000).forAll(longs().all()).checkAssert(this::check);
  }

  private void check(long seed) {
    Random random = new Random(seed);
    Fields base = random.nextInt(5) == 0 ? null : fields(random);
    Fields crm = edited(base, random);
    Fields permits = edited(base, random);
    long crmVersion = 1_000_000L * random.nextInt(4);
    long permitsVersion = 1_000_000L * random.nextInt(4);
    Function<Side, ConflictPolicy> policy = policy(random);   // from which side CRM is

    ThreeWay.Decision crmIsA = ThreeWay.decide("k", "k", base, crm, permits, crmVersion, permitsVersion, policy.apply(Side.A));
    ThreeWay.Decision crmIsB = ThreeWay.decide("k", "k", base, permits, crm, permitsVersion, crmVersion, policy.apply(Side.B));

    String where = "seed " + seed + ": base " + show(base) + ", CRM " + show(crm) + " at " + crmVersion + ", permits "
        + show(permits) + " at " + permitsVersion + "; CRM as A: " + crmIsA + ", CRM as B: " + crmIsB;
    assertEquals(crmIsA.getClass(), crmIsB.getClass(), where);
    if (crmIsA instanceof ThreeWay.Same x) {
      assertTrue(ThreeWay.same(x.values(), ((ThreeWay.Same) crmIsB).values()), where);
    } else if (crmIsA instanceof ThreeWay.Carry x) {
      assertTrue(ThreeWay.same(x.values(), ((ThreeWay.Carry) crmIsB).values()), where);
    } else if (crmIsA instanceof ThreeWay.Deleted x) {
      assertEquals(x.from().other(), ((ThreeWay.Deleted) crmIsB).from(), where);
    } else {
      Resolution one = ((ThreeWay.Resolved) crmIsA).resolution();
      Resolution other = ((ThreeWay.Resolved) crmIsB).resolution();
      assertEquals(one.kind(), other.kind(), where);
      assertTrue(ThreeWay.same(one.values(), other.values()), where + ": " + show(one.values()) + " against " + show(other.values()));
    }
  }

  /** A policy over the two systems, as built where CRM is side {@code crmSide}. */
  private static Function<Side, ConflictPolicy> policy(Random random) {
    System tiebreak = System.values()[random.nextInt(2)];
    Duration tolerance = Duration.ofSeconds(random.nextInt(3));
    Map<String, System> owners = new LinkedHashMap<>();
    FIELDS.forEach(f -> {
      if (random.nextBoolean()) {
        owners.put(f, System.values()[random.nextInt(2)]);
      }
    });
    int kind = random.nextInt(6);
    return crmSide -> {
      Function<System, Side> side = s -> s == System.CRM ? crmSide : crmSide.other();
      ConflictPolicy lww = ConflictPolicy.lastWriterWins(tolerance, side.apply(tiebreak));
      Map<String, Side> bySide = new LinkedHashMap<>();
      owners.forEach((f, s) -> bySide.put(f, side.apply(s)));
      return switch (kind) {
        case 0 -> lww;
        case 1 -> ConflictPolicy.fieldMerge(lww);
        case 2 -> ConflictPolicy.fieldMerge(ConflictPolicy.manual());
        case 3 -> ConflictPolicy.systemOfRecord(bySide, lww);
        case 4 -> ConflictPolicy.systemOfRecord(bySide, ConflictPolicy.fieldMerge(lww));
        default -> ConflictPolicy.manual();
      };
    };
  }

  private static Fields fields(Random random) {
    Fields f = Fields.empty();
    for (String name : FIELDS) {
      if (random.nextInt(4) != 0) {
        f = f.with(name, value(name, random));
      }
    }
    return f;
  }

  private static Object value(String name, Random random) {
    return name.equals("visits") ? (Object) (long) random.nextInt(3) : name + "-" + random.nextInt(3);
  }

  /** Absent, as it was, or with a field or two changed, added or removed. */
  private static Fields edited(Fields base, Random random) {
    int what = random.nextInt(5);
    if (what == 0 || base == null && what == 1) {
      return base == null ? fields(random) : null;
    }
    if (what == 1) {
      return base;
    }
    Fields f = base == null ? fields(random) : base;
    for (int i = 0; i < 1 + random.nextInt(2); i++) {
      String name = FIELDS.get(random.nextInt(FIELDS.size()));
      f = random.nextInt(4) == 0 ? f.without(name) : f.with(name, value(name, random));
    }
    return f;
  }

  private static String show(Fields f) {
    return f == null ? "absent" : f.asMap().toString();
  }
}
