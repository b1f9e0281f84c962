package dev.patchbay.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.report.Counts;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A progress named part by part is the progress of seven values in a row, and reads back from its JSON as it was. */
class ProgressTest {

  @Test
  void namedPartByPart_isTheSameProgress_andReadsBackFromItsJson() {
    Instant at = Instant.parse("2026-12-07T04:00:00.123456Z");
    Outcome.Failed failed = new Outcome.Failed("k", Stage.WRITE, "email", "refused");
    Counts counts = new Counts(3, 1, 0, 0, 0, 1, 1);
    Progress before = Progress.numbered(6, at);

    Progress named = Progress.after(before, at).at("a", Checkpoint.at("10")).at("b", Checkpoint.at("20"))
        .revisiting(Map.of("a", Set.of("x"))).counting(counts, List.of(failed)).describing(Map.of("source", "crm"));

    assertEquals(new Progress(Map.of("a", Checkpoint.at("10"), "b", Checkpoint.at("20")), Map.of("a", Set.of("x")), 7, counts,
        List.of(failed), at, Map.of("source", "crm")), named);
    assertEquals(named, Progress.fromJson(named.toJson()));
    assertEquals(Progress.numbered(0, at), Progress.start(at));
    assertEquals(Checkpoint.at("11"), named.at("a", Checkpoint.at("11")).position("a"), "a later position replaces the earlier");
  }
}
