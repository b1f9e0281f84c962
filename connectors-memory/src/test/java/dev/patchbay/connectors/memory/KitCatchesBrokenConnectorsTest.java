package dev.patchbay.connectors.memory;

import dev.patchbay.connectors.testkit.*;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.Capability;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.catalog.IntegrationMethod;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Source;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Each check of the kit fails on a connector with the bug it is there to find. */
class KitCatchesBrokenConnectorsTest {

  /** Closes what the kits below opened, as {@link ConnectorContract#closeConnectorsOfThisTest} does for a kit test. */
  @AfterEach
  void close() {
    ConnectorContract closer = () -> null;
    closer.closeConnectorsOfThisTest();
  }

  /** A base that delegates to an in-memory store; each test breaks one thing. */
  private static class Delegating implements Connector, Source<Fields>, Destination<Fields>, ChangeFeed<Fields> {
    final InMemoryStore<Fields> store = InMemoryStore.create("broken");

    @Override
    public ConnectorDescription description() {
      return ConnectorDescription.builder("broken", "records").method(IntegrationMethod.DATABASE)
          .capabilities(Capability.READ_PAGES, Capability.READ_CHANGES, Capability.UPSERT).build();
    }

    @Override
    public void close() {
    }

    @Override
    public Cursor<Fields> read(Checkpoint after) {
      return store.read(after);
    }

    @Override
    public ChangeCursor<Fields> changes(Checkpoint after) {
      return store.changes(after);
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      return store.write(batch);
    }
  }

  @Test
  void aCheckpointThatLagsOneRecord_failsThePagedReadCheck() {
    ConnectorContract kit = () -> new Delegating() {
      @Override
      public Cursor<Fields> read(Checkpoint after) {
        Cursor<Fields> real = store.read(after);
        return new Cursor<>() {
          Checkpoint lagging = after;
          Checkpoint previous = after;

          @Override
          public boolean hasNext() {
            return real.hasNext();
          }

          @Override
          public Envelope<Fields> next() {
            Envelope<Fields> r = real.next();
            lagging = previous;
            previous = real.checkpoint();
            return r;
          }

          @Override
          public Checkpoint checkpoint() {
            return lagging;
          }
        };
      }
    };
    assertThrows(AssertionError.class, kit::pagedRead_resumedAfterCrashesMidPage_hasNoGapAndNoOverlap);
  }

  @Test
  void aChangeFeedResumingAfterTheTimestampAlone_failsTheSharedModificationTimeCheck() {
    ConnectorContract kit = () -> new Delegating() {
      @Override
      public ChangeCursor<Fields> changes(Checkpoint after) {
        long since = after.isStart() ? Long.MIN_VALUE : Long.parseLong(after.position());
        Iterator<Envelope<Fields>> it = store.snapshot().values().stream()
            .filter(r -> r.version() > since)   // the bug: ties at the boundary are skipped
            .sorted(Comparator.comparingLong((Envelope<Fields> r) -> r.version()).thenComparing(Envelope::key))
            .iterator();
        return new ChangeCursor<>() {
          Checkpoint position = after;

          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Change<Fields> next() {
            Envelope<Fields> r = it.next();
            position = Checkpoint.at(Long.toString(r.version()));
            return Change.upsert(r);
          }

          @Override
          public Checkpoint checkpoint() {
            return position;
          }
        };
      }
    };
    AssertionError e = assertThrows(AssertionError.class,
        kit::changeFeed_recordsSharingOneModificationTime_acrossPageBoundaries_haveNoGapAndNoOverlap);
    assertTrue(e.getMessage().contains("each record sharing one modification time seen exactly once"), e.getMessage());
  }

  @Test
  void aCapabilityDeclaredButNotImplemented_failsTheCapabilityCheck() {
    ConnectorContract kit = () -> new Connector() {
      @Override
      public ConnectorDescription description() {
        return ConnectorDescription.builder("broken", "records").method(IntegrationMethod.API)
            .capabilities(Capability.READ_CHANGES).build();
      }

      @Override
      public void close() {
      }
    };
    assertThrows(AssertionError.class, kit::declaredCapabilities_areTheImplementedOnes);
  }

  @Test
  void aToStringShowingThePassword_failsTheSecretsCheck() {
    ConnectorContract kit = new ConnectorContract() {
      @Override
      public Connector newConnector() {
        return new Delegating() {
          @Override
          public String toString() {
            return "Broken[password=hunter2]";
          }
        };
      }

      @Override
      public List<String> secretValues() {
        return List.of("hunter2");
      }
    };
    assertThrows(AssertionError.class, kit::secrets_neverAppearInToStringOrDescription);
  }

  /** A queue-like connector that, once its target is gone, answers every write as accepted and keeps nothing. */
  private static final class BlackHole extends Delegating implements dev.patchbay.core.Lookup<Fields> {
    volatile boolean gone;

    @Override
    public ConnectorDescription description() {
      return ConnectorDescription.builder("broken", "records").method(IntegrationMethod.MESSAGE)
          .capabilities(Capability.UPSERT, Capability.READ_BY_KEYS).build();
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      return gone ? batch.stream().<Outcome>map(c -> new Outcome.Updated(c.key())).toList() : store.write(batch);
    }

    @Override
    public java.util.Map<String, Envelope<Fields>> lookup(java.util.Collection<String> keys) {
      return store.lookup(keys);
    }
  }

  @Test
  void aWriteAnsweredAsAcceptedAfterTheTargetWentAway_failsTheAcceptedMeansHeldCheck() {
    ConnectorContract kit = new ConnectorContract() {
      @Override
      public Connector newConnector() {
        return new BlackHole();
      }

      @Override
      public boolean removeTarget(Connector connector) {
        ((BlackHole) connector).gone = true;
        return true;
      }
    };
    AssertionError e = assertThrows(AssertionError.class, kit::aTargetThatDisappeared_neverAnswersAWriteAsAcceptedThatItDoesNotHold);
    assertTrue(e.getMessage().contains("every record answered as accepted is held"), e.getMessage());
  }
}
