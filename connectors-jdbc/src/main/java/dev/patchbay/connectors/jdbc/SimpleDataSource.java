package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Secret;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * A {@link DataSource} that opens a new connection through {@link DriverManager} on every call: for
 * tests, tools and small jobs. A service should hand the connector its connection pool instead.
 * {@link #toString()} shows the URL without user or password.
 */
public final class SimpleDataSource implements DataSource {

  private final String url;
  private final String user;
  private final Secret password;

  private SimpleDataSource(String url, String user, Secret password) {
    this.url = Objects.requireNonNull(url, "url");
    this.user = user;
    this.password = password;
  }

  /** Connections to {@code url} as {@code user} (null for none) with {@code password} (null for none). */
  public static SimpleDataSource of(String url, String user, Secret password) {
    return new SimpleDataSource(url, user, password);
  }

  @Override
  public Connection getConnection() throws SQLException {
    Properties p = new Properties();
    if (user != null) {
      p.setProperty("user", user);
    }
    if (password != null) {
      p.setProperty("password", password.reveal());
    }
    return DriverManager.getConnection(url, p);
  }

  @Override
  public Connection getConnection(String username, String pass) throws SQLException {
    return DriverManager.getConnection(url, username, pass);
  }

  @Override
  public PrintWriter getLogWriter() {
    return DriverManager.getLogWriter();
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    DriverManager.setLogWriter(out);
  }

  @Override
  public void setLoginTimeout(int seconds) {
    DriverManager.setLoginTimeout(seconds);
  }

  @Override
  public int getLoginTimeout() {
    return DriverManager.getLoginTimeout();
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException("no parent logger");
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }

  /** The URL up to its parameters (which may hold credentials). */
  @Override
  public String toString() {
    int q = url.indexOf('?');
    int semi = url.indexOf(';');
    int cut = q < 0 ? semi : (semi < 0 ? q : Math.min(q, semi));
    return "SimpleDataSource[" + (cut < 0 ? url : url.substring(0, cut)) + "]";
  }

}
