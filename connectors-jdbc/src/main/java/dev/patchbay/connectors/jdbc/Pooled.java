package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Secret;
import javax.sql.DataSource;

/**
 * The connections of a table the connector type {@code jdbc} opens: a HikariCP pool where HikariCP
 * is on the class path (an optional dependency: the Kafka Connect plugin carries it), else a
 * {@link SimpleDataSource} that connects on every call.
 */
final class Pooled {

  private Pooled() {
  }

  /** The data source, and what closes it (null where nothing does). */
  record Opened(DataSource dataSource, AutoCloseable closer) {
  }

  static Opened open(String url, String user, Secret password, int size, String name) {
    try {
      Class.forName("com.zaxxer.hikari.HikariDataSource", false, Pooled.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError absent) {
      return new Opened(SimpleDataSource.of(url, user, password), null);
    }
    return Hikari.open(url, user, password, size, name);
  }

  /** Loaded only where HikariCP is present. */
  private static final class Hikari {
    static Opened open(String url, String user, Secret password, int size, String name) {
      com.zaxxer.hikari.HikariConfig c = new com.zaxxer.hikari.HikariConfig();
      c.setDataSource(SimpleDataSource.of(url, user, password));   // the driver as the type finds it, the password a secret to the last
      c.setMaximumPoolSize(size);
      c.setMinimumIdle(0);
      c.setPoolName("patchbay-" + name);
      com.zaxxer.hikari.HikariDataSource ds = new com.zaxxer.hikari.HikariDataSource(c);
      return new Opened(ds, ds);
    }
  }
}
