package dev.patchbay.patterns.migration;

import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/** Generated legacy case records, with the scope and transform the migration tests use. */
final class Cases {

  static final int AMOUNT_LIMIT = 9_900;

  static final ScopeCriteria<Fields> OPEN_OR_CLOSED = ScopeCriteria.where("status is open or closed",
      r -> !"archived".equals(r.payload().get("status")));

  /** Upper-cases the title, lower-cases the email; rejects a missing email and an amount over the limit. */
  static final Transform<Fields, Fields> TO_TARGET = record -> {
    Fields f = record.payload();
    String email = f.requireText("email");
    Object amount = f.require("amount");
    if (amount instanceof Integer a && a > AMOUNT_LIMIT) {
      throw DataException.field("amount", "exceeds the limit of " + AMOUNT_LIMIT);
    }
    return record.withPayload(Fields.of(
        "caseId", f.require("id"),
        "title", f.requireText("title").toUpperCase(Locale.ROOT),
        "status", f.require("status"),
        "amount", amount,
        "email", email.toLowerCase(Locale.ROOT)));
  };

  private Cases() {
  }

  static List<Envelope<Fields>> generate(int n, Random random) {
    List<Envelope<Fields>> records = new ArrayList<>(n);
    String[] statuses = {"open", "open", "closed", "archived"};
    for (int i = 0; i < n; i++) {
      String key = String.format("case-%05d", i);
      Fields f = Fields.of("id", key, "title", "Case " + i + " pothole on Main St",
          "status", statuses[random.nextInt(statuses.length)], "amount", random.nextInt(10_000));
      if (random.nextInt(40) != 0) {
        f = f.with("email", "Owner" + i + "@Example.org");
      }
      records.add(new Envelope<>(key, 1 + random.nextInt(5), f));
    }
    return records;
  }

  /** The transformed record, or null where the transform rejects it. */
  static Envelope<Fields> transformed(Envelope<Fields> record) {
    try {
      return TO_TARGET.apply(record);
    } catch (DataException e) {
      return null;
    }
  }
}
