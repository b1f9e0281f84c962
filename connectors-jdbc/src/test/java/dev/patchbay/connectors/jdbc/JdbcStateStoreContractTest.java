package dev.patchbay.connectors.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.connectors.testkit.StateStoreContract;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.Progress;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The JDBC state store keeps the state store contract on H2, PostgreSQL and MariaDB. */
class JdbcStateStoreContractTest {

  /** The tables every check shares; each check has names of its own. */
  static final String PREFIX = "kit_state";
  /** A short lease grace: these checks halt and cut holders often, and test the hold, not the grace (BroadcastHoldTest does). */
  static final java.time.Duration GRACE = java.time.Duration.ofMillis(100);

  /** Opens the store in a child JVM: the argument names the database. */
  public static final class Opener implements Function<String, StateStore> {
    @Override
    public StateStore apply(String database) {
      return JdbcStateStore.of(TestDatabases.valueOf(database).dataSource(), PREFIX, GRACE);
    }
  }

  @Nested
  class OnH2 implements StateStoreContract {
    @Override
    public StateStore store() {
      return JdbcStateStore.of(TestDatabases.H2.dataSource(), PREFIX, GRACE);
    }

    @Override
    public Optional<java.util.function.Supplier<StateStore>> newPlace() {
      javax.sql.DataSource ds = TestDatabases.H2.dataSource();
      String prefix = "kitnew" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
      return Optional.of(() -> JdbcStateStore.of(ds, prefix, GRACE));
    }
  }

  @Nested
  class OnPostgreSql implements StateStoreContract {
    @Override
    public StateStore store() {
      return JdbcStateStore.of(TestDatabases.POSTGRESQL.dataSource(), PREFIX, GRACE);
    }

    @Override
    public Optional<java.util.function.Supplier<StateStore>> newPlace() {
      javax.sql.DataSource ds = TestDatabases.POSTGRESQL.dataSource();
      String prefix = "kitnew" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
      return Optional.of(() -> JdbcStateStore.of(ds, prefix, GRACE));
    }

    @Override
    public Optional<Place> placeForAnotherProcess() {
      return Optional.of(new Place(Opener.class, "POSTGRESQL"));
    }

    @Override
    public boolean cutHold(String name) {
      return JdbcStateStore.of(TestDatabases.POSTGRESQL.dataSource(), PREFIX, GRACE).holderSession(name)
          .stream().anyMatch(TestDatabases.POSTGRESQL::endSession);
    }
  }

  @Nested
  class OnMariaDb implements StateStoreContract {
    @Override
    public StateStore store() {
      return JdbcStateStore.of(TestDatabases.MARIADB.dataSource(), PREFIX, GRACE);
    }

    @Override
    public Optional<java.util.function.Supplier<StateStore>> newPlace() {
      javax.sql.DataSource ds = TestDatabases.MARIADB.dataSource();
      String prefix = "kitnew" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
      return Optional.of(() -> JdbcStateStore.of(ds, prefix, GRACE));
    }

    @Override
    public Optional<Place> placeForAnotherProcess() {
      return Optional.of(new Place(Opener.class, "MARIADB"));
    }

    @Override
    public boolean cutHold(String name) {
      return JdbcStateStore.of(TestDatabases.MARIADB.dataSource(), PREFIX, GRACE).holderSession(name)
          .stream().anyMatch(TestDatabases.MARIADB::endSession);
    }
  }

  @Test
  void aKeyLongerThanTheColumn_isRefusedNamingIt_andNothingIsSaved() {
    try (NamedState state = JdbcStateStore.of(TestDatabases.H2.dataSource(), PREFIX, GRACE).open("long-keys")) {
      String key = "\u00e9".repeat(385);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> state.save(
          Progress.start(Instant.EPOCH), List.of(new Entry("links", key, null, null, Fields.empty()))));
      assertEquals("entry '" + key + "' of space 'links': '" + key + "' is 770 bytes of UTF-8, more than the 768 a JDBC"
          + " state store keeps; nothing was saved", e.getMessage());
      assertEquals(Optional.empty(), state.progress(w -> { }));
    }
  }

  @Test
  void aPrefixThatIsNotAnIdentifier_isASetupError() {
    SetupException e = assertThrows(SetupException.class, () -> JdbcStateStore.of(TestDatabases.H2.dataSource(), "x; DROP"));
    assertTrue(e.getMessage().startsWith("state store table prefix 'x; DROP' must be a plain identifier"), e.getMessage());
  }
}
