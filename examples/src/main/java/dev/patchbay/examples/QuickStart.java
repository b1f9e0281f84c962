package dev.patchbay.examples;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.correlation.CorrelationReport;
import dev.patchbay.patterns.matching.FellegiSunter;
import dev.patchbay.patterns.matching.FieldComparator;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.correlation.ReviewItem;
import dev.patchbay.patterns.migration.Migration;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/** The correlation of docs/correlation.md, kept compiling and run by {@code ExamplesTest}. */
final class QuickStart {

  private QuickStart() {
  }

  static Correlation correlation(InMemoryStore<Fields> north, InMemoryStore<Fields> south, Path state) {
    MatchRule rule = FellegiSunter.builder()                  // or Estimation.builder()...estimate(a, b, blocking).rule()
        .field("given", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.06, 0.04}, new double[] {0.014, 0.0075, 0.978})
        .field("surname", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.06, 0.04}, new double[] {0.014, 0.0075, 0.978})
        .field("dob", FieldComparator.exact(), new double[] {0.95, 0.05}, new double[] {0.015, 0.985})
        .build();
    Correlation patients = Correlation.builder()
        .name("north-south-patients")
        .sideA(north).sideB(south)                            // change feed, lookup, writes: JdbcTable.WithChanges, ...
        .mapping(p -> Fields.ofNullable("phone", p.get("phone")), p -> Fields.ofNullable("phone", p.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(rule)
        .blocking(Blocking.field("surname").or(Blocking.field("dob")))   // which pairs are scored at all
        .thresholds(12, 6)                                    // link at 12 bits or more; a person reviews 6 to 12
        .ambiguityMargin(1)                                   // two candidates within 1 bit: ambiguous, not linked
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(2), Side.A))
        .state(StateStore.directory(state))                   // the crosswalk, the people's decisions, the sync's links
        .build();
    CorrelationReport report = patients.round();              // links made and ended, review queue, histogram; the sync's writes
    System.out.println(report.summary());
    for (ReviewItem pair : patients.reviewQueue()) {          // pairs for a person, each explained field by field
      System.out.println(pair.aKey() + " <-> " + pair.bKey() + ": " + pair.reason() + ", " + pair.score().fields());
    }
    return patients;
  }
}
