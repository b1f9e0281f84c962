package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.state.Progress;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * How far an aggregation's run has got, saved with each step: the run's number, its phase, where
 * each input resumes, how many batches of touched entities were staged and how many written, which
 * inputs were read to their end or failed in this run, and the output keys whose write failed (made
 * again next run).
 */
record Mark(long run, Phase phase, Map<String, Checkpoint> positions, long staged, long written, Set<String> read,
            Set<String> failed, Set<String> rewrite) {

  enum Phase { READING, WRITING, DONE }

  private static final String RUN = "run";
  private static final String PHASE = "phase";
  private static final String STAGED = "staged";
  private static final String WRITTEN = "written";
  private static final String INPUT = "input:";

  Mark {
    positions = Map.copyOf(positions);
    read = Set.copyOf(read);
    failed = Set.copyOf(failed);
    rewrite = Set.copyOf(rewrite);
  }

  /** What {@code saved} says; a done run #0 where nothing was saved. */
  static Mark of(Progress saved) {
    if (saved == null) {
      return new Mark(0, Phase.DONE, Map.of(), 0, 0, Set.of(), Set.of(), Set.of());
    }
    Map<String, Checkpoint> positions = new HashMap<>();
    saved.positions().forEach((k, v) -> {
      if (k.startsWith(INPUT)) {
        positions.put(k.substring(INPUT.length()), v);
      }
    });
    return new Mark(number(saved, RUN), Phase.valueOf(saved.position(PHASE).position()), positions, number(saved, STAGED),
        number(saved, WRITTEN), saved.revisit("read"), saved.revisit("failed"), saved.revisit("rewrite"));
  }

  private static long number(Progress saved, String name) {
    return Long.parseLong(saved.position(name).position());
  }

  /**
   * The next run after this one ended: inputs read whole start again, change feeds go on from where
   * they are; the output keys whose write failed are the first batch to write.
   */
  Mark next(Set<String> wholeInputs) {
    Map<String, Checkpoint> kept = new HashMap<>(positions);
    kept.keySet().removeAll(wholeInputs);
    return new Mark(run + 1, Phase.READING, kept, 0, 0, Set.of(), Set.of(), rewrite);
  }

  Checkpoint position(String input) {
    return positions.getOrDefault(input, Checkpoint.start());
  }

  boolean finished(String input) {
    return read.contains(input) || failed.contains(input);
  }

  Mark at(String input, Checkpoint position, long staged) {
    Map<String, Checkpoint> p = new HashMap<>(positions);
    p.put(input, position);
    return new Mark(run, phase, p, staged, written, read, failed, rewrite);
  }

  Mark staging(long staged) {
    return new Mark(run, phase, positions, staged, written, read, failed, rewrite);
  }

  Mark readToEnd(String input) {
    return new Mark(run, phase, positions, staged, written, plus(read, input), failed, rewrite);
  }

  Mark failing(String input) {
    return new Mark(run, phase, positions, staged, written, read, plus(failed, input), rewrite);
  }

  Mark writing() {
    return new Mark(run, Phase.WRITING, positions, staged, written, read, failed, Set.of());
  }

  Mark wrote(long batch, Set<String> rewrite) {
    return new Mark(run, phase, positions, staged, batch, read, failed, rewrite);
  }

  Mark done() {
    return new Mark(run, Phase.DONE, positions, staged, written, read, failed, rewrite);
  }

  /** This mark as the save after {@code before} (null for the first). */
  Progress progress(Progress before, Instant now) {
    Progress p = (before == null ? Progress.start(now) : Progress.after(before, now))
        .at(RUN, Checkpoint.at(Long.toString(run))).at(PHASE, Checkpoint.at(phase.name()))
        .at(STAGED, Checkpoint.at(Long.toString(staged))).at(WRITTEN, Checkpoint.at(Long.toString(written)));
    for (Map.Entry<String, Checkpoint> e : positions.entrySet()) {
      if (!e.getValue().isStart()) {
        p = p.at(INPUT + e.getKey(), e.getValue());
      }
    }
    return p.revisiting(Map.of("read", read, "failed", failed, "rewrite", rewrite));
  }

  private static Set<String> plus(Set<String> set, String one) {
    Set<String> s = new LinkedHashSet<>(set);
    s.add(one);
    return s;
  }
}
