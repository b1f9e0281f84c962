package dev.patchbay.patterns.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** The patterns' threads: daemons named after their pattern unless the host gives its own, each carrying its maker's MDC. */
class ThreadsTest {

  @Test
  void withoutAHostFactory_threadsAreDaemons_namedAndNumbered_carryingTheMakersMdc() throws Exception {
    MDC.put("patchbay.name", "orders");
    ThreadFactory f;
    try {
      f = Threads.named("patchbay-migration-orders-writer", true);
    } finally {
      MDC.remove("patchbay.name");
    }
    AtomicReference<String> seen = new AtomicReference<>();
    Thread first = f.newThread(() -> seen.set(MDC.get("patchbay.name")));
    Thread second = f.newThread(() -> { });
    assertTrue(first.isDaemon(), "a pattern's own thread never keeps the host's JVM alive");
    assertEquals("patchbay-migration-orders-writer-1", first.getName());
    assertEquals("patchbay-migration-orders-writer-2", second.getName());
    first.start();
    first.join();
    assertEquals("orders", seen.get());
  }

  @Test
  void aHostFactory_makesTheThread_asTheHostSetIt_onlyNamedByThePattern() {
    AtomicReference<Thread> made = new AtomicReference<>();
    ThreadFactory host = r -> {
      Thread t = new Thread(r);
      t.setDaemon(false);
      made.set(t);
      return t;
    };
    Thread t = Threads.named("patchbay-sync-s-b", false, host).newThread(() -> { });
    assertSame(made.get(), t);
    assertFalse(t.isDaemon(), "the host's choice stands");
    assertEquals("patchbay-sync-s-b", t.getName());
  }
}
