package dev.patchbay.examples;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** The city's legacy case system: its export, what is in scope, and how a case maps to the new system. */
final class LegacyCases {

  /** Cases still worth moving: everything but the archived ones. */
  static final ScopeCriteria<Fields> NOT_ARCHIVED =
      ScopeCriteria.where("status is not archived", r -> !"ARCHIVED".equals(r.payload().get("STATUS")));

  /** Legacy columns to the new case shape; a bad date or a missing reporter rejects the case. */
  static final Transform<Fields, Fields> TO_CASE = record -> {
    Fields legacy = record.payload();
    LocalDate opened;
    try {
      opened = LocalDate.parse(legacy.requireText("OPENED"));
    } catch (DateTimeParseException e) {
      throw DataException.field("OPENED", "is not a date (yyyy-mm-dd)");
    }
    return record.withPayload(Fields.of(
        "caseNumber", "C-" + legacy.require("CASE_NO"),
        "category", legacy.requireText("CATEGORY").toLowerCase(Locale.ROOT),
        "status", legacy.requireText("STATUS").toLowerCase(Locale.ROOT),
        "opened", opened.toString(),
        "reporterEmail", legacy.requireText("REPORTER_EMAIL").trim().toLowerCase(Locale.ROOT)));
  };

  private LegacyCases() {
  }

  /** A generated export of {@code count} cases, three of them broken the way real exports are. */
  static List<Envelope<Fields>> export(int count) {
    Random random = new Random(2026);
    String[] categories = {"POTHOLE", "STREETLIGHT", "NOISE", "GRAFFITI", "PERMIT"};
    String[] statuses = {"OPEN", "OPEN", "IN_PROGRESS", "CLOSED", "ARCHIVED"};
    List<Envelope<Fields>> cases = new ArrayList<>();
    for (int i = 1; i <= count; i++) {
      Fields row = Fields.of(
          "CASE_NO", String.format("%06d", i),
          "CATEGORY", categories[random.nextInt(categories.length)],
          "STATUS", statuses[random.nextInt(statuses.length)],
          "OPENED", LocalDate.of(2019, 1, 1).plusDays(random.nextInt(2500)).toString(),
          "REPORTER_EMAIL", " Resident" + i + "@Mail.Example ");
      if (i == 17) {
        row = row.with("OPENED", "31/02/2021");
      }
      if (i == 42) {
        row = row.without("REPORTER_EMAIL");
      }
      if (i == 99) {
        row = row.with("CATEGORY", " ");
      }
      cases.add(new Envelope<>(String.format("case-%06d", i), i, row));
    }
    return cases;
  }
}
