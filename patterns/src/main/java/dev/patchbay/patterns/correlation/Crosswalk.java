package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.CandidatePairs;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The crosswalk in a correlation's {@link NamedState}: a link is an entry of the space
 * {@code crosswalk}, keyed by its A key, aliased by its B key, tagged {@code LINKED}; an ended link
 * keeps its key, frees its alias and is tagged {@code ENDED} with why. A person's rejection is an
 * entry of the space {@code decisions} keyed by both keys. The progress holds no feed positions
 * (the records are read afresh in a process's first round), only keys: the records to match again
 * ({@code a}, {@code b}: a person decided on them), and what the sync underneath is still to be told
 * ({@code unlink}: A keys whose sync pair is to be forgotten; {@code sync-a}, {@code sync-b}: pairs
 * to sync though unchanged), saved with the links that call for them.
 */
final class Crosswalk {

  static final String LINKS = "crosswalk";
  static final String DECISIONS = "decisions";
  static final String LINKED = "LINKED";
  static final String ENDED = "ENDED";
  static final String REJECTED = "REJECTED";
  static final String TOUCHED_A = "a";
  static final String TOUCHED_B = "b";
  static final String UNLINK = "unlink";
  static final String SYNC_A = "sync-a";
  static final String SYNC_B = "sync-b";
  private static final int READ = 10_000;

  private Crosswalk() {
  }

  /** The key of a person's decision on a pair. */
  static String pairKey(String aKey, String bKey) {
    return aKey + "\u0000" + bKey;
  }

  /** A link as its entry: keyed by its A key, aliased by its B key, tagged {@code LINKED}; an ended one reads as none. */
  static final EntryCodec<CrosswalkLink> LINK = new EntryCodec<>() {
    @Override
    public String space() {
      return LINKS;
    }

    @Override
    public Entry encode(String aKey, CrosswalkLink l) {
      return new Entry(LINKS, aKey, l.bKey(), LINKED, Fields.ofNullable("by", l.by().name(), "score", l.score(),
          "rule", l.rule(), "at", l.at().toString()));
    }

    @Override
    public CrosswalkLink decode(Entry e) {
      if (!LINKED.equals(e.tag())) {
        return null;
      }
      Object score = e.value().get("score");
      return new CrosswalkLink(e.key(), e.alias(), CrosswalkLink.MadeBy.valueOf((String) e.value().get("by")),
          score == null ? null : ((Number) score).doubleValue(), (String) e.value().get("rule"),
          Instant.parse((String) e.value().get("at")));
    }
  };

  /** A person's decision on a pair: to link it ({@code ASSERTED}) or never to ({@code REJECTED}), with a note, at a time. */
  record Decision(String kind, String note, Instant at) {
  }

  /** A decision as its entry: keyed by both keys ({@link #pairKey}), tagged with its kind. */
  static final EntryCodec<Decision> DECISION = new EntryCodec<>() {
    @Override
    public String space() {
      return DECISIONS;
    }

    @Override
    public Entry encode(String pairKey, Decision d) {
      return new Entry(DECISIONS, pairKey, null, d.kind(), Fields.ofNullable("note", d.note(), "at", d.at().toString()));
    }

    @Override
    public Decision decode(Entry e) {
      Object at = e.value().get("at");
      return new Decision(e.tag(), (String) e.value().get("note"), at == null ? null : Instant.parse((String) at));
    }
  };

  static Entry linked(CrosswalkLink l) {
    return LINK.encode(l.aKey(), l);
  }

  /** An ended link: it keeps its A key, frees its B key, and says why; no read finds it. */
  static Entry ended(String aKey, String bKey, String reason, Instant at) {
    return new Entry(LINKS, aKey, null, ENDED, Fields.of("bKey", bKey, "reason", reason, "at", at.toString()));
  }

  /** The links of these A keys, by A key. */
  static Map<String, CrosswalkLink> byA(NamedState state, Collection<String> aKeys) {
    return links(state, aKeys, true);
  }

  /** The links of these B keys, by B key. */
  static Map<String, CrosswalkLink> byB(NamedState state, Collection<String> bKeys) {
    return links(state, bKeys, false);
  }

  private static Map<String, CrosswalkLink> links(NamedState state, Collection<String> keys, boolean byA) {
    Map<String, CrosswalkLink> out = new HashMap<>();
    inParts(keys, part -> out.putAll(byA ? LINK.read(state, part) : LINK.readByAlias(state, part)));
    return out;
  }

  /** The pairs among {@code pairs} a person rejected. */
  static Set<CandidatePairs.Pair> rejected(NamedState state, Collection<CandidatePairs.Pair> pairs) {
    Map<String, CandidatePairs.Pair> byKey = new HashMap<>();
    pairs.forEach(p -> byKey.put(pairKey(p.aKey(), p.bKey()), p));
    Set<CandidatePairs.Pair> out = new java.util.HashSet<>();
    inParts(byKey.keySet(), part -> DECISION.read(state, part).forEach((k, d) -> {
      if (REJECTED.equals(d.kind())) {
        out.add(byKey.get(k));
      }
    }));
    return out;
  }

  /** Hands {@code keys} to {@code read} {@value #READ} at a time: a round's region may hold a million. */
  private static void inParts(Collection<String> keys, java.util.function.Consumer<List<String>> read) {
    List<String> all = new ArrayList<>(keys);
    for (int i = 0; i < all.size(); i += READ) {
      read.accept(all.subList(i, Math.min(all.size(), i + READ)));
    }
  }

  static CrosswalkLink linkOfA(NamedState state, String aKey) {
    return byA(state, List.of(aKey)).get(aKey);
  }

  static CrosswalkLink linkOfB(NamedState state, String bKey) {
    return byB(state, List.of(bKey)).get(bKey);
  }

  /** The saved progress, or none yet. */
  static Progress progress(NamedState state) {
    return state.progress(w -> { }).orElse(Progress.start(Instant.now()));
  }

  /** {@code progress} with {@code more} keys added under each name, and a sequence one higher. */
  static Progress adding(Progress progress, Map<String, ? extends Collection<String>> more) {
    Map<String, Set<String>> revisit = new HashMap<>();
    progress.revisit().forEach((k, v) -> revisit.put(k, new LinkedHashSet<>(v)));
    more.forEach((k, v) -> revisit.computeIfAbsent(k, x -> new LinkedHashSet<>()).addAll(v));
    return Progress.after(progress, Instant.now()).revisiting(revisit);
  }

  /** {@code progress} without the keys under these names. */
  static Progress clearing(Progress progress, String... names) {
    Map<String, Set<String>> revisit = new HashMap<>(progress.revisit());
    for (String n : names) {
      revisit.remove(n);
    }
    return Progress.after(progress, Instant.now()).revisiting(revisit);
  }

  static CrosswalkLink assertLink(NamedState state, String aKey, String bKey, String note) {
    Instant now = Instant.now();
    CrosswalkLink was = linkOfA(state, aKey);
    CrosswalkLink ofB = linkOfB(state, bKey);
    List<Entry> entries = new ArrayList<>();
    Set<String> touchedA = new LinkedHashSet<>(List.of(aKey));
    Set<String> touchedB = new LinkedHashSet<>(List.of(bKey));
    Set<String> unlink = new LinkedHashSet<>(List.of(aKey));
    if (ofB != null && !ofB.aKey().equals(aKey)) {
      entries.add(ended(ofB.aKey(), bKey, "a person linked side B's '" + bKey + "' to side A's '" + aKey + "'", now));
      touchedA.add(ofB.aKey());
      unlink.add(ofB.aKey());
    }
    if (was != null && !was.bKey().equals(bKey)) {
      touchedB.add(was.bKey());
    }
    CrosswalkLink link = new CrosswalkLink(aKey, bKey, CrosswalkLink.MadeBy.PERSON, null, note, now);
    entries.add(linked(link));
    entries.add(DECISION.encode(pairKey(aKey, bKey), new Decision("ASSERTED", note, now)));
    state.save(adding(progress(state), Map.of(TOUCHED_A, touchedA, TOUCHED_B, touchedB, UNLINK, unlink,
        SYNC_A, List.of(aKey), SYNC_B, List.of(bKey))), entries);
    return link;
  }

  static void rejectLink(NamedState state, String aKey, String bKey, String note) {
    Instant now = Instant.now();
    CrosswalkLink was = linkOfA(state, aKey);
    List<Entry> entries = new ArrayList<>();
    List<String> unlink = new ArrayList<>();
    if (was != null && was.bKey().equals(bKey)) {
      entries.add(ended(aKey, bKey, "a person rejected the link", now));
      unlink.add(aKey);
    }
    entries.add(DECISION.encode(pairKey(aKey, bKey), new Decision(REJECTED, note, now)));
    state.save(adding(progress(state), Map.of(TOUCHED_A, List.of(aKey), TOUCHED_B, List.of(bKey), UNLINK, unlink)), entries);
  }
}
