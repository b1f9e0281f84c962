package dev.patchbay.connectors.jdbc;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.testkit.ConnectorContract;
import javax.sql.DataSource;
import org.junit.jupiter.api.Nested;

/** The JDBC connector keeps the contract on H2, PostgreSQL and MariaDB. */
class JdbcTableContractTest {

  /** A table with a modification column and a soft-delete flag: every capability. */
  static Connector contacts(Databases db, int pageSize) {
    DataSource ds = db.dataSource();
    String table = db.createContactsTable(ds);
    return JdbcTable.builder(ds)
        .describedAs("crm", "contacts")
        .owner("Customer Services")
        .table(table)
        .key("id")
        .column("name")
        .column("email")
        .column("amount")
        .modifiedAt("updated_at")
        .softDelete("deleted")
        .pageSize(pageSize)
        .sensitive("email")
        .buildWithChanges();
  }

  @Nested
  class OnH2 implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contacts(Databases.H2, pageSize());
    }
  }

  @Nested
  class OnH2WithoutChangesOrSoftDeletes implements ConnectorContract {
    @Override
    public Connector newConnector() {
      DataSource ds = Databases.H2.dataSource();
      String table = Databases.H2.createPlainTable(ds);
      return JdbcTable.builder(ds).describedAs("crm", "contacts").table(table).key("id")
          .column("name").column("email").column("amount").pageSize(pageSize()).build();
    }
  }

  @Nested
  class OnPostgreSql implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contacts(Databases.POSTGRESQL, pageSize());
    }
  }

  @Nested
  class OnMariaDb implements ConnectorContract {
    @Override
    public Connector newConnector() {
      return contacts(Databases.MARIADB, pageSize());
    }
  }
}
