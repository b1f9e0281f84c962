package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryStateStoreContractTest implements StateStoreContract {

  @TempDir
  Path dir;

  @Override
  public StateStore store() {
    return StateStore.directory(dir);
  }

  @Override
  public Optional<Place> placeForAnotherProcess() {
    return Optional.of(new Place(Opener.class, dir.toString()));
  }

  /** Opens the directory store in a child JVM. */
  public static final class Opener implements Function<String, StateStore> {
    @Override
    public StateStore apply(String directory) {
      return StateStore.directory(Path.of(directory));
    }
  }

  private static Progress progress(long sequence) {
    return new Progress(Map.of(), Map.of(), sequence, Counts.zero(), List.of(), Instant.parse("2026-12-01T00:00:00Z"), Map.of());
  }

  @Test
  void aSaveTornByACrash_isDropped_withAWarningNamingTheFile() throws Exception {
    try (NamedState state = store().open("legacy/cases")) {
      state.save(progress(1), List.of(new Entry("links", "a", null, null, Fields.of("v", 1))));
      state.save(progress(2), List.of(new Entry("links", "a", null, null, Fields.of("v", 2))));
    }
    Path file = dir.resolve("legacy%2Fcases.state");
    byte[] bytes = Files.readAllBytes(file);
    Files.write(file, Arrays.copyOf(bytes, bytes.length - 7));   // the second save, cut short
    List<String> warnings = new ArrayList<>();
    try (NamedState state = store().open("legacy/cases")) {
      assertEquals(1, state.progress(warnings::add).orElseThrow().sequence());
      assertEquals(Fields.of("v", 1), state.entries("links", List.of("a")).get("a").value());
      state.save(progress(2), List.of());   // appends after the dropped tail
    }
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).startsWith("the last "), warnings.get(0));
    assertTrue(warnings.get(0).contains(" bytes of " + file + " were a write cut short by a crash"), warnings.get(0));
    try (NamedState state = store().open("legacy/cases")) {
      assertEquals(2, state.progress(w -> { }).orElseThrow().sequence());
    }
  }

  @Test
  void aDamagedLineBeforeOthers_isCorruption_notACrash_andIsRefused() throws Exception {
    try (NamedState state = store().open("cases")) {
      state.save(progress(1), List.of());
      state.save(progress(2), List.of());
    }
    Path file = dir.resolve("cases.state");
    String text = Files.readString(file);
    Files.writeString(file, "{\"e\": [" + text.substring(text.indexOf('\n')));
    SetupException e = assertThrows(SetupException.class, () -> store().open("cases"));
    assertTrue(e.getMessage().startsWith("State 'cases' cannot be read: " + file + " is corrupt at line 1 (checksum or JSON)"), e.getMessage());
    store().open("cases-other").close();   // the lock of a refused name is let go
    Files.delete(file);
    store().open("cases").close();
  }

  @Test
  void theFileIsRewrittenCompactly_asItGrows() throws Exception {
    String pad = "x".repeat(10_000);
    try (NamedState state = store().open("compact")) {
      for (int s = 1; s <= 1_000; s++) {
        state.save(progress(s), List.of(new Entry("links", "k" + s % 10, null, null, Fields.of("s", s, "pad", pad))));
      }
    }
    long size = Files.size(dir.resolve("compact.state"));
    assertTrue(size < 4 * (1 << 20) + 200_000, "1,000 saves of 10 entries' worth rewrite to " + size + " bytes");
    try (NamedState state = store().open("compact")) {
      assertEquals(1_000, state.progress(w -> { }).orElseThrow().sequence());
      assertEquals(1_000, state.entries("links", List.of("k0")).get("k0").value().get("s"));
    }
    try (var files = Files.list(dir)) {
      assertEquals(List.of("compact.lock", "compact.state"), files.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary file left");
    }
  }

  @Test
  void namesAreSafeFileNames() {
    store().open("../x").close();
    store().open("café-1.v2_x").close();
    try (var files = Files.list(dir)) {
      assertEquals(List.of("%2E.%2Fx.lock", "caf%C3%A9-1.v2_x.lock"),
          files.map(p -> p.getFileName().toString()).sorted().toList());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
