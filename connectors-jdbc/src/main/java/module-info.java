/** The JDBC connector (H2, PostgreSQL, MariaDB); the drivers are the host's. */
module dev.patchbay.connectors.jdbc {
  requires transitive dev.patchbay.connectors;
  requires transitive java.sql;
  requires org.slf4j;
  requires static com.zaxxer.hikari;

  exports dev.patchbay.connectors.jdbc;

  provides dev.patchbay.connectors.ConnectorType with dev.patchbay.connectors.jdbc.JdbcTableType;
}
