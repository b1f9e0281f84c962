/**
 * The JDBC connector: {@link dev.patchbay.connectors.jdbc.JdbcTable}, one table of a database the
 * host reaches through a {@link javax.sql.DataSource}; H2, PostgreSQL and MariaDB (or MySQL).
 * Uses {@code java.sql} only.
 */
package dev.patchbay.connectors.jdbc;
