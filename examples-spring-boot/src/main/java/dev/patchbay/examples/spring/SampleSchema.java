package dev.patchbay.examples.spring;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** The sample's tables, created where absent, each named with the service's prefix (one set per test run). */
public final class SampleSchema {

  private final DataSource dataSource;
  private final String prefix;

  private SampleSchema(DataSource dataSource, String prefix) {
    this.dataSource = dataSource;
    this.prefix = prefix;
  }

  static SampleSchema create(DataSource dataSource, String prefix) {
    if (!prefix.matches("[a-z][a-z0-9_]{0,30}")) {
      throw new IllegalArgumentException("sample.tables must be a plain lower-case identifier, was '" + prefix + "'");
    }
    SampleSchema schema = new SampleSchema(dataSource, prefix);
    schema.execute(
        "CREATE TABLE IF NOT EXISTS " + schema.table("legacy") + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(200),"
            + " email VARCHAR(200), region VARCHAR(20))",
        "CREATE TABLE IF NOT EXISTS " + schema.table("crm_accounts") + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(200),"
            + " email VARCHAR(200), region VARCHAR(20))",
        "CREATE TABLE IF NOT EXISTS " + schema.table("erp_orders") + " (id VARCHAR(40) PRIMARY KEY, account VARCHAR(200),"
            + " amount DECIMAL(12, 2))",
        "CREATE TABLE IF NOT EXISTS " + schema.table("invoices") + " (id VARCHAR(40) PRIMARY KEY, account VARCHAR(200),"
            + " amount DECIMAL(12, 2))",
        "CREATE TABLE IF NOT EXISTS " + schema.table("crm_contacts") + " (id VARCHAR(40) PRIMARY KEY, name VARCHAR(200),"
            + " city VARCHAR(100), updated_at TIMESTAMP(6) NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL)",
        "CREATE TABLE IF NOT EXISTS " + schema.table("applicants") + " (id VARCHAR(40) PRIMARY KEY, full_name VARCHAR(200),"
            + " town VARCHAR(100), updated_at TIMESTAMP(6) NOT NULL, deleted BOOLEAN DEFAULT FALSE NOT NULL)");
    return schema;
  }

  /** The data source the tables are in. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The sample's table called {@code name}, with the prefix. */
  public String table(String name) {
    return prefix + "_" + name;
  }

  private void execute(String... statements) {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      for (String sql : statements) {
        s.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("the sample's tables could not be created (SQLState " + e.getSQLState() + ")", e);
    }
  }
}
