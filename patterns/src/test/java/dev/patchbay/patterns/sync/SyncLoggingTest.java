package dev.patchbay.patterns.sync;

import dev.patchbay.core.report.RunStatus;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.core.SetupException;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.RetryPolicy;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** A round that fails on a system's error logs the error's class and SQLState, never its text. */
class SyncLoggingTest {

  private static final String QUOTED = "ada@example.org";

  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger root;

  @BeforeEach
  void capture() {
    root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    events.start();
    root.addAppender(events);
  }

  @AfterEach
  void release() {
    root.detachAppender(events);
  }

  /** Side B, whose writes fail as a database trigger would: its message quotes a value. */
  private static final class Refusing implements ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {
    final InMemoryStore<Fields> store = InMemoryStore.create("permits");

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      return store.changes(after);
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      return store.lookup(keys);
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      throw new SetupException("table permits: could not write (SQLState XX000): duplicate " + QUOTED,
          new SQLException("duplicate " + QUOTED, "XX000"));
    }
  }

  private SyncReport failingRound(ReasonDetail detail) {
    InMemoryStore<Fields> crm = InMemoryStore.create("crm");
    crm.write(List.of(Change.upsert(Envelope.of("c-1", Fields.of("email", QUOTED)))));
    BidirectionalSync.Builder b = BidirectionalSync.builder().name("crm-permits").sideA(crm).sideB(new Refusing())
        .mapping(f -> f, f -> f).scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.lastWriterWins(Duration.ZERO, Side.A)).retry(RetryPolicy.immediate(1));
    return (detail == null ? b : b.reasonDetail(detail)).build().round();
  }

  @Test
  void theLog_carriesTheClassAndSqlState_neverTheSystemsMessage() {
    SyncReport report = failingRound(null);

    assertEquals(RunStatus.FAILED, report.status());
    List<String> atErrorOrAbove = events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.INFO))
        .map(ILoggingEvent::getFormattedMessage).toList();
    assertTrue(atErrorOrAbove.contains("Sync 'crm-permits' round failed: writing failed; the next round starts from the"
        + " same changes: SetupException (SQLState XX000)"), atErrorOrAbove.toString());
    assertFalse(atErrorOrAbove.stream().anyMatch(line -> line.contains(QUOTED)), atErrorOrAbove.toString());
    assertTrue(report.message().endsWith("SetupException: table permits: could not write (SQLState XX000): duplicate "
        + QUOTED), "the report keeps the system's message by default: " + report.message());
  }

  @Test
  void classAndState_keepsTheSystemsMessageOutOfTheReportToo() {
    SyncReport report = failingRound(ReasonDetail.CLASS_AND_STATE);

    assertEquals("Sync 'crm-permits' round FAILED: writing failed; the next round starts from the same changes:"
        + " SetupException (SQLState XX000)", report.message());
  }
}
