package dev.patchbay.connectors.testkit;

import dev.patchbay.connectors.Connector;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Seeds, generated records and the connectors a test opened; not API. */
final class TestKitState {

  /** 2026-01-01T00:00:00Z: versions are whole seconds after it. */
  static final long BASE_TIME = 1_767_225_600_000_000L;

  private static final ThreadLocal<List<Connector>> OPEN = ThreadLocal.withInitial(ArrayList::new);

  private TestKitState() {
  }

  static Random random(String check) {
    return Seeds.random("connector test kit, " + check);
  }

  /** {@code n} records with distinct keys; versions {@code BASE_TIME + i * spacingSeconds} seconds. */
  static List<Envelope<Fields>> records(Random random, int n, int spacingSeconds) {
    List<Envelope<Fields>> records = new ArrayList<>(n);
    int next = random.nextInt(1_000_000);
    for (int i = 0; i < n; i++) {
      next += 1 + random.nextInt(3);
      String key = String.format("k-%08d", next);
      Fields f = Fields.of("name", "Name " + random.nextInt(10_000) + " é ü",
          "email", "person" + random.nextInt(100_000) + "@example.org",
          "amount", (long) random.nextInt(1_000_000) - 500_000);
      records.add(new Envelope<>(key, BASE_TIME + (long) i * spacingSeconds * 1_000_000, f));
    }
    return records;
  }

  static Connector track(Connector c) {
    OPEN.get().add(c);
    return c;
  }

  static void closeAll() {
    List<Connector> open = OPEN.get();
    open.forEach(Connector::close);
    open.clear();
  }
}
