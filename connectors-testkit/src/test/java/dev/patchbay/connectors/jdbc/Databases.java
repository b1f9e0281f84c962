package dev.patchbay.connectors.jdbc;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.mariadb.jdbc.MariaDbDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The databases tests run against: H2 in memory always; PostgreSQL and MariaDB on 127.0.0.1 where
 * they run. A test that needs an absent server is skipped, unless {@code CI=true}: then it fails.
 */
public enum Databases {
  H2, POSTGRESQL, MARIADB;

  /** A data source, checked to connect. */
  public DataSource dataSource() {
    DataSource ds = switch (this) {
      case H2 -> {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:patchbay;DB_CLOSE_DELAY=-1");
        yield h2;
      }
      case POSTGRESQL -> {
        PGSimpleDataSource pg = new PGSimpleDataSource();
        pg.setServerNames(new String[] {"127.0.0.1"});
        pg.setPortNumbers(new int[] {5432});
        pg.setDatabaseName("test");
        pg.setUser("postgres");
        pg.setConnectTimeout(5);
        yield pg;
      }
      case MARIADB -> {
        try {
          MariaDbDataSource m = new MariaDbDataSource("jdbc:mariadb://127.0.0.1:3306/test?user=root&connectTimeout=5000");
          yield m;
        } catch (SQLException e) {
          throw new IllegalStateException(e);
        }
      }
    };
    try (Connection c = ds.getConnection()) {
      return ds;
    } catch (SQLException e) {
      boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
      if (ci) {
        throw new AssertionError(this + " is unreachable and CI=true, so its tests must run: " + e.getMessage(), e);
      }
      assumeTrue(false, this + " is not running here (" + e.getMessage() + "); skipped");
      throw new IllegalStateException("unreachable");
    }
  }

  /** A new, empty contacts table with a key, three fields, a modification time and a soft-delete flag. */
  public String createContactsTable(DataSource ds) {
    String table = "contacts_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    String timestamp = this == MARIADB ? "DATETIME(3)" : "TIMESTAMP(3)";
    execute(ds, "CREATE TABLE " + table + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), email VARCHAR(200),"
        + " amount BIGINT, updated_at " + timestamp + " NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL)");
    execute(ds, "CREATE INDEX " + table + "_changes ON " + table + " (updated_at, id)");
    return table;
  }

  /** A new, empty table with only a key and the three fields: no modification time, no soft delete. */
  public String createPlainTable(DataSource ds) {
    String table = "plain_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(ds, "CREATE TABLE " + table + " (id VARCHAR(64) PRIMARY KEY, name VARCHAR(200), email VARCHAR(200), amount BIGINT)");
    return table;
  }

  public static void execute(DataSource ds, String sql) {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(sql + ": " + e.getMessage(), e);
    }
  }
}
