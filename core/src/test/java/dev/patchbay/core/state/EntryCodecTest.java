package dev.patchbay.core.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EntryCodecTest {

  /** A pair kept under its A key, aliased by its B key; a tombstone ("gone") decodes to none. */
  private record Pair(String b, long version) {
  }

  private static final EntryCodec<Pair> PAIRS = new EntryCodec<>() {
    @Override
    public String space() {
      return "pairs";
    }

    @Override
    public Entry encode(String key, Pair p) {
      return new Entry("pairs", key, p.b(), null, Fields.of("version", p.version()));
    }

    @Override
    public Pair decode(Entry e) {
      return "gone".equals(e.tag()) ? null : new Pair(e.alias(), (Long) e.value().get("version"));
    }
  };

  @Test
  void readsWhatItSaved_byKeyAndByAlias_skippingTombstonesAndOtherSpaces() {
    try (NamedState state = StateStore.inMemory().open("t")) {
      state.save(Progress.start(Instant.EPOCH), List.of(PAIRS.encode("a1", new Pair("b1", 3)),
          PAIRS.encode("a2", new Pair("b2", 4)), new Entry("pairs", "a3", null, "gone", Fields.empty()),
          new Entry("other", "a4", "b4", null, Fields.of("version", 9L))));

      assertEquals(Map.of("a1", new Pair("b1", 3), "a2", new Pair("b2", 4)),
          PAIRS.read(state, List.of("a1", "a2", "a3", "a4", "absent")));
      assertEquals(Map.of("b2", new Pair("b2", 4)), PAIRS.readByAlias(state, List.of("b2", "b4", "a1")));
      assertEquals(Map.of(), PAIRS.read(state, List.of()));
    }
  }
}
