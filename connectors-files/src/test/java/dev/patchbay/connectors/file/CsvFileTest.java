package dev.patchbay.connectors.file;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvFileTest {

  static final FileSchema CUSTOMERS = FileSchema.keyedBy("id").text("name").text("email").wholeNumber("amount")
      .date("joined").maxFieldLength(40).build();

  @TempDir
  Path dir;

  private static void line(ByteArrayOutputStream out, String text) {
    out.writeBytes((text + "\n").getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void everyKindOfBadInput_isReportedWithFileLineAndReason_andTheRestIsRead() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    line(out, "id,name,email,amount,joined");                          // 1
    line(out, "c1,Ada,ada@example.org,10,2020-01-31");                 // 2
    line(out, "c2,Bob,bob@example.org,5");                             // 3: too few values
    line(out, "c3,\"Cy, Jr.\",cy@example.org,,2021-02-03");            // 4: quoted comma, empty amount
    out.writeBytes(new byte[] {'c', '4', ',', (byte) 0xC3, 0x28, ',', 'x', ',', '1', ',', '\n'});  // 5: not UTF-8
    out.writeBytes("c5,Nul\0Name,n@example.org,1,2020-01-01\n".getBytes(StandardCharsets.UTF_8));  // 6: NUL
    line(out, "c6,Eve,eve@example.org,12x,2020-01-01");                // 7: amount
    line(out, "c7,Fay,fay@example.org,3,2020-13-45");                  // 8: date
    line(out, "c8," + "L".repeat(41) + ",l@example.org,3,2020-01-01"); // 9: over-long
    line(out, "c9,\"Multi");                                           // 10: a value over two lines
    line(out, "Line\",m@example.org,4,2022-02-02");                    // 11
    line(out, ",NoKey,k@example.org,4,2022-02-02");                    // 12: missing key
    line(out, "c10,Gus,gus@example.org,1,2020-01-01,extra");           // 13: too many values
    line(out, "c11,\"Never closed,x@example.org,1,2020-01-01");        // 14: unterminated quote
    line(out, "c12,Hal,hal@example.org,7,2023-03-03");                 // 15
    Path file = dir.resolve("customers.csv");
    Files.write(file, out.toByteArray());
    CsvFile csv = CsvFile.of(file, CUSTOMERS, "crm", "customers", "CRM team");

    List<String> expected = List.of(
        "c1 {name=Ada, email=ada@example.org, amount=10, joined=2020-01-31}",
        "UNREADABLE record 'customers.csv:3': has 4 values where the header has 5 columns",
        "c3 {name=Cy, Jr., email=cy@example.org, joined=2021-02-03}",
        "UNREADABLE record 'customers.csv:5': line is not valid UTF-8",
        "UNREADABLE record 'customers.csv:6': line contains a NUL byte",
        "UNREADABLE record 'customers.csv:7', field 'amount': is not a whole number",
        "UNREADABLE record 'customers.csv:8', field 'joined': is not a date (yyyy-mm-dd)",
        "UNREADABLE record 'customers.csv:9', field 'name': is 41 characters long, more than the limit of 40",
        "c9 {name=Multi\nLine, email=m@example.org, amount=4, joined=2022-02-02}",
        "UNREADABLE record 'customers.csv:12', field 'id': required field is missing",
        "UNREADABLE record 'customers.csv:13': has 6 values where the header has 5 columns",
        "UNREADABLE record 'customers.csv:14': line has a quoted value that is never closed",
        "c12 {name=Hal, email=hal@example.org, amount=7, joined=2023-03-03}");
    assertEquals(expected, FileReading.readAll(csv, Checkpoint.start()));
    assertEquals(expected, FileReading.readResumingAfterEachItem(csv), "resuming after every item reads the same");
  }

  @Test
  void writtenRecords_readBackTyped_andAnUnchangedRewrite_appendsNothing() throws Exception {
    Path file = dir.resolve("out.csv");
    CsvFile csv = CsvFile.of(file, CUSTOMERS, "warehouse", "customers", null);
    Envelope<Fields> ada = Envelope.of("c1", Fields.of("name", "Ada \"The\" Countess, é", "email", "a@x.org",
        "amount", 10L, "joined", LocalDate.of(2020, 1, 31)));
    Envelope<Fields> bob = Envelope.of("c2", Fields.of("name", "Bob\nNewline", "amount", 5L));

    assertEquals(List.of(Outcome.created("c1"), Outcome.created("c2")), csv.write(List.of(Change.upsert(ada), Change.upsert(bob))));
    long size = Files.size(file);
    assertEquals(List.of(Outcome.unchanged("c1"), Outcome.unchanged("c2")),
        CsvFile.of(file, CUSTOMERS, "warehouse", "customers", null).write(List.of(Change.upsert(ada), Change.upsert(bob))));
    assertEquals(size, Files.size(file), "nothing appended for unchanged records");

    assertEquals(List.of("c1 " + ada.payload().asMap(), "c2 " + bob.payload().asMap()),
        FileReading.readAll(csv, Checkpoint.start()));
    assertEquals("id,name,email,amount,joined", Files.readAllLines(file).get(0));
  }

  @Test
  void aHeaderLackingSchemaColumns_isASetupErrorNamingThem() throws Exception {
    Path file = dir.resolve("short.csv");
    Files.writeString(file, "id,name\nc1,Ada\n");
    SetupException e = assertThrows(SetupException.class,
        () -> CsvFile.of(file, CUSTOMERS, "crm", "customers", null).read(Checkpoint.start()));
    assertEquals("short.csv: the header lacks the columns email, amount, joined (it has: id, name)", e.getMessage());
  }

  @Test
  void decimalsAndBooleans_parse() throws Exception {
    Path file = dir.resolve("typed.csv");
    Files.writeString(file, "id,balance,active\na,12.50,true\nb,x,maybe\n");
    FileSchema schema = FileSchema.keyedBy("id").decimal("balance").bool("active").build();
    assertEquals(List.of("a {balance=12.50, active=true}",
            "UNREADABLE record 'typed.csv:3', field 'balance': is not a decimal number"),
        FileReading.readAll(CsvFile.of(file, schema, "s", "e", null), Checkpoint.start()));
    assertEquals(new BigDecimal("12.50"), CsvFile.of(file, schema, "s", "e", null).read(Checkpoint.start()).next().payload().get("balance"));
  }
}
