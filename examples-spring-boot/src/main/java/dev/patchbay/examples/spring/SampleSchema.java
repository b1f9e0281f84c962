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
    return create(dataSource, prefix, false);
  }

  /** The tables; with {@code seed}, a thousand legacy contacts and three CRM contacts where the tables are empty. */
  static SampleSchema create(DataSource dataSource, String prefix, boolean seed) {
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
    if (seed) {
      schema.seed();
    }
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

  private void seed() {
    try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
      var rs = s.executeQuery("SELECT count(*) FROM " + table("legacy"));
      rs.next();
      if (rs.getLong(1) > 0) {
        return;
      }
      try (var insert = c.prepareStatement("INSERT INTO " + table("legacy") + " (id, name, email, region) VALUES (?, ?, ?, ?)")) {
        for (int i = 1; i <= 1_000; i++) {
          insert.setString(1, String.format("L%04d", i));
          insert.setString(2, "Contact " + i);
          insert.setString(3, i % 7 == 0 ? null : "c" + i + "@example.org");
          insert.setString(4, i % 2 == 0 ? "north" : "south");
          insert.addBatch();
        }
        insert.executeBatch();
      }
      s.execute("INSERT INTO " + table("crm_contacts") + " (id, name, city, updated_at) VALUES"
          + " ('c1', 'Ana Lima', 'Wellington', CURRENT_TIMESTAMP), ('c2', 'Bo Chen', 'Porirua', CURRENT_TIMESTAMP),"
          + " ('c3', 'Kiri Walker', 'Lower Hutt', CURRENT_TIMESTAMP)");
    } catch (SQLException e) {
      throw new IllegalStateException("the sample's rows could not be written (SQLState " + e.getSQLState() + ")", e);
    }
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
