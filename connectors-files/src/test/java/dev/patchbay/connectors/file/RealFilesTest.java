package dev.patchbay.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files as users hand them over: missing, empty, with a byte order mark, with a key twice. */
class RealFilesTest {

  static final FileSchema PEOPLE = FileSchema.keyedBy("id").text("name").build();
  private static final byte[] BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  @TempDir
  Path dir;

  private CsvFile csv(Path file) {
    return CsvFile.of(file, PEOPLE, "legacy", "people", "Records team");
  }

  private JsonLinesFile jsonLines(Path file) {
    return JsonLinesFile.of(file, PEOPLE, "legacy", "people", "Records team");
  }

  /** Each record read as "key name", each unreadable one as "! key: reason". */
  private static List<String> readAll(Source<Fields> source, Checkpoint after) {
    List<String> seen = new ArrayList<>();
    try (Cursor<Fields> cursor = source.read(after)) {
      while (cursor.hasNext()) {
        try {
          Envelope<Fields> r = cursor.next();
          seen.add(r.key() + " " + r.payload().get("name"));
        } catch (DataException e) {
          seen.add("! " + e.key() + ": " + e.reason());
        }
      }
    }
    return seen;
  }

  @Test
  void aMissingFile_isASetupErrorNamingIt_neverAnEmptySource() {
    Path missing = dir.resolve("people.csv");
    SetupException csv = assertThrows(SetupException.class, () -> csv(missing).read(Checkpoint.start()));
    assertEquals("people.csv: cannot be read: no such file " + missing, csv.getMessage());
    Path missingJson = dir.resolve("people.jsonl");
    SetupException json = assertThrows(SetupException.class, () -> jsonLines(missingJson).read(Checkpoint.start()));
    assertEquals("people.jsonl: cannot be read: no such file " + missingJson, json.getMessage());
  }

  @Test
  void anEmptyCsvFile_hasNoHeader_andIsASetupError() throws Exception {
    Path empty = Files.createFile(dir.resolve("people.csv"));
    SetupException e = assertThrows(SetupException.class, () -> csv(empty).read(Checkpoint.start()));
    assertEquals("people.csv: the file is empty; a CSV file starts with a header line", e.getMessage());
  }

  @Test
  void aMissingFile_isStillAFineDestination_createdOnFirstWrite() {
    Path file = dir.resolve("out.csv");
    CsvFile out = csv(file);
    out.write(List.of(dev.patchbay.core.Change.upsert(Envelope.of("p1", Fields.of("name", "Ada")))));
    assertEquals(List.of("p1 Ada"), readAll(out, Checkpoint.start()));
  }

  @Test
  void aByteOrderMark_isAccepted_inCsvAndJsonLines() throws Exception {
    Path csvFile = dir.resolve("bom.csv");
    Files.write(csvFile, concat(BOM, "id,name\np1,Ada\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("p1 Ada"), readAll(csv(csvFile), Checkpoint.start()));
    Path jsonFile = dir.resolve("bom.jsonl");
    Files.write(jsonFile, concat(BOM, "{\"id\":\"p1\",\"name\":\"Ada\"}\n".getBytes(StandardCharsets.UTF_8)));
    assertEquals(List.of("p1 Ada"), readAll(jsonLines(jsonFile), Checkpoint.start()));
  }

  @Test
  void windowsLineEnds_endLines_whileACarriageReturnInsideAQuotedValueIsKept() throws Exception {
    Path csvFile = dir.resolve("crlf.csv");
    Files.writeString(csvFile, "id,name\r\np1,Ada\r\np2,\"two\r\nlines\"\r\n");
    CsvFile csv = csv(csvFile);
    assertEquals(List.of("p1 Ada", "p2 two\r\nlines"), readAll(csv, Checkpoint.start()));
    assertEquals("two\r\nlines", csv.lookup(List.of("p2")).get("p2").payload().get("name"));
    Path jsonFile = dir.resolve("crlf.jsonl");
    Files.writeString(jsonFile, "{\"id\":\"p1\",\"name\":\"Ada\"}\r\n{\"id\":\"p2\",\"name\":\"Bob\"}\r\n");
    assertEquals(List.of("p1 Ada", "p2 Bob"), readAll(jsonLines(jsonFile), Checkpoint.start()));
  }

  @Test
  void aKeyRepeatedInOneFile_isReportedAtItsSecondLine_namingTheFirst_evenWhenResumedBetween() throws Exception {
    Path file = dir.resolve("people.csv");
    Files.writeString(file, "id,name\np1,Ada\np2,Bob\np1,Ada Again\np3,Cy\n");
    List<String> expected = List.of("p1 Ada", "p2 Bob", "! people.csv:4: key 'p1' is on line 2 already; a file holds each key"
        + " once, so this line is not read", "p3 Cy");
    assertEquals(expected, readAll(csv(file), Checkpoint.start()));
    assertEquals(expected.subList(2, 4), readAll(csv(file), Checkpoint.at("line:3")), "resumed after line 3");

    Path json = dir.resolve("people.jsonl");
    Files.writeString(json, "{\"id\":\"p1\",\"name\":\"Ada\"}\n{\"id\":\"p1\",\"name\":\"Twice\"}\n");
    assertEquals(List.of("p1 Ada", "! people.jsonl:2: key 'p1' is on line 1 already; a file holds each key once, so this"
        + " line is not read"), readAll(jsonLines(json), Checkpoint.start()));
  }

  @Test
  void aFileThatIsALog_canSayTheLaterLineWins() throws Exception {
    Path file = dir.resolve("log.csv");
    Files.writeString(file, "id,name\np1,Ada\np1,Ada Again\n");
    CsvFile log = CsvFile.of(file, FileSchema.keyedBy("id").text("name").laterLineWins().build(), "legacy", "people", "Records team");
    assertEquals(List.of("p1 Ada", "p1 Ada Again"), readAll(log, Checkpoint.start()));
    assertEquals("Ada Again", log.lookup(List.of("p1")).get("p1").payload().get("name"));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
