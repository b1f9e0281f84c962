package dev.patchbay.core.checkpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.report.Counts;
import dev.patchbay.core.report.Progress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileCheckpointStoreTest {

  @TempDir
  Path dir;

  private final List<String> warnings = new ArrayList<>();

  private static Progress progress(long sequence) {
    return new Progress(Checkpoint.at("case-" + sequence), sequence, new Counts(sequence * 10, 5, 1, 1, 0, 2, 1),
        List.of(new Outcome.Failed("case-3", Stage.TRANSFORM, "email", "required field is missing"),
            new Outcome.Failed("case-é/\"", Stage.WRITE, null, "rejected")),
        Instant.parse("2026-11-23T10:00:00Z").plusSeconds(sequence));
  }

  @Test
  void saveThenLoad_returnsTheNewestProgress_exactly() {
    CheckpointStore store = CheckpointStore.directory(dir);
    assertEquals(Optional.empty(), store.load("legacy/cases", warnings::add));
    store.save("legacy/cases", progress(1));
    store.save("legacy/cases", progress(2));
    store.save("legacy/cases", progress(3));
    assertEquals(Optional.of(progress(3)), CheckpointStore.directory(dir).load("legacy/cases", warnings::add));
    assertEquals(List.of(), warnings);
  }

  @Test
  void aTornNewestFile_fallsBackToThePreviousGoodCheckpoint_andSaysSo() throws Exception {
    CheckpointStore store = CheckpointStore.directory(dir);
    store.save("cases", progress(4));
    store.save("cases", progress(5));
    Path newest = dir.resolve("cases.b.ckpt");
    byte[] bytes = Files.readAllBytes(newest);
    Files.write(newest, Arrays.copyOf(bytes, bytes.length / 2));

    assertEquals(Optional.of(progress(4)), store.load("cases", warnings::add));
    assertEquals(1, warnings.size());
    assertTrue(warnings.get(0).startsWith("checkpoint file " + newest + " is unreadable (torn: "), warnings.get(0));
    assertTrue(warnings.get(0).endsWith("; resuming from the good checkpoint #4 saved at 2026-11-23T10:00:04Z"), warnings.get(0));
  }

  @Test
  void aFlippedByte_isCaughtByTheChecksum() throws Exception {
    CheckpointStore store = CheckpointStore.directory(dir);
    store.save("cases", progress(6));
    store.save("cases", progress(7));
    Path newest = dir.resolve("cases.b.ckpt");
    byte[] bytes = Files.readAllBytes(newest);
    bytes[bytes.length - 20] ^= 0x01;
    Files.write(newest, bytes);

    assertEquals(Optional.of(progress(6)), store.load("cases", warnings::add));
    assertTrue(warnings.get(0).contains("(checksum mismatch)"), warnings.get(0));
  }

  @Test
  void aLeftoverTemporaryFile_fromACrashMidSave_isIgnored() throws Exception {
    CheckpointStore store = CheckpointStore.directory(dir);
    store.save("cases", progress(8));
    Files.writeString(dir.resolve("cases.b.ckpt.tmp"), "patchbay-checkpoint 1 0000");

    assertEquals(Optional.of(progress(8)), store.load("cases", warnings::add));
    assertEquals(List.of(), warnings);
    store.save("cases", progress(9));
    assertEquals(Optional.of(progress(9)), store.load("cases", warnings::add));
  }

  @Test
  void noGoodCheckpointAtAll_isASetupErrorNamingTheFiles() throws Exception {
    Files.writeString(dir.resolve("cases.a.ckpt"), "garbage");
    SetupException e = assertThrows(SetupException.class, () -> CheckpointStore.directory(dir).load("cases", warnings::add));
    assertEquals("Checkpoint 'cases' has no good checkpoint: " + dir.resolve("cases.a.ckpt")
        + " is unreadable (no header line). Delete the files to start the run from the beginning.", e.getMessage());
  }

  @Test
  void clear_forgetsTheProgress() {
    CheckpointStore store = CheckpointStore.directory(dir);
    store.save("cases", progress(1));
    store.save("cases", progress(2));
    store.clear("cases");
    assertEquals(Optional.empty(), store.load("cases", warnings::add));
  }

  @Test
  void namesAreSafeFileNames() {
    assertEquals("legacy%2Fcases", FileCheckpointStore.fileName("legacy/cases"));
    assertEquals("%2E.%2F", FileCheckpointStore.fileName("../"));
    assertEquals("caf%C3%A9-1.v2_x", FileCheckpointStore.fileName("café-1.v2_x"));
  }

  @Test
  void aNameIsHeldByOneRunAtATime_inThisProcess_andReleasedOnClose() {
    CheckpointStore one = CheckpointStore.directory(dir);
    CheckpointStore two = CheckpointStore.directory(dir);
    try (CheckpointStore.Lock held = one.lock("legacy/cases")) {
      SetupException e = assertThrows(SetupException.class, () -> two.lock("legacy/cases"));
      assertEquals("Checkpoint 'legacy/cases' is held by another run: " + dir.resolve("legacy%2Fcases.lock")
          + " is locked. One run per name at a time; wait for it to end (its lock goes with its process)", e.getMessage());
      two.lock("other").close();   // another name is free
    }
    two.lock("legacy/cases").close();
  }

  @Test
  void aNameHeldByAnotherProcess_isRefused_untilThatProcessEnds() throws Exception {
    String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder = new ProcessBuilder(javaCommand, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(),
        dir.toString(), "legacy/cases").redirectErrorStream(true).start();
    try {
      java.io.BufferedReader out = new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream(),
          java.nio.charset.StandardCharsets.UTF_8));
      assertEquals("locked", out.readLine(), "the child holds the lock");
      SetupException e = assertThrows(SetupException.class, () -> CheckpointStore.directory(dir).lock("legacy/cases"));
      assertTrue(e.getMessage().startsWith("Checkpoint 'legacy/cases' is held by another run: "), e.getMessage());
    } finally {
      holder.destroyForcibly().waitFor();
    }
    CheckpointStore.directory(dir).lock("legacy/cases").close();
  }

  /** Holds a name's lock in a child JVM until killed. */
  public static final class LockHolder {
    public static void main(String[] args) throws Exception {
      CheckpointStore.directory(Path.of(args[0])).lock(args[1]);
      System.out.println("locked");
      System.out.flush();
      Thread.sleep(60_000);
    }
  }

  @Test
  void twoWritersSavingOneName_neverShareATemporaryFile() throws Exception {
    CheckpointStore one = CheckpointStore.directory(dir);
    CheckpointStore two = CheckpointStore.directory(dir);
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (CheckpointStore store : List.of(one, two)) {
      Thread t = new Thread(() -> {
        try {
          for (long i = 1; i <= 200; i++) {
            store.save("shared", progress(2 * i));
          }
        } catch (Throwable e) {
          failures.add(e);
        }
      });
      threads.add(t);
      t.start();
    }
    for (Thread t : threads) {
      t.join();
    }
    assertEquals(List.of(), failures, "no save failed");
    assertTrue(one.load("shared", warnings::add).isPresent());
  }
}
