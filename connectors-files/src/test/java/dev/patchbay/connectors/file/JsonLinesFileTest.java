package dev.patchbay.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesFileTest {

  @TempDir
  Path dir;

  private static void line(ByteArrayOutputStream out, String text) {
    out.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyKindOfBadLine_isReportedWithFileLineAndReason_andTheRestIsRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    line(out, "{\"id\":\"c1\",\"name\":\"Ada\",\"amount\":10,\"joined\":\"2020-01-31\",\"ignored\":[1]}");  // 1
    line(out, "{\"id\":\"c2\",\"name\":\"Bob\",");                                   // 2: syntax
    line(out, "[1,2,3]");                                                             // 3: not an object
    line(out, "{\"name\":\"NoKey\"}");                                                // 4: no key
    out.writeBytes(new byte[] {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xFF, '"', '}', '\n'});  // 5: not UTF-8
    out.writeBytes("{\"id\":\"c6\",\"name\":\"N\0\"}\n".getBytes(StandardCharsets.UTF_8));        // 6: NUL
    line(out, "{\"id\":\"c7\",\"amount\":\"12,5\"}");                                 // 7: amount
    line(out, "");                                                                    // 8: blank, skipped
    line(out, "{\"id\":\"c9\",\"name\":\"" + "x".repeat(41) + "\"}");                 // 9: over-long
    line(out, "{\"id\":\"c10\",\"name\":{\"first\":\"Al\"}}");                        // 10: nested
    line(out, "{\"id\":\"c11\",\"name\":\"Cy\",\"amount\":-3}");                      // 11
    Path file = dir.resolve("people.jsonl");
    Files.write(file, out.toByteArray());
    FileSchema schema = FileSchema.keyedBy("id").text("name").wholeNumber("amount").date("joined").maxFieldLength(40).build();
    JsonLinesFile jsonl = JsonLinesFile.of(file, schema, "portal", "people", null);

    List<String> expected = List.of(
        "c1 {name=Ada, amount=10, joined=2020-01-31}",
        "UNREADABLE record 'people.jsonl:2': is not valid JSON (Unexpected end-of-input within/between Object entries)",
        "UNREADABLE record 'people.jsonl:3': is not a JSON object",
        "UNREADABLE record 'people.jsonl:4', field 'id': required field is missing",
        "UNREADABLE record 'people.jsonl:5': line is not valid UTF-8",
        "UNREADABLE record 'people.jsonl:6': line contains a NUL byte",
        "UNREADABLE record 'people.jsonl:7', field 'amount': is not a whole number",
        "UNREADABLE record 'people.jsonl:9', field 'name': is 41 characters long, more than the limit of 40",
        "UNREADABLE record 'people.jsonl:10', field 'name': is a JSON object, not a value",
        "c11 {name=Cy, amount=-3}");
    assertEquals(expected, FileReading.readAll(jsonl, Checkpoint.start()));
    assertEquals(expected, FileReading.readResumingAfterEachItem(jsonl));
  }

  @Test
  void aDecimalWrittenAgainWithAnotherScale_isUnchanged_andDecimalsKeepTheirDigits() {
    FileSchema schema = FileSchema.keyedBy("id").decimal("balance").build();
    JsonLinesFile jsonl = JsonLinesFile.of(dir.resolve("money.jsonl"), schema, "lake", "accounts", null);
    jsonl.write(List.of(Change.upsert(Envelope.of("a", Fields.of("balance", new java.math.BigDecimal("12345678901234.50"))))));
    JsonLinesFile reopened = JsonLinesFile.of(dir.resolve("money.jsonl"), schema, "lake", "accounts", null);
    assertEquals(List.of(dev.patchbay.core.Outcome.unchanged("a")),
        reopened.write(List.of(Change.upsert(Envelope.of("a", Fields.of("balance", new java.math.BigDecimal("12345678901234.5")))))));
    reopened.write(List.of(Change.upsert(Envelope.of("b", Fields.of("balance", new java.math.BigDecimal("12345678901234567.89"))))));
    assertEquals(0, new java.math.BigDecimal("12345678901234567.89").compareTo(
        (java.math.BigDecimal) reopened.lookup(List.of("b")).get("b").payload().get("balance")), "no digit lost to a double");
    assertEquals(AppendLog.contentHash(Fields.of("n", 5L)), AppendLog.contentHash(Fields.of("n", new java.math.BigDecimal("5.00"))));
  }

  @Test
  void writtenRecords_readBackTyped() {
    FileSchema schema = FileSchema.keyedBy("id").text("name").wholeNumber("amount").date("joined").build();
    JsonLinesFile jsonl = JsonLinesFile.of(dir.resolve("out.jsonl"), schema, "lake", "people", null);
    Envelope<Fields> ada = Envelope.of("c1", Fields.of("name", "Ada \"é\"\n", "amount", 10L, "joined", LocalDate.of(2020, 1, 31)));
    jsonl.write(List.of(Change.upsert(ada)));
    assertEquals(List.of("c1 " + ada.payload().asMap()), FileReading.readAll(jsonl, Checkpoint.start()));
  }
}
