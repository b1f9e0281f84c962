package dev.patchbay.connectors.testkit;

import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.Random;

/** Seeds, generated records and the connectors a test opened; not API. */
final class TestKitState {

  /** 2026-01-01T00:00:00Z: versions are whole seconds after it. */
  static final long BASE_TIME = 1_767_225_600_000_000L;

  private static final ThreadLocal<List<Connector>> OPEN = ThreadLocal.withInitial(ArrayList::new);
  private static final ThreadLocal<Map<Connector, Set<String>>> WRITTEN = ThreadLocal.withInitial(java.util.IdentityHashMap::new);

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

  /** Keeps {@code keys} as written through {@code c}, to be removed after the test. */
  static void wrote(Connector c, List<String> keys) {
    WRITTEN.get().computeIfAbsent(c, x -> new java.util.LinkedHashSet<>()).addAll(keys);
  }

  /**
   * Removes what the test wrote through each connector it opened (by key, where the connector
   * deletes; a target gone already is passed over), then closes them.
   */
  static void closeAll() {
    List<Connector> open = new ArrayList<>(OPEN.get());
    Map<Connector, Set<String>> written = new java.util.IdentityHashMap<>(WRITTEN.get());
    OPEN.get().clear();
    WRITTEN.get().clear();
    for (Connector c : open) {
      Set<String> keys = written.getOrDefault(c, Set.of());
      try {
        if (!keys.isEmpty() && c instanceof Destination<?> d && c.description().can(Capability.DELETE)) {
          List<String> all = new ArrayList<>(keys);
          for (int from = 0; from < all.size(); from += 500) {
            List<Change<Object>> deletes = new ArrayList<>();
            all.subList(from, Math.min(all.size(), from + 500)).forEach(k -> deletes.add(Change.delete(k)));
            @SuppressWarnings("unchecked")
            Destination<Object> target = (Destination<Object>) d;
            target.write(deletes);
          }
        }
      } catch (RuntimeException gone) {
        // the test removed the target, or the system cannot be reached: nothing left to remove
      } finally {
        c.close();
      }
    }
  }

  static long micros(java.time.Instant t) {
    return java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH, t);
  }

  static java.time.Instant asTime(long micros) {
    return java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS);
  }

  /** A value as a failure shows it: quoted text (long text cut, with its length), its type. */
  static String show(Object value) {
    if (value == null) {
      return "nothing (absent)";
    }
    String text = value instanceof byte[] b ? java.util.Arrays.toString(b) : String.valueOf(value);
    if (text.length() > 80) {
      text = text.substring(0, 60) + "... (" + text.length() + " characters)";
    }
    return (value instanceof String ? "\"" + text + "\"" : text) + " (" + value.getClass().getSimpleName() + ")";
  }
}
