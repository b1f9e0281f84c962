package dev.patchbay.examples;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.matching.Blocking;
import dev.patchbay.patterns.correlation.Correlation;
import dev.patchbay.patterns.correlation.CorrelationReport;
import dev.patchbay.patterns.matching.FellegiSunter;
import dev.patchbay.patterns.matching.FieldComparator;
import dev.patchbay.patterns.matching.MatchRule;
import dev.patchbay.patterns.correlation.ReviewItem;
import dev.patchbay.patterns.correlation.ReviewPage;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The demo's correlation scene: two hospitals of one network share the patients both have
 * treated, and only those. The same two patient tables are correlated three times, with a rule
 * too strict (exact name and birth date: typos and missing names lose shared patients), one too
 * lax (the surname alone: a patient's phone reaches a stranger's record) and an accurate one
 * (Fellegi-Sunter over names, birth date and postcode); then the accurate one runs on the real
 * tables and carries one shared patient's new phone number across, and nothing else.
 */
final class Hospitals {

  /** Who each record really is, as the demo knows and the correlation does not. */
  private final Map<String, String> truth = new TreeMap<>();
  final InMemoryStore<Fields> north = InMemoryStore.create("north-patients");
  final InMemoryStore<Fields> south = InMemoryStore.create("south-patients");

  /** Given name, surname, date of birth, postcode, phone; and who it is. */
  private static final Object[][] NORTH = {
      {"n-01", "Ada", "Lovelace", "1985-12-10", "6011", "021 555 0101", "ada"},
      {"n-02", "Grace", "Hopper", "1976-12-09", "6021", "021 555 0102", "grace"},
      {"n-03", "Zoë", "Ng", "1990-03-14", "6035", "021 555 0103", "zoe"},
      {"n-04", "Seán", "O'Brien", "1968-07-01", "6012", "021 555 0104", "sean"},
      {"n-05", "Mere", "Tane", "2001-01-23", "6022", "021 555 0105", "mere"},
      {"n-06", "James", "Smith", "1970-01-01", "6011", "021 555 0106", "james-1970"},
      {"n-07", "Alan", "Turing", "1954-06-23", "6037", "021 555 0107", "alan"},
      {"n-08", "Priya", "Patel", "1993-09-30", "6021", "021 555 0108", "priya"},
      {"n-09", "Hemi", "Walker", "1988-02-29", "6012", "021 555 0109", "hemi"},
      {"n-10", "Li", "Wei", "1979-11-11", "6035", "021 555 0110", "li-north"},
  };
  private static final Object[][] SOUTH = {
      {"s-101", "ada", "LOVELACE", "1985-12-10", "6011", "021 555 0101", "ada"},
      {"s-102", "Grace", "Hoper", "1976-12-09", "6021", "021 555 0102", "grace"},          // a typo
      {"s-103", "Zoe", "Ng", "1990-03-14", "6035", "027 444 0103", "zoe"},                 // no accent, an older phone
      {"s-104", "Sean", "OBrien", "1968-07-01", "6012", "021 555 0104", "sean"},           // punctuation
      {"s-105", null, "Tane", "2001-01-23", "6022", "021 555 0105", "mere"},               // the given name missing
      {"s-106", "James", "Smith", "1982-06-13", "9016", "03 555 0106", "james-1982"},      // another James Smith
      {"s-107", "Rangi", "Walker", "1995-05-05", "9012", "03 555 0107", "rangi"},          // another Walker
      {"s-108", "Mei", "Chen", "1999-08-08", "9010", "03 555 0108", "mei"},
      {"s-109", "Li", "Wei", "1991-04-04", "9011", "03 555 0109", "li-south"},             // another Li Wei
      {"s-110", "Priya", "Patel", "1993-09-03", "6021", "021 555 0108", "priya"},          // two digits of the date swapped
  };

  Hospitals() {
    north.write(patients(NORTH));
    south.write(patients(SOUTH));
  }

  private List<Change<Fields>> patients(Object[][] rows) {
    List<Change<Fields>> out = new ArrayList<>();
    for (Object[] r : rows) {
      truth.put((String) r[0], (String) r[6]);
      out.add(Change.upsert(new Envelope<>((String) r[0], 1, Fields.ofNullable("given", r[1], "surname", r[2],
          "dob", r[3], "postcode", r[4], "phone", r[5]))));
    }
    return out;
  }

  /** Names (Jaro-Winkler), date of birth and postcode (exact), weighed by Fellegi-Sunter: about 6 bits an agreeing field. */
  static final MatchRule ACCURATE = FellegiSunter.builder()
      .field("given", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.06, 0.04}, new double[] {0.0141, 0.0075, 0.9784})
      .field("surname", FieldComparator.jaroWinkler(0.9), new double[] {0.9, 0.06, 0.04}, new double[] {0.0141, 0.0075, 0.9784})
      .field("dob", FieldComparator.exact(), new double[] {0.95, 0.05}, new double[] {0.0148, 0.9852})
      .field("postcode", FieldComparator.exact(), new double[] {0.9, 0.1}, new double[] {0.05, 0.95})
      .build();

  static final Blocking BLOCKING = Blocking.field("surname").or(Blocking.field("dob"));

  /** A correlation of {@code north} and {@code south} by {@code rule}: the phone is the one field kept in step. */
  static Correlation correlation(String name, InMemoryStore<Fields> north, InMemoryStore<Fields> south, MatchRule rule,
      double link, double review, StateStore state) {
    return Correlation.builder().name(name).sideA(north).sideB(south)
        .mapping(p -> Fields.ofNullable("phone", p.get("phone")), p -> Fields.ofNullable("phone", p.get("phone")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .rule(rule).blocking(BLOCKING)
        .thresholds(link, review).ambiguityMargin(1)
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A))
        .state(state)
        .build();
  }

  /** Runs the three rules side by side, each on its own copy of the two tables, and says what each did. */
  void compareRules() {
    long shared = truth.entrySet().stream().filter(e -> e.getKey().startsWith("n-")
        && truth.entrySet().stream().anyMatch(o -> o.getKey().startsWith("s-") && o.getValue().equals(e.getValue()))).count();
    System.out.println("North treats " + north.size() + " patients, South " + south.size() + "; " + shared
        + " are patients of both. Near-twins: two James Smiths, two Li Weis, two Walkers.");
    rule("too strict", MatchRule.exact("given", "surname", "dob"), 1, 1, shared);
    rule("too lax", MatchRule.exact("surname"), 1, 1, shared);
    rule("accurate", ACCURATE, 12, 6, shared);
  }

  private void rule(String label, MatchRule rule, double link, double review, long shared) {
    InMemoryStore<Fields> n = copy(north);
    InMemoryStore<Fields> s = copy(south);
    Correlation c = correlation("hospitals-" + label.replace(' ', '-'), n, s, rule, link, review, StateStore.inMemory());
    CorrelationReport report = c.round();
    long right = 0;
    List<String> leaks = new ArrayList<>();
    for (Map.Entry<String, String> l : new TreeMap<>(c.links()).entrySet()) {
      if (truth.get(l.getKey()).equals(truth.get(l.getValue()))) {
        right++;
      } else {
        leaks.add(l.getKey() + " (" + truth.get(l.getKey()) + ") <-> " + l.getValue() + " (" + truth.get(l.getValue()) + ")");
      }
    }
    long phonesLeaked = 0;
    for (String k : s.snapshot().keySet()) {
      Object now = s.get(k).payload().get("phone");
      Object was = south.get(k).payload().get("phone");
      if (!now.equals(was) && leaks.stream().anyMatch(x -> x.contains(k))) {
        phonesLeaked++;
      }
    }
    System.out.printf("%-10s %s, link at %.0f: %d linked, %d of %d shared patients found (%d missed), %d linked to a"
        + " stranger%s; %d in review%n", label, rule.describe(), link, c.links().size(), right, shared,
        shared - right, leaks.size(), leaks.isEmpty() ? "" : " " + leaks + ", " + phonesLeaked
            + " South records given a North stranger's phone", report.linking().review());
  }

  private static InMemoryStore<Fields> copy(InMemoryStore<Fields> from) {
    InMemoryStore<Fields> to = InMemoryStore.create(from.toString() + "-copy");
    List<Change<Fields>> all = new ArrayList<>();
    from.snapshot().values().forEach(e -> all.add(Change.upsert(e)));
    to.write(all);
    return to;
  }

  /** The accurate rule on the real tables: a first round, the review queue, then one new phone carried across. */
  void run(StateStore state, Path work) throws IOException {
    Correlation c = correlation("hospitals", north, south, ACCURATE, 12, 6, state);
    CorrelationReport first = c.round();
    System.out.println(first.summary());
    System.out.println("Score histogram of the pairs compared:");
    System.out.print(first.linking().histogram().render());
    Path page = work.resolve("review.html");
    Files.writeString(page, ReviewPage.html("North and South: patients to review", c.reviewQueue(), first.linking().histogram()));
    System.out.println("The review page (keys and explanations, no patient data): " + page);
    for (ReviewItem item : c.reviewQueue()) {
      System.out.printf("In review: %s <-> %s, %s, score %.1f: %s%n", item.aKey(), item.bKey(), item.reason(),
          item.score().value(), item.score().fields().stream().map(f -> f.field() + " " + f.level()).toList());
      c.assertLink(item.aKey(), item.bKey(), "ward clerk checked both charts: same patient, birth date mistyped");
      System.out.println("A ward clerk checks both charts and links them: the link is a person's, and outlasts every round.");
    }
    Fields ada = north.get("n-01").payload();
    north.write(List.of(Change.upsert(new Envelope<>("n-01", 2, ada.with("phone", "022 123 4567")))));
    System.out.println("North records Ada Lovelace's new phone number, 022 123 4567.");
    CorrelationReport second = c.round();
    System.out.println(second.summary());
    System.out.println("Ada at South now: " + south.get("s-101").payload().asMap());
  }
}
