package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.CandidatePairs;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.report.RunStatus;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.patterns.internal.Failures;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.RunProgress;
import dev.patchbay.patterns.internal.Engine;
import dev.patchbay.patterns.internal.FeedReader;
import dev.patchbay.patterns.sync.SyncReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One round of a {@link Correlation}: match what changed, save the crosswalk, sync the linked pairs; used once. */
final class CorrelationRound {

  private static final Logger LOG = LoggerFactory.getLogger(Correlation.class);
  private static final int BINS = 20;

  private final Correlation c;
  private final Known known;
  private final NamedState state;
  private final Instant startedAt = Instant.now();
  private final List<String> findings = new ArrayList<>();
  private final Histogram.Counter histogram = new Histogram.Counter();
  private long scored;

  private final Engine<CorrelationReport>.Run run;

  CorrelationRound(Correlation correlation, Engine<CorrelationReport>.Run run) {
    this.c = correlation;
    this.known = correlation.known;
    this.run = run;
    this.state = run.state();
  }

  CorrelationReport run() {
    Progress saved = state.progress(w -> {
      LOG.warn("Correlation '{}': {}", c.name, w);
      findings.add(w);
    }).orElse(Progress.start(startedAt));
    CorrelationReport.Linking linking;
    try {
      linking = link(saved);
    } catch (SetupException e) {
      reset();
      throw e;
    } catch (RuntimeException e) {
      reset();   // what was read is not matched: the next round reads both sides afresh
      LOG.error("Correlation '{}' round failed: {}", c.name, Failures.forLog(e));
      LOG.debug("Correlation '{}' round failed", c.name, e);
      return report(RunStatus.FAILED, "a side could not be read or the crosswalk saved; nothing was linked or written: "
          + Failures.forReport(e, dev.patchbay.patterns.ReasonDetail.SYSTEM_MESSAGE), null, null);
    }
    if (run.stopRequested()) {
      LOG.info("Correlation '{}' round stopped on request after the matching", c.name);
      return report(RunStatus.STOPPED, "stopped on request after the matching: the links are saved, and the next round"
          + " syncs the linked pairs", linking, null);
    }
    SyncReport sync;
    try {
      if (run.planning()) {   // the sync plans too; the people's pending unlinks and revisits wait for a real round
        Plan<SyncReport> plan = c.sync.plan();
        run.planned(plan.writes());
        sync = plan.report();
        return finished(report(sync.status(), sync.message(), linking, sync), linking, sync);
      }
      Progress pending = Crosswalk.progress(state);
      c.sync.unlink(pending.revisit(Crosswalk.UNLINK));
      c.sync.revisit(pending.revisit(Crosswalk.SYNC_A), pending.revisit(Crosswalk.SYNC_B));
      state.save(Crosswalk.clearing(pending, Crosswalk.UNLINK, Crosswalk.SYNC_A, Crosswalk.SYNC_B), List.of());
      sync = c.sync.round();
      if (sync.status() == RunStatus.COMPLETED) {
        c.a.clear();   // the sync read all the matching handed it
        c.b.clear();
      }
    } catch (SetupException e) {
      throw e;
    } catch (RuntimeException e) {
      LOG.error("Correlation '{}': the sync of linked pairs failed: {}", c.name, Failures.forLog(e));
      return report(RunStatus.FAILED, "the links are saved; the sync of linked pairs failed, and the next round syncs them: "
          + Failures.forReport(e, dev.patchbay.patterns.ReasonDetail.SYSTEM_MESSAGE), linking, null);
    }
    return finished(report(sync.status(), sync.message(), linking, sync), linking, sync);
  }

  private CorrelationReport finished(CorrelationReport report, CorrelationReport.Linking linking, SyncReport sync) {
    LOG.info("Correlation '{}' {} {}: {} linked, {} links ended, {} waiting for review; {} written to A, {} to B",
        c.name, run.planning() ? "dry run" : "round", report.status(), linking.linkedCount(), linking.endedCount(),
        linking.review(), sync.a().written(), sync.b().written());
    return report;
  }

  private void reset() {
    known.reset();
    c.a.clear();
    c.b.clear();
  }

  private CorrelationReport report(RunStatus status, String message, CorrelationReport.Linking linking, SyncReport sync) {
    if (sync != null) {
      findings.addAll(sync.findings());
    }
    return new CorrelationReport(c.name, status, message == null ? null : "Correlation '" + c.name + "' round " + status
        + ": " + message, linking, sync, findings, startedAt, Instant.now());
  }

  /** Reads the changes, matches what they reach, and saves the crosswalk: what the matching did. */
  private CorrelationReport.Linking link(Progress saved) {
    Linkage linkage = known.linkage;
    Linkage.Touched touched = new Linkage.Touched();
    Set<String> readA = new java.util.HashSet<>();
    Set<String> readB = new java.util.HashSet<>();
    run.phase(RunProgress.Phase.READING, OptionalLong.empty());
    Checkpoint endA = read(true, known.built ? known.positionA : Checkpoint.start(), touched, readA);
    Checkpoint endB = read(false, known.built ? known.positionB : Checkpoint.start(), touched, readB);
    touched.a().addAll(saved.revisit(Crosswalk.TOUCHED_A));
    touched.b().addAll(saved.revisit(Crosswalk.TOUCHED_B));

    // The region a change can reach, closed over the stored links of its records too.
    Linkage.Touched region = linkage.region(touched, known.linkedA, known.linkedB);
    Map<String, CrosswalkLink> current = new LinkedHashMap<>();
    Linkage.Touched unread = region;
    while (!unread.a().isEmpty() || !unread.b().isEmpty()) {   // a stored link may reach past what this process knew
      Crosswalk.byA(state, unread.a()).values().forEach(l -> current.put(l.aKey(), l));
      Crosswalk.byB(state, unread.b()).values().forEach(l -> current.put(l.aKey(), l));
      Linkage.Touched beyond = new Linkage.Touched();
      for (CrosswalkLink l : current.values()) {
        if (!region.a().contains(l.aKey())) {
          beyond.a().add(l.aKey());
        }
        if (!region.b().contains(l.bKey())) {
          beyond.b().add(l.bKey());
        }
      }
      Linkage.Touched wider = beyond.a().isEmpty() && beyond.b().isEmpty() ? region
          : linkage.region(new Linkage.Touched(union(region.a(), beyond.a()), union(region.b(), beyond.b())),
              known.linkedA, known.linkedB);
      unread = new Linkage.Touched(minus(wider.a(), region.a()), minus(wider.b(), region.b()));
      region = wider;
    }

    Map<String, String> asserted = new LinkedHashMap<>();
    current.values().stream().filter(l -> l.by() == CrosswalkLink.MadeBy.PERSON).forEach(l -> asserted.put(l.aKey(), l.bKey()));
    List<CandidatePairs.Pair> pairs = new ArrayList<>();
    for (String aKey : region.a()) {
      Linkage.Partners partners = linkage.pairs(true, aKey);
      for (int i = 0; partners != null && i < partners.size(); i++) {
        pairs.add(new CandidatePairs.Pair(aKey, partners.key(i)));
      }
    }
    Set<CandidatePairs.Pair> rejected = Crosswalk.rejected(state, pairs);
    Decisions d = linkage.assign(region, asserted, rejected);

    Instant now = Instant.now();
    String rule = c.rule.describe();
    Map<String, CrosswalkLink> next = new LinkedHashMap<>();
    d.asserted.forEach((aKey, bKey) -> next.put(aKey, current.get(aKey)));
    List<CrosswalkLink> made = new ArrayList<>();
    for (Decisions.Candidate l : d.links) {
      CrosswalkLink was = current.get(l.aKey());
      if (was != null && was.bKey().equals(l.bKey())) {
        next.put(l.aKey(), was);
      } else {
        CrosswalkLink link = new CrosswalkLink(l.aKey(), l.bKey(), CrosswalkLink.MadeBy.RULE, l.score(), rule, now);
        next.put(l.aKey(), link);
        made.add(link);
      }
    }
    List<CorrelationReport.Ended> ended = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    Set<String> nextB = new java.util.HashSet<>();
    next.values().forEach(l -> nextB.add(l.bKey()));
    for (CrosswalkLink was : current.values()) {
      CrosswalkLink now2 = next.get(was.aKey());
      if (now2 == null || !now2.bKey().equals(was.bKey())) {
        String why = whyEnded(was, d, next, nextB);
        ended.add(new CorrelationReport.Ended(was.aKey(), was.bKey(), why));
        if (ended.size() <= CorrelationReport.Linking.LISTED) {
          findings.add("the link of '" + was.aKey() + "' (side A) and '" + was.bKey() + "' (side B) ended: " + why);
        }
        if (now2 == null) {
          entries.add(Crosswalk.ended(was.aKey(), was.bKey(), why, now));
        }
      }
    }
    made.forEach(l -> entries.add(Crosswalk.linked(l)));
    Set<String> unlink = new LinkedHashSet<>();
    ended.forEach(e -> unlink.add(e.aKey()));
    Set<String> syncA = new LinkedHashSet<>();
    Set<String> syncB = new LinkedHashSet<>();
    made.forEach(l -> {
      if (!readA.contains(l.aKey()) && !readB.contains(l.bKey())) {   // else the sync finds the pair in what it is handed
        syncA.add(l.aKey());
        syncB.add(l.bKey());
      }
    });
    Progress progress = Crosswalk.adding(Crosswalk.clearing(saved, Crosswalk.TOUCHED_A, Crosswalk.TOUCHED_B),
        Map.of(Crosswalk.UNLINK, unlink, Crosswalk.SYNC_A, syncA, Crosswalk.SYNC_B, syncB));
    state.save(progress, entries);   // the links, and what the sync is to be told of them, together

    for (String aKey : region.a()) {   // what this process knew of the region's links may be older than the store's
      String bKey = known.linkedA.remove(aKey);
      if (bKey != null) {
        known.linkedB.remove(bKey, aKey);
      }
    }
    for (String bKey : region.b()) {
      String aKey = known.linkedB.remove(bKey);
      if (aKey != null) {
        known.linkedA.remove(aKey, bKey);
      }
    }
    next.values().forEach(l -> {
      known.linkedA.put(l.aKey(), l.bKey());
      known.linkedB.put(l.bKey(), l.aKey());
    });
    known.ambiguousA.removeAll(region.a());
    known.ambiguousB.removeAll(region.b());
    known.ambiguousA.addAll(d.ambiguousA);
    known.ambiguousB.addAll(d.ambiguousB);
    known.review(region, queue(d));
    known.positionA = endA;
    known.positionB = endB;
    known.built = true;

    return new CorrelationReport.Linking(scored, counts(true), counts(false), made.size(), made, ended.size(), ended,
        known.queue().size(),
        histogram.histogram(BINS, c.thresholds.link(), c.thresholds.review()));
  }

  private static Set<String> union(Set<String> x, Set<String> y) {
    Set<String> out = new java.util.HashSet<>(x);
    out.addAll(y);
    return out;
  }

  private static Set<String> minus(Set<String> x, Set<String> y) {
    Set<String> out = new java.util.HashSet<>(x);
    out.removeAll(y);
    return out;
  }

  private List<ReviewItem> queue(Decisions d) {
    List<ReviewItem> items = new ArrayList<>();
    for (Decisions.Candidate r : d.review) {
      String field = d.vetoed.get(r.aKey());
      items.add(new ReviewItem(r.aKey(), r.bKey(), known.linkage.explain(r.aKey(), r.bKey()),
          field == null ? ReviewItem.Reason.BETWEEN_THRESHOLDS : ReviewItem.Reason.REQUIRED_FIELD_DIFFERS, field));
    }
    for (Decisions.Candidate r : d.ambiguous) {
      if (r.score() >= c.thresholds.review()) {
        items.add(new ReviewItem(r.aKey(), r.bKey(), known.linkage.explain(r.aKey(), r.bKey()), ReviewItem.Reason.AMBIGUOUS, null));
      }
    }
    return items;
  }

  private String whyEnded(CrosswalkLink was, Decisions d, Map<String, CrosswalkLink> next, Set<String> nextB) {
    Linkage linkage = known.linkage;
    if (linkage.record(true, was.aKey()) == null) {
      return "side A's record is gone (deleted, or out of scope)";
    }
    if (linkage.record(false, was.bKey()) == null) {
      return "side B's record is gone (deleted, or out of scope)";
    }
    if (was.by() == CrosswalkLink.MadeBy.PERSON) {
      return "a person linked one of its records to another";
    }
    double score = linkage.score(was.aKey(), was.bKey());
    if (Double.isNaN(score) || score < c.thresholds.link()) {
      return String.format("the rule no longer links it: it scores %s, below the link threshold %s",
          Double.isNaN(score) ? "below " + c.thresholds.floor() : String.format("%.3f", score), c.thresholds.link());
    }
    if (d.ambiguousA.contains(was.aKey()) || d.ambiguousB.contains(was.bKey())) {
      return "one of its records has two candidates too close to call now (ambiguous)";
    }
    if (next.containsKey(was.aKey()) || nextB.contains(was.bKey())) {
      return "a pair scoring higher took one of its records";
    }
    String field = d.vetoed.get(was.aKey());
    return field != null ? "the required field '" + field + "' differs now" : "the rule no longer links it";
  }

  private CorrelationReport.SideCounts counts(boolean a) {
    long records = known.linkage.size(a);
    long linked = (a ? known.linkedA : known.linkedB).size();
    long ambiguous = (a ? known.ambiguousA : known.ambiguousB).size();
    long review = known.inReview(a);
    return new CorrelationReport.SideCounts(records, linked, review, ambiguous, Math.max(0, records - linked - ambiguous - review));
  }

  /** Reads side A's (else B's) changes after {@code from} into the linkage, a chunk at a time; where the feed ends. */
  private Checkpoint read(boolean a, Checkpoint from, Linkage.Touched touched, Set<String> read) {
    Relay side = a ? c.a : c.b;
    dev.patchbay.patterns.internal.Retrying reading = run.retrying(c.retry);
    Checkpoint end = from;
    FeedReader.Chunk<Fields> chunk;
    do {
      chunk = FeedReader.read(side.source(), end, c.batchSize, "side " + (a ? "A" : "B"), reading);
      Map<String, Change<Fields>> latest = chunk.latest();
      for (Change<Fields> change : latest.values()) {
        Fields view = null;
        if (change instanceof Change.Upsert<Fields> u && (a ? c.scopeA : c.scopeB).includes(u.record())) {
          view = (a ? c.viewA : c.viewB).apply(u.record().payload());
        }
        known.linkage.put(a, change.key(), view, this::scored, touched);
      }
      run.advanced(chunk.changes().size());
      read.addAll(latest.keySet());
      side.offer(latest.values());   // the sync decides from these, after the matching
      end = chunk.end();
    } while (chunk.more());
    return end;
  }

  private void scored(double score) {
    histogram.add(score);
    scored++;
  }
}
