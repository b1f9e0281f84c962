package dev.patchbay.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lookups read only the records asked for, through the key index; writes compare exactly. */
class FileLookupTest {

  private static final FileSchema SCHEMA = FileSchema.keyedBy("id").text("name").wholeNumber("amount").build();

  @TempDir
  Path dir;

  @Test
  void csv_lookupsAfterManyBatchesOfCreatesAndUpdates_findEachKeysLatestRecord() throws Exception {
    Path file = dir.resolve("people.csv");
    checkAgainstAModel(p -> CsvFile.of(p, SCHEMA, "hr", "people", "HR"), file, "csv");
  }

  @Test
  void jsonLines_lookupsAfterManyBatchesOfCreatesAndUpdates_findEachKeysLatestRecord() throws Exception {
    Path file = dir.resolve("people.jsonl");
    checkAgainstAModel(p -> JsonLinesFile.of(p, SCHEMA, "hr", "people", "HR"), file, "jsonl");
  }

  /**
   * Random batches of new and changed records (names with commas, quotes and line breaks), with a
   * fresh connector now and then (which indexes the file anew); every lookup of a random set of
   * keys, present and absent, answers the model's latest record for each.
   */
  private static <K extends Destination<Fields> & Lookup<Fields>> void checkAgainstAModel(Function<Path, K> open, Path file,
                                                                                          String kind) throws Exception {
    long seed = Long.getLong("patchbay.seed", System.nanoTime());
    System.out.println("[seed] FileLookupTest " + kind + " " + seed);
    Random random = new Random(seed);
    Map<String, Fields> model = new HashMap<>();
    K keyed = open.apply(file);
    for (int batch = 0; batch < 40; batch++) {
      List<Change<Fields>> changes = new ArrayList<>();
      Map<String, Fields> inBatch = new HashMap<>();
      int size = 1 + random.nextInt(200);
      for (int i = 0; i < size; i++) {
        String key = "p" + random.nextInt(3_000);
        if (inBatch.containsKey(key)) {
          continue;
        }
        String name = switch (random.nextInt(4)) {
          case 0 -> "Smith, Jo";
          case 1 -> "\"Quoted\" " + random.nextInt(5);
          case 2 -> "two\nlines " + random.nextInt(5);
          default -> "n" + random.nextInt(5);
        };
        Fields f = Fields.of("name", name, "amount", (long) random.nextInt(3));
        inBatch.put(key, f);
        changes.add(Change.upsert(Envelope.of(key, f)));
      }
      List<Outcome> outcomes = keyed.write(changes);
      for (int i = 0; i < changes.size(); i++) {
        String key = changes.get(i).key();
        Fields before = model.get(key);
        Fields after = ((Change.Upsert<Fields>) changes.get(i)).record().payload();
        Outcome expected = before == null ? Outcome.created(key)
            : before.equals(after) ? Outcome.unchanged(key) : Outcome.updated(key);
        assertEquals(expected, outcomes.get(i), "seed " + seed + ", batch " + batch);
        model.put(key, after);
      }
      if (random.nextInt(8) == 0) {
        keyed = open.apply(file);
      }
      List<String> asked = new ArrayList<>();
      int askedSize = random.nextInt(300);
      for (int i = 0; i < askedSize; i++) {
        asked.add("p" + random.nextInt(3_500));
      }
      Map<String, Fields> expected = new HashMap<>();
      asked.stream().filter(model::containsKey).forEach(k -> expected.put(k, model.get(k)));
      Map<String, Fields> got = new HashMap<>();
      keyed.lookup(asked).forEach((k, v) -> got.put(k, v.payload()));
      assertEquals(expected, got, "seed " + seed + ", lookup after batch " + batch);
      for (int i = 0; i < 5; i++) {   // one key at a time: each read starts near its record
        String key = "p" + random.nextInt(3_000);
        Envelope<Fields> one = keyed.lookup(List.of(key)).get(key);
        assertEquals(model.get(key), one == null ? null : one.payload(), "seed " + seed + ", lookup of " + key);
      }
    }
  }

  @Test
  void aChangedRecordWhoseHashCollides_isStillWritten() throws Exception {
    Path file = dir.resolve("collide.csv");
    CsvFile csv = CsvFile.of(file, SCHEMA, "hr", "people", "HR");
    assertEquals("Aa".hashCode(), "BB".hashCode(), "the two names share a hash");
    csv.write(List.of(Change.upsert(Envelope.of("p1", Fields.of("name", "Aa")))));

    assertEquals(List.of(Outcome.updated("p1")), csv.write(List.of(Change.upsert(Envelope.of("p1", Fields.of("name", "BB"))))));
    assertEquals("BB", csv.lookup(List.of("p1")).get("p1").payload().get("name"));
  }

  @Test
  void aFileWhoseLastLineHasNoLineBreak_isAppendedToOnANewLine() throws Exception {
    Path file = dir.resolve("people.jsonl");
    Files.writeString(file, "{\"id\":\"p1\",\"name\":\"Ann\"}", StandardCharsets.UTF_8);
    JsonLinesFile json = JsonLinesFile.of(file, SCHEMA, "hr", "people", "HR");

    json.write(List.of(Change.upsert(Envelope.of("p2", Fields.of("name", "Ben")))));

    assertEquals(Map.of("p1", "Ann", "p2", "Ben"), names(json.lookup(List.of("p1", "p2"))));
    assertEquals(2, Files.readAllLines(file).size());
  }

  private static Map<String, Object> names(Map<String, Envelope<Fields>> found) {
    Map<String, Object> names = new HashMap<>();
    found.forEach((k, v) -> names.put(k, v.payload().get("name")));
    return names;
  }
}
