package dev.patchbay.connectors.jdbc;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * PostgreSQL's {@code COPY … FROM STDIN}, through the driver's {@code CopyManager}. The driver's
 * classes are found by reflection, so the connector compiles against {@code java.sql} alone and
 * falls back to plain statements where the driver (or a pool's wrapper) does not offer them.
 */
final class PgCopy {
  private final Object copyManager;
  private final Method copyIn;

  private PgCopy(Object copyManager, Method copyIn) {
    this.copyManager = copyManager;
    this.copyIn = copyIn;
  }

  /** The COPY API of {@code connection}'s PostgreSQL driver, if it can be reached. */
  static Optional<PgCopy> of(Connection connection) {
    Set<ClassLoader> loaders = new LinkedHashSet<>();
    loaders.add(connection.getClass().getClassLoader());
    loaders.add(Thread.currentThread().getContextClassLoader());
    loaders.add(PgCopy.class.getClassLoader());
    for (ClassLoader loader : loaders) {
      if (loader == null) {
        continue;
      }
      try {
        Class<?> pgConnection = Class.forName("org.postgresql.PGConnection", false, loader);
        if (!connection.isWrapperFor(pgConnection)) {
          continue;
        }
        Object copyManager = pgConnection.getMethod("getCopyAPI").invoke(connection.unwrap(pgConnection));
        Class<?> copyManagerType = Class.forName("org.postgresql.copy.CopyManager", false, loader);
        return Optional.of(new PgCopy(copyManager, copyManagerType.getMethod("copyIn", String.class, InputStream.class)));
      } catch (ReflectiveOperationException | SQLException | LinkageError e) {
        // not this loader's driver: try the next
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code sql} (a {@code COPY … FROM STDIN}) with {@code rows} as its input, sent as UTF-8
   * bytes (the driver's {@code Reader} path encodes each 65,536-character buffer apart, and so
   * breaks a character outside the BMP that falls across a buffer's end); the rows copied.
   */
  long copyIn(String sql, String rows) throws SQLException {
    try {
      return (Long) copyIn.invoke(copyManager, sql, new ByteArrayInputStream(rows.getBytes(StandardCharsets.UTF_8)));
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof SQLException s) {
        throw s;
      }
      throw new SQLException("COPY failed: " + e.getCause(), "58000", e.getCause());
    } catch (IllegalAccessException e) {
      throw new SQLException("COPY is not accessible: " + e, "58000", e);
    }
  }

  /** Appends {@code value} in COPY's text format: {@code \N} for null, backslash escapes for the rest. */
  static void appendText(StringBuilder out, String value) {
    if (value == null) {
      out.append("\\N");
      return;
    }
    if (value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0 && value.indexOf('\t') < 0) {
      out.append(value);   // the usual case, and far faster than a character at a time
      return;
    }
    for (int i = 0; i < value.length(); i++) {
      char ch = value.charAt(i);
      switch (ch) {
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        default -> out.append(ch);
      }
    }
  }
}
