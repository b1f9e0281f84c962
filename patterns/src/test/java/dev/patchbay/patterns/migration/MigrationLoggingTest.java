package dev.patchbay.patterns.migration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patchbay.connectors.testkit.Faults;
import dev.patchbay.connectors.testkit.Faulty;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.Transform;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.RetryPolicy;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class MigrationLoggingTest {

  private static final String SECRET = "SECRET-4111-1111";

  /** Keeps events with their MDC, captured when they are logged (as asynchronous appenders do). */
  private final ListAppender<ILoggingEvent> events = new ListAppender<>() {
    @Override
    protected void append(ILoggingEvent event) {
      event.prepareForDeferredProcessing();
      super.append(event);
    }
  };
  private Logger root;
  private Level previous;

  @BeforeEach
  void capture() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    previous = root.getLevel();
    root.setLevel(Level.DEBUG);
    events.start();
    root.addAppender(events);
  }

  @AfterEach
  void release() {
    root.detachAppender(events);
    root.setLevel(previous);
  }

  @Test
  void everyLogLine_carriesThePatternNameInTheMdc_andNoPayloadAtInfoOrAbove() {
    InMemoryStore<Fields> legacy = InMemoryStore.create("legacy");
    List<Envelope<Fields>> records = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      Fields f = Fields.of("id", "c" + i, "title", "card " + SECRET, "status", "open", "amount", i, "email", SECRET + "@x.org");
      records.add(Envelope.of(String.format("case-%05d", i), i == 4 ? f.without("email") : f));
    }
    legacy.putAll(records);
    InMemoryStore<Fields> target = InMemoryStore.create("target");
    Faulty<Fields> faulty = Faulty.around(target);
    faulty.inject(Faults.builder().seed(3).transientWriteFailures(0.4).build());
    // A connector whose errors quote record values, as database drivers do.
    int[] calls = {0};
    Destination<Fields> quoting = batch -> {
      if (++calls[0] % 3 == 0) {
        throw new TransientException("duplicate key (email)=(" + SECRET + "@x.org)");
      }
      return faulty.write(batch);
    };

    RunReport report = Migration.builder()
        .name("legacy-cases").source(legacy).scope(ScopeCriteria.all()).transform(Cases.TO_TARGET)
        .destination(quoting).batchSize(7).retry(RetryPolicy.immediate(20)).build().run();

    assertEquals(1, report.counts().failed());
    RunReport stopped = Migration.builder()
        .name("legacy-cases").source(legacy).scope(ScopeCriteria.all()).transform(Cases.TO_TARGET)
        .destination(batch -> {
          throw new IllegalStateException("constraint violated by value " + SECRET);
        }).build().run();
    assertTrue(stopped.message().endsWith("IllegalStateException: constraint violated by value " + SECRET),
        "the report keeps the whole error: " + stopped.message());
    RunReport exhausted = Migration.builder()
        .name("legacy-cases").source(legacy).scope(ScopeCriteria.all()).transform(Cases.TO_TARGET)
        .destination(batch -> {
          throw new TransientException("timeout writing " + SECRET);
        }).retry(RetryPolicy.immediate(2)).build().run();
    assertTrue(exhausted.message().endsWith("last error: TransientException: timeout writing " + SECRET), exhausted.message());
    List<ILoggingEvent> ours = events.list.stream().filter(e -> e.getLoggerName().startsWith("dev.patchbay")).toList();
    assertTrue(ours.size() >= 6, "start, batches, retries and end are logged: " + ours.size());
    assertTrue(ours.stream().anyMatch(e -> e.getLevel() == Level.WARN), "the retries are logged");
    assertTrue(ours.stream().anyMatch(e -> e.getLevel() == Level.ERROR), "the stop is logged");
    for (ILoggingEvent e : ours) {
      assertEquals("legacy-cases", e.getMDCPropertyMap().get("patchbay.name"), e.getFormattedMessage());
      assertEquals("migration", e.getMDCPropertyMap().get("patchbay.pattern"), e.getFormattedMessage());
      if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
        assertFalse(e.getFormattedMessage().contains(SECRET), e.getFormattedMessage());
        assertTrue(e.getThrowableProxy() == null, "no stack trace with its message at " + e.getLevel());
      }
    }
    assertEquals(null, org.slf4j.MDC.get("patchbay.name"), "the MDC is restored after the run");
  }

  @Test
  void toStringOfRecordsAndFields_showsNoValues() {
    Envelope<Fields> r = Envelope.of("k1", Fields.of("card", SECRET));
    assertEquals("Envelope[key=k1, version=0]", r.toString());
    assertEquals("Fields[card]", r.payload().toString());
    assertEquals(Transform.<Fields>identity().apply(r), r);
  }
}
