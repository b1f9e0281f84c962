package dev.patchbay.examples.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.connectors.testkit.ConnectorContract;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.opentest4j.TestAbortedException;

/**
 * The whole connector kit, run over the reference connector with one bug planted at a time, fails
 * each time, in a check whose message names the fault; over the connector as it is, nothing fails.
 */
class KitFindsPlantedBugsTest {

  /** A bug a connector author makes, and the words of the kit's failure that name it. */
  enum Bug {
    VERSIONS_ALWAYS_ZERO("read back with version 0"),
    VERSIONS_A_COUNTER("versions are modification times in epoch microseconds, not counters"),
    CHECKPOINT_SKIPS_A_RECORD("every record once, in key order"),
    WRITE_ANSWERED_BUT_NOT_MADE("found by key"),
    CHANGE_FEED_NEWEST_FIRST("seen exactly once"),
    LOOKUP_RETURNS_DELETED_RECORDS("deleted records are not found by key"),
    WRONG_EXCEPTION_WHEN_UNREACHABLE("throws a TransientException"),
    WRITES_UNSAFE_UNDER_CONCURRENCY("concurrent write"),
    FOREIGN_CHECKPOINT_TAKEN_FOR_THE_START("as a checkpoint of its own"),
    NUMBER_READ_BACK_AS_ANOTHER_TYPE("(Long) but read \""),
    FEED_HIDES_DELETES("the feed shows the two deletes"),
    CLOCK_IN_ANOTHER_TIME_ZONE("stamps them with the clock now() reads"),
    UNREADABLE_RECORD_PASSED_OVER_SILENTLY("one record made unreadable, one DataException from next()");

    final String named;

    Bug(String named) {
      this.named = named;
    }
  }

  @ParameterizedTest
  @EnumSource(Bug.class)
  void theKit_failsAConnectorWithThePlantedBug_namingIt(Bug bug) throws Exception {
    List<String> failures = runKit(bug);
    System.out.printf("[planted] %s: %d checks failed; %s%n", bug, failures.size(),
        failures.stream().filter(f -> f.contains(bug.named)).findFirst().orElse("none names it"));
    assertTrue(failures.stream().anyMatch(f -> f.contains(bug.named)),
        bug + ": no failure names the fault ('" + bug.named + "'); failures: " + failures);
  }

  @Test
  void theKit_passesTheConnectorAsItIs() throws Exception {
    assertEquals(List.of(), runKit(null));
  }

  /** Every check of the kit over the connector with {@code bug} planted; the failures, by check and message. */
  private static List<String> runKit(Bug bug) throws Exception {
    List<String> failures = new ArrayList<>();
    for (Method check : ConnectorContract.class.getMethods()) {
      if (!check.isAnnotationPresent(Test.class)) {
        continue;
      }
      try (ContactsApi api = new ContactsApi()) {
        ConnectorContract kit = new ConnectorContract() {
          @Override
          public Connector newConnector() {
            return new Planted(new HttpContacts(api.uri(), pageSize()), bug);
          }

          @Override
          public Optional<Connector> unreachable() {
            return Optional.of(new Planted(new HttpContacts(URI.create("http://127.0.0.1:1"), pageSize()), bug));
          }

          @Override
          public boolean plantUnreadable(Connector connector, String key) {
            api.answers = answer -> {
              answer.forEach(item -> {
                if (key.equals(item.path("key").asText())) {
                  ((com.fasterxml.jackson.databind.node.ObjectNode) item).remove("fields");
                }
              });
              return answer;
            };
            return true;
          }
        };
        try {
          check.invoke(kit);
        } catch (InvocationTargetException e) {
          if (!(e.getCause() instanceof TestAbortedException)) {
            failures.add(check.getName() + ": " + e.getCause());
          }
        } finally {
          kit.closeConnectorsOfThisTest();
        }
      }
    }
    return failures;
  }

  /** The reference connector with {@code bug} planted (none where null). */
  private static final class Planted implements Connector, Source<Fields>, ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {
    private final HttpContacts real;
    private final Bug bug;
    private final Map<String, Long> counters = new ConcurrentHashMap<>();
    private final Set<String> deleted = ConcurrentHashMap.newKeySet();
    private final AtomicLong writes = new AtomicLong();
    private final List<Change<Fields>> sharedBuffer = new ArrayList<>();

    Planted(HttpContacts real, Bug bug) {
      this.real = real;
      this.bug = bug;
    }

    @Override
    public ConnectorDescription description() {
      return real.description();
    }

    @Override
    public void close() {
      real.close();
    }

    private Envelope<Fields> served(Envelope<Fields> r) {
      if (bug == Bug.VERSIONS_ALWAYS_ZERO) {
        return new Envelope<>(r.key(), 0, r.payload());
      }
      if (bug == Bug.VERSIONS_A_COUNTER) {
        return new Envelope<>(r.key(), counters.getOrDefault(r.key(), 1L), r.payload());
      }
      if (bug == Bug.NUMBER_READ_BACK_AS_ANOTHER_TYPE && r.payload().get("amount") instanceof Long n) {
        return new Envelope<>(r.key(), r.version(), r.payload().with("amount", n.toString()));
      }
      return r;
    }

    @Override
    public Cursor<Fields> read(Checkpoint after) {
      Cursor<Fields> cursor = real.read(after);
      if (bug != Bug.CHECKPOINT_SKIPS_A_RECORD) {
        return cursorOf(cursor);
      }
      return new Cursor<>() {   // the checkpoint after a record is the one after the record that follows it
        Envelope<Fields> ahead;
        Checkpoint position = after;

        @Override
        public boolean hasNext() {
          return ahead != null || cursor.hasNext();
        }

        @Override
        public Envelope<Fields> next() {
          Envelope<Fields> r = ahead != null ? ahead : cursor.next();
          ahead = cursor.hasNext() ? cursor.next() : null;
          position = cursor.checkpoint();
          return r;
        }

        @Override
        public Checkpoint checkpoint() {
          return position;
        }
      };
    }

    private Cursor<Fields> cursorOf(Cursor<Fields> cursor) {
      return new Cursor<>() {
        @Override
        public boolean hasNext() {
          return cursor.hasNext();
        }

        @Override
        public Envelope<Fields> next() {
          try {
            return served(cursor.next());
          } catch (dev.patchbay.core.DataException unreadable) {
            if (bug != Bug.UNREADABLE_RECORD_PASSED_OVER_SILENTLY || !cursor.hasNext()) {
              throw unreadable;
            }
            return served(cursor.next());   // the bug: a record that cannot be read is passed over, unreported
          }
        }

        @Override
        public Checkpoint checkpoint() {
          return cursor.checkpoint();
        }
      };
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      ChangeCursor<Fields> cursor = real.changes(bug == Bug.FOREIGN_CHECKPOINT_TAKEN_FOR_THE_START && !after.position().matches("\\d+:.*")
          ? Checkpoint.start() : after);
      List<Change<Fields>> page = new ArrayList<>();
      List<Checkpoint> positions = new ArrayList<>();
      return new ChangeCursor<>() {
        Checkpoint position = after;

        @Override
        public boolean hasNext() {
          if (bug == Bug.CHANGE_FEED_NEWEST_FIRST && page.isEmpty()) {   // reads a page and hands it out newest first
            for (int i = 0; i < 10 && cursor.hasNext(); i++) {
              page.add(0, cursor.next());
              positions.add(0, cursor.checkpoint());
            }
          }
          while (bug == Bug.FEED_HIDES_DELETES && page.isEmpty() && cursor.hasNext()) {
            Change<Fields> c = cursor.next();
            if (c instanceof Change.Upsert<Fields>) {
              page.add(c);
              positions.add(cursor.checkpoint());
            }
          }
          return !page.isEmpty() || cursor.hasNext();
        }

        @Override
        public Change<Fields> next() {
          Change<Fields> c;
          if (hasNext() && !page.isEmpty()) {
            c = page.remove(0);
            position = positions.remove(0);
          } else {
            c = cursor.next();
            position = cursor.checkpoint();
          }
          return c instanceof Change.Upsert<Fields> u ? Change.upsert(served(u.record())) : c;
        }

        @Override
        public Checkpoint checkpoint() {
          return position;
        }
      };
    }

    @Override
    public Optional<Instant> now() {
      return bug == Bug.CLOCK_IN_ANOTHER_TIME_ZONE ? real.now().map(t -> t.plusSeconds(5 * 3600)) : real.now();
    }

    @Override
    public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
      Map<String, Envelope<Fields>> found = new LinkedHashMap<>();
      real.lookup(keys).forEach((k, r) -> found.put(k, served(r)));
      if (bug == Bug.LOOKUP_RETURNS_DELETED_RECORDS) {
        keys.stream().filter(deleted::contains).forEach(k -> found.put(k, new Envelope<>(k, 1, Fields.of())));
      }
      return found;
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      try {
        batch.forEach(c -> {
          counters.merge(c.key(), 1L, Long::sum);
          if (c instanceof Change.Delete<Fields>) {
            deleted.add(c.key());
          }
        });
        if (bug == Bug.WRITE_ANSWERED_BUT_NOT_MADE) {   // every third record is answered as written, and never sent
          List<Change<Fields>> sent = batch.stream().filter(c -> writes.incrementAndGet() % 3 != 0).toList();
          if (!sent.isEmpty()) {
            real.write(sent);
          }
          return batch.stream().map(c -> c instanceof Change.Delete<Fields> ? Outcome.deleted(c.key()) : Outcome.created(c.key())).toList();
        }
        if (bug == Bug.WRITES_UNSAFE_UNDER_CONCURRENCY) {   // one buffer for every caller, sent by whoever comes first
          List<Change<Fields>> mine;
          synchronized (sharedBuffer) {
            sharedBuffer.addAll(batch);
          }
          Thread.sleep(5);
          synchronized (sharedBuffer) {
            mine = new ArrayList<>(sharedBuffer);
            sharedBuffer.clear();
          }
          if (mine.size() == batch.size() && mine.containsAll(batch)) {
            return real.write(batch);   // alone: as it should
          }
          Collections.shuffle(mine);
          List<Change<Fields>> sent = mine.subList(0, Math.min(mine.size(), batch.size()));
          if (!sent.isEmpty()) {
            real.write(sent);
          }
          return batch.stream().map(c -> Outcome.created(c.key())).toList();
        }
        return real.write(batch);
      } catch (TransientException e) {
        throw bug == Bug.WRONG_EXCEPTION_WHEN_UNREACHABLE ? new IllegalStateException("could not write", e) : e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
