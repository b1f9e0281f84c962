package dev.patchbay.kafka.connect;

import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.connectors.ConnectorType;
import dev.patchbay.connectors.Setting;
import dev.patchbay.connectors.Settings;
import dev.patchbay.core.Change;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * A destination for tests across JVMs: every change it is given is appended, in order, to a
 * PostgreSQL table (sink, key, amount, deleted) in one transaction per batch, so that a test sees
 * each delivery, duplicates included, in the order the sink wrote them.
 */
public final class JournalType implements ConnectorType {

  @Override
  public String name() {
    return "journal";
  }

  @Override
  public List<Setting> settings() {
    return List.of(Setting.required("url", Setting.Kind.TEXT, "the database"), Setting.required("table", Setting.Kind.TEXT, "the log"),
        Setting.required("sink", Setting.Kind.TEXT, "the sink's name in the log"));
  }

  @Override
  public Connector open(Settings s) {
    return new Journal(s.text("url").orElseThrow(), s.text("table").orElseThrow(), s.text("sink").orElseThrow());
  }

  static String create(java.sql.Statement st, String table) throws SQLException {
    st.execute("CREATE TABLE " + table + " (seq BIGSERIAL PRIMARY KEY, sink TEXT NOT NULL, id TEXT NOT NULL, amount BIGINT, deleted BOOLEAN)");
    return table;
  }

  private record Journal(String url, String table, String sink) implements Connector, Destination<Fields> {
    @Override
    public ConnectorDescription description() {
      return ConnectorDescription.builder("journal", sink).method(IntegrationMethod.API).capabilities(Capability.UPSERT, Capability.DELETE).build();
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      List<Outcome> out = new ArrayList<>();
      try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
        c.setAutoCommit(false);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + table + " (sink, id, amount, deleted) VALUES (?, ?, ?, ?)")) {
          for (Change<Fields> ch : batch) {
            ps.setString(1, sink);
            ps.setString(2, ch.key());
            Object amount = ch instanceof Change.Upsert<Fields> u ? u.record().payload().get("amount") : null;
            ps.setObject(3, amount == null ? null : ((Number) amount).longValue(), java.sql.Types.BIGINT);
            ps.setBoolean(4, ch instanceof Change.Delete<Fields>);
            ps.addBatch();
            out.add(ch instanceof Change.Delete<Fields> ? Outcome.deleted(ch.key()) : Outcome.updated(ch.key()));
          }
          ps.executeBatch();
        }
        c.commit();
      } catch (SQLException e) {
        throw new TransientException("journal: " + e.getSQLState(), e);
      }
      return out;
    }

    @Override
    public void close() {
    }
  }
}
