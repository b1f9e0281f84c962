package dev.patchbay.core.report;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Objects;

/**
 * What a pattern has durably done so far, saved after each committed batch: the source position
 * after it, the counts and the failures up to it. Saving position and failures together is what
 * lets a resumed run report each record exactly once.
 *
 * @param position where the source resumes
 * @param sequence increases by one with every save of the same run
 * @param counts   outcomes of the records before {@code position}
 * @param failures the failed records before {@code position}, in the order they failed
 * @param savedAt  when this progress was saved
 * @param run      what the run is, element by element ("source", "scope", "transform",
 *                 "destination"), as described when it saved this: a run set up otherwise does not
 *                 resume from it; empty in progress saved before runs described themselves
 */
public record Progress(Checkpoint position, long sequence, Counts counts,
                       List<Outcome.Failed> failures, Instant savedAt, Map<String, String> run) {

  public Progress {
    Objects.requireNonNull(position, "position");
    Objects.requireNonNull(counts, "counts");
    failures = List.copyOf(failures);
    Objects.requireNonNull(savedAt, "savedAt");
    run = Collections.unmodifiableMap(new TreeMap<>(run));
  }

  /** Progress of a run that does not describe itself. */
  public Progress(Checkpoint position, long sequence, Counts counts, List<Outcome.Failed> failures, Instant savedAt) {
    this(position, sequence, counts, failures, savedAt, Map.of());
  }

  /** Nothing done yet. */
  public static Progress start(Instant now) {
    return new Progress(Checkpoint.start(), 0, Counts.zero(), List.of(), now);
  }

  /** As JSON, for stores that keep text. */
  public String toJson() {
    return JsonCodec.write(JsonCodec.progress(this));
  }

  /**
   * Reads what {@link #toJson()} wrote.
   *
   * @throws IllegalArgumentException naming the field, where the text is not a saved progress
   */
  public static Progress fromJson(String json) {
    return JsonCodec.readProgress(json);
  }
}
