package dev.patchbay.connectors.testkit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Databases for tests: H2 in memory, and PostgreSQL ({@code 127.0.0.1:5432}, database {@code test},
 * user {@code postgres}) and MariaDB ({@code 127.0.0.1:3306}, database {@code test}, user
 * {@code root}) where they run. A test that asks for an absent server is skipped, unless the
 * environment says {@code CI=true}: then it fails, so that CI never passes by skipping. The JDBC
 * driver must be on the test class path.
 */
public enum TestDatabases {
  H2("jdbc:h2:mem:patchbay;DB_CLOSE_DELAY=-1", null),
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test?connectTimeout=5", "postgres"),
  MARIADB("jdbc:mariadb://127.0.0.1:3306/test?connectTimeout=5000", "root");

  private final String url;
  private final String user;

  TestDatabases(String url, String user) {
    this.url = url;
    this.user = user;
  }

  public String url() {
    return url;
  }

  public String user() {
    return user;
  }

  /**
   * A data source that connects, or a skipped test (a failed one under {@code CI=true}). Where the
   * environment variable {@code PATCHBAY_DATABASES} lists databases ({@code H2,POSTGRESQL}), the
   * others' tests are skipped, under {@code CI=true} too: for runs that repeat the tests many times
   * over, such as mutation testing.
   */
  public DataSource dataSource() {
    String chosen = System.getenv("PATCHBAY_DATABASES");
    if (chosen != null && !chosen.isBlank()
        && java.util.Arrays.stream(chosen.split(",")).map(String::trim).noneMatch(name()::equalsIgnoreCase)) {
      assumeTrue(false, this + " is not among PATCHBAY_DATABASES=" + chosen + "; skipped");
    }
    DataSource ds = new DriverManagerSource(url, user);
    try (Connection c = ds.getConnection()) {
      return ds;
    } catch (SQLException e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError(this + " is unreachable and CI=true, so its tests must run: " + e.getMessage(), e);
      }
      assumeTrue(false, this + " is not running here (" + e.getMessage() + "); skipped");
      throw new IllegalStateException("unreachable");
    }
  }

  /**
   * A new, empty table for the kit's records: key {@code id}, fields {@code name}, {@code email},
   * {@code amount}, modification time {@code updated_at} (at the database's own precision,
   * microseconds, as real tables have it) and soft-delete flag {@code deleted}.
   */
  public String createContactsTable(DataSource ds) {
    String table = "contacts_" + suffix();
    String timestamp = this == MARIADB ? "DATETIME(6)" : "TIMESTAMP";   // each database's finest: microseconds
    execute(ds, "CREATE TABLE " + table + " (id VARCHAR(255) PRIMARY KEY, name VARCHAR(200), email VARCHAR(200),"
        + " amount BIGINT, updated_at " + timestamp + " NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL)");
    execute(ds, "CREATE INDEX " + table + "_changes ON " + table + " (updated_at, id)");
    return table;
  }

  /** A new, empty table with only the key and the three fields. */
  public String createPlainTable(DataSource ds) {
    String table = "plain_" + suffix();
    execute(ds, "CREATE TABLE " + table + " (id VARCHAR(255) PRIMARY KEY, name VARCHAR(200), email VARCHAR(200), amount BIGINT)");
    return table;
  }

  /**
   * A new, empty table with a column of each type the JDBC connector maps: text {@code t}, whole
   * numbers {@code n} (BIGINT) and {@code i} (INTEGER), {@code d} DECIMAL(18,4), {@code b} BOOLEAN,
   * {@code on_day} DATE, {@code at_time} TIMESTAMP at microseconds, and (not on MariaDB, which has
   * no such type) {@code inst} TIMESTAMP WITH TIME ZONE.
   */
  public String createTypedTable(DataSource ds) {
    String table = "typed_" + suffix();
    String text = switch (this) {   // past 65,536 characters of four bytes each: the kit's long text
      case MARIADB -> "MEDIUMTEXT";
      case POSTGRESQL -> "TEXT";
      case H2 -> "VARCHAR(1000000)";
    };
    String stamp = this == MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
    String instant = this == POSTGRESQL ? ", inst TIMESTAMPTZ" : this == H2 ? ", inst TIMESTAMP(6) WITH TIME ZONE" : "";
    execute(ds, "CREATE TABLE " + table + " (id VARCHAR(255) PRIMARY KEY, t " + text + ", n BIGINT, i INTEGER,"
        + " d DECIMAL(18,4), b BOOLEAN, on_day DATE, at_time " + stamp + instant + ")");
    return table;
  }

  /** Whether {@link #createTypedTable} has a zone-aware column. */
  public boolean hasZonedType() {
    return this != MARIADB;
  }

  /** A new key snapshot table (see {@code JdbcTable.Builder.keySnapshot}) for text keys. */
  public String createKeySnapshotTable(DataSource ds) {
    String table = "seen_" + suffix();
    execute(ds, "CREATE TABLE " + table + " (record_key VARCHAR(255) PRIMARY KEY, gone BOOLEAN DEFAULT FALSE NOT NULL)");
    return table;
  }

  /** Runs one statement. */
  /**
   * Ends one session of this database by its id (PostgreSQL's backend pid, MariaDB's connection
   * id), as a network cut or a server restart would end it: a test ends only a session it owns,
   * found by what it holds, never by a query that could reach other sessions. Whether it ended one.
   */
  public boolean endSession(long id) {
    String sql = switch (this) {
      case POSTGRESQL -> "SELECT pg_terminate_backend(" + id + ")";
      case MARIADB -> "KILL CONNECTION " + id;
      case H2 -> throw new IllegalArgumentException("H2 is embedded: its sessions are not cut");
    };
    try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
      if (this == POSTGRESQL) {
        try (java.sql.ResultSet rs = s.executeQuery(sql)) {
          return rs.next() && rs.getBoolean(1);
        }
      }
      s.execute(sql);
      return true;
    } catch (SQLException e) {
      throw new IllegalStateException("could not end session " + id + " of " + this + ": " + e.getMessage(), e);
    }
  }

  public static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }

  private static String suffix() {
    return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
  }

  /** Connections through {@link DriverManager}, one a call; what a test needs of a data source and no more. */
  private record DriverManagerSource(String url, String user) implements DataSource {
    @Override
    public Connection getConnection() throws SQLException {
      return DriverManager.getConnection(url, user, null);
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
      return DriverManager.getConnection(url, username, password);
    }

    @Override
    public PrintWriter getLogWriter() {
      return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
      return 0;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
      throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
      throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
      return false;
    }
  }
}
