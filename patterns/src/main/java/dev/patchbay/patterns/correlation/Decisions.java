package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Normalized;
import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What {@link Linkage#assign} decided for a region: links, pairs for review, ambiguous records. */
final class Decisions {

  /**
   * The settings decisions are made by.
   *
   * @param link     a pair assigned at or above it is linked
   * @param review   a pair assigned at or above it (and below {@code link}) is queued for a person
   * @param margin   a record whose best two candidates are this close is AMBIGUOUS
   * @param required fields that must be equal (normalised) for an assigned pair to be linked
   */
  record Thresholds(double link, double review, double margin, List<String> required) {
    Thresholds {
      required = List.copyOf(required);
    }

    /** Pairs below it never take part: nothing a decision depends on lies below it. */
    double floor() {
      return review - margin;
    }

    /** The first required field on which the two records differ (or one is missing); null where none. */
    String vetoed(Fields a, Fields b) {
      for (String f : required) {
        String x = Normalized.text(a.get(f));
        if (x == null || !x.equals(Normalized.text(b.get(f)))) {
          return f;
        }
      }
      return null;
    }
  }

  /** A scored pair: side A's key, side B's, and the rule's score ({@link Linkage#explain} says how). */
  record Candidate(String aKey, String bKey, double score) {
  }

  private final Thresholds thresholds;
  final Map<String, String> asserted = new LinkedHashMap<>();
  final List<Candidate> links = new ArrayList<>();
  final List<Candidate> review = new ArrayList<>();
  /** Candidates of ambiguous records, within the margin of the record's best. */
  final List<Candidate> ambiguous = new ArrayList<>();
  final Set<String> ambiguousA = new LinkedHashSet<>();
  final Set<String> ambiguousB = new LinkedHashSet<>();
  /** Assigned pairs at or above the link threshold whose required field differs: queued, by A key, with the field. */
  final Map<String, String> vetoed = new LinkedHashMap<>();

  /** Decides nothing yet; {@link Linkage#assign} fills it. */
  Decisions(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  void assigned(Candidate c, Fields a, Fields b) {
    double s = c.score();
    if (s >= thresholds.link()) {
      String field = thresholds.vetoed(a, b);
      if (field == null) {
        links.add(c);
      } else {
        vetoed.put(c.aKey(), field);
        review.add(c);
      }
    } else if (s >= thresholds.review()) {
      review.add(c);
    }
  }

  /** {@code c} is a candidate of an ambiguous record: of side A's {@code aKey}, side B's {@code bKey}, or both. */
  void ambiguous(Candidate c, String aKey, String bKey) {
    ambiguous.add(c);
    if (aKey != null) {
      ambiguousA.add(aKey);
    }
    if (bKey != null) {
      ambiguousB.add(bKey);
    }
  }
}
