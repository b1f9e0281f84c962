package dev.patchbay.connectors.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InMemoryStoreTest {

  private static Envelope<Fields> rec(String key, Object... fields) {
    return new Envelope<>(key, 1, Fields.of(fields));
  }

  @SafeVarargs
  private static List<Change<Fields>> upserts(Envelope<Fields>... records) {
    List<Change<Fields>> changes = new ArrayList<>();
    for (Envelope<Fields> r : records) {
      changes.add(Change.upsert(r));
    }
    return changes;
  }

  @Test
  void writes_areIdempotentUpsertsAndDeletesByKey() {
    InMemoryStore<Fields> store = InMemoryStore.create("s");
    assertEquals(List.of(Outcome.created("a"), Outcome.created("b")), store.write(upserts(rec("a", "x", 1), rec("b", "x", 2))));
    assertEquals(List.of(Outcome.unchanged("a"), Outcome.updated("b")), store.write(upserts(rec("a", "x", 1), rec("b", "x", 3))));
    assertEquals(List.of(Outcome.deleted("a"), Outcome.unchanged("zz")), store.write(List.of(Change.delete("a"), Change.delete("zz"))));
    assertEquals(Map.of("b", rec("b", "x", 3)), store.snapshot());
  }

  @Test
  void read_resumesAfterACheckpoint_withNoGapAndNoOverlap() {
    InMemoryStore<Fields> store = InMemoryStore.create("s");
    store.putAll(List.of(rec("c"), rec("a"), rec("b"), rec("d")));
    List<String> keys = new ArrayList<>();
    Checkpoint at;
    try (Cursor<Fields> cursor = store.read(Checkpoint.start())) {
      keys.add(cursor.next().key());
      keys.add(cursor.next().key());
      at = cursor.checkpoint();
    }
    try (Cursor<Fields> cursor = store.read(at)) {
      cursor.forEachRemaining(r -> keys.add(r.key()));
    }
    assertEquals(List.of("a", "b", "c", "d"), keys);
    assertEquals(4, store.recordsRead(), "two read before the checkpoint, two after");
  }

  @Test
  void journal_survivesReopening_andDropsATornLastLine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("j.jsonl");
    InMemoryStore<Fields> store = InMemoryStore.journaled("s", file);
    store.write(upserts(rec("a", "n", "x", "i", 5, "big", 5_000_000_000L, "ok", true), rec("b", "n", "y")));
    store.write(List.of(Change.delete("b")));
    Files.writeString(file, "{\"k\":\"torn\",\"v\":1,\"f\":{\"n\":", StandardOpenOption.APPEND);

    InMemoryStore<Fields> reopened = InMemoryStore.journaled("s", file);
    assertEquals(Map.of("a", rec("a", "n", "x", "i", 5, "big", 5_000_000_000L, "ok", true)), reopened.snapshot());
    reopened.write(upserts(rec("c", "n", "z")));
    assertEquals(2, InMemoryStore.journaled("s", file).size(), "appends after a torn tail replay cleanly");
  }

  /**
   * A fault the aggregation's kill test found: the journal wrote values as plain JSON, refused a
   * {@code LocalDate} outright and gave a decimal back as a double.
   */
  @Test
  void aJournaledStore_reopened_givesEveryValueBackOfItsType(@TempDir Path dir) {
    String long70k = "\uD83D\uDE00".repeat(35_001) + " end";
    Fields all = Fields.of("text", long70k, "decimal", new java.math.BigDecimal("1234.5600"), "int", 7, "long", 7L,
        "double", 0.25, "bool", Boolean.TRUE, "date", java.time.LocalDate.of(1999, 12, 31),
        "local", java.time.LocalDateTime.of(2026, 1, 2, 3, 4, 5, 123_456_000),
        "instant", java.time.Instant.parse("2026-01-02T03:04:05.123456Z"),
        "offset", java.time.OffsetDateTime.parse("2026-01-02T03:04:05+13:00"), "nested", Fields.of("a", 1L));
    Path file = dir.resolve("typed.journal");
    InMemoryStore.journaled("typed", file).write(List.of(Change.upsert(new Envelope<>("k", 3, all))));

    Envelope<Fields> back = InMemoryStore.journaled("typed", file).get("k");

    assertEquals(3, back.version());
    for (String name : all.names()) {
      assertEquals(all.get(name), back.payload().get(name), name);
      assertEquals(all.get(name).getClass(), back.payload().get(name).getClass(), name);
    }
  }

  @Test
  void aJournalOfAnEarlierVersion_plainJsonValues_isStillRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("old.journal");
    Files.writeString(file, "{\"k\":\"k\",\"v\":4,\"f\":{\"n\":5,\"name\":\"Ada\"}}\n");   // no checksum, values plain

    Envelope<Fields> back = InMemoryStore.journaled("old", file).get("k");

    assertEquals(new Envelope<>("k", 4, Fields.of("n", 5, "name", "Ada")), back);
  }
}
