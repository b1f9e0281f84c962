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

/** The README's quick starts, kept compiling and run by {@code ExamplesTest}. */
final class QuickStart {

  private QuickStart() {
  }

  static RunReport migration(InMemoryStore<Fields> crm, InMemoryStore<Fields> mailing, Path state) {
    Migration<Fields, Fields> migration = Migration.builder()
        .name("crm-contacts")
        .source(crm)                                     // any Source<Fields>: JdbcTable, CsvFile, your own
        .scope(ScopeCriteria.where("opted in", r -> Boolean.TRUE.equals(r.payload().get("optIn"))))
        .transform(Transform.payload(f -> Fields.of(
            "email", f.requireText("email").toLowerCase(Locale.ROOT),   // absent: the record FAILS, naming the field
            "name", f.requireText("name"))))
        .destination(mailing)                            // any Destination<Fields>
        .state(StateStore.directory(state))   // survives a kill; one run per name at a time
        .build();
    RunReport report = migration.run();                  // resumes where a cut-short run stopped
    System.out.println(report.summary());                // counts, each failure, the reconciliation
    return report;
  }

  static SyncReport sync(InMemoryStore<Fields> crm, InMemoryStore<Fields> permits, Path state) {
    BidirectionalSync sync = BidirectionalSync.builder()
        .name("crm-permits")
        .sideA(crm)                                      // reads changes, reads by key, writes: JdbcTable.WithChanges, ...
        .sideB(permits)
        .mapping(c -> Fields.ofNullable("fullName", c.get("name"), "town", c.get("city")),   // absent stays absent
                 p -> Fields.ofNullable("name", p.get("fullName"), "city", p.get("town")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ofSeconds(2), Side.A))
        .state(StateStore.directory(state))   // or JdbcStateStore.of(dataSource, prefix)
        .build();
    SyncReport report = sync.round();                    // or sync.every(Duration.ofMinutes(5), reports::add)
    System.out.println(report.summary());                // per side: read, created, updated, deleted; conflicts
    return report;
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
