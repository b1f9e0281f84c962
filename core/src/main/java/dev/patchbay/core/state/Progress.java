package dev.patchbay.core.state;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.report.Counts;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * What a pattern has durably done so far, saved with each committed step: where each of its
 * endpoints resumes, the keys to look at again, the counts and the failures up to there. Saving
 * positions and failures together is what lets a resumed run report each record exactly once.
 *
 * @param positions where each endpoint resumes, by endpoint ("source" for a migration; "a" and "b"
 *                  for a sync's feeds); an endpoint not named starts from the beginning
 * @param revisit   keys each endpoint looks at again on the next run whatever it reads (a write
 *                  that failed, a conflict parked for review), by endpoint
 * @param sequence  increases by one with every save of the same run
 * @param counts    outcomes of the records before the positions
 * @param failures  the failed records before the positions, in the order they failed
 * @param savedAt   when this progress was saved
 * @param run       what the run is, element by element ("source", "scope", "transform",
 *                  "destination"), as described when it saved this: a run set up otherwise does not
 *                  resume from it; empty in progress saved before runs described themselves
 */
public record Progress(Map<String, Checkpoint> positions, Map<String, Set<String>> revisit, long sequence,
                       Counts counts, List<Outcome.Failed> failures, Instant savedAt, Map<String, String> run) {

  /** The endpoint name of a migration's source. */
  public static final String SOURCE = "source";

  public Progress {
    positions = Collections.unmodifiableMap(new TreeMap<>(positions));
    TreeMap<String, Set<String>> again = new TreeMap<>();
    revisit.forEach((endpoint, keys) -> {
      if (!keys.isEmpty()) {
        again.put(endpoint, Collections.unmodifiableSet(new LinkedHashSet<>(keys)));
      }
    });
    revisit = Collections.unmodifiableMap(again);
    Objects.requireNonNull(counts, "counts");
    failures = List.copyOf(failures);
    Objects.requireNonNull(savedAt, "savedAt");
    run = Collections.unmodifiableMap(new TreeMap<>(run));
  }

  /** Nothing done yet. */
  public static Progress start(Instant now) {
    return numbered(0, now);
  }

  /**
   * Save number {@code sequence}, saved at {@code savedAt}, with nothing in it yet: the start of a
   * progress named part by part ({@link #at}, {@link #counting}, {@link #revisiting},
   * {@link #describing}) rather than built of seven values in a row.
   */
  public static Progress numbered(long sequence, Instant savedAt) {
    return new Progress(Map.of(), Map.of(), sequence, Counts.zero(), List.of(), savedAt, Map.of());
  }

  /** The save after {@code before}, at {@code savedAt}: its sequence one higher, nothing in it yet. */
  public static Progress after(Progress before, Instant savedAt) {
    return numbered(before.sequence + 1, savedAt);
  }

  /** This progress with {@code endpoint} resuming at {@code position}. */
  public Progress at(String endpoint, Checkpoint position) {
    Map<String, Checkpoint> next = new TreeMap<>(positions);
    next.put(endpoint, Objects.requireNonNull(position, "position"));
    return new Progress(next, revisit, sequence, counts, failures, savedAt, run);
  }

  /** This progress with {@code counts} and {@code failures} as the outcomes before its positions. */
  public Progress counting(Counts counts, List<Outcome.Failed> failures) {
    return new Progress(positions, revisit, sequence, counts, failures, savedAt, run);
  }

  /** This progress with {@code revisit} as the keys each endpoint looks at again. */
  public Progress revisiting(Map<String, ? extends Set<String>> revisit) {
    return new Progress(positions, Map.copyOf(revisit), sequence, counts, failures, savedAt, run);
  }

  /** This progress describing its run as {@code run}, element by element. */
  public Progress describing(Map<String, String> run) {
    return new Progress(positions, revisit, sequence, counts, failures, savedAt, run);
  }

  /** Where {@code endpoint} resumes; {@link Checkpoint#start()} where it has no position yet. */
  public Checkpoint position(String endpoint) {
    return positions.getOrDefault(endpoint, Checkpoint.start());
  }

  /** The keys {@code endpoint} looks at again; empty where none. */
  public Set<String> revisit(String endpoint) {
    return revisit.getOrDefault(endpoint, Set.of());
  }

  /** As JSON, for stores that keep text. */
  public String toJson() {
    return ProgressJson.write(this);
  }

  /**
   * Reads what {@link #toJson()} wrote (and what versions before endpoints had: one "position",
   * read as the source's).
   *
   * @throws IllegalArgumentException naming the field, where the text is not a saved progress
   */
  public static Progress fromJson(String json) {
    return ProgressJson.read(json);
  }
}
