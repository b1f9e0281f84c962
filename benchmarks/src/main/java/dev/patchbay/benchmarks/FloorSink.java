package dev.patchbay.benchmarks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkConnector;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;

/**
 * The floor of ConnectBenchmark: the least a hand-written sink does to write a topic of
 * {@code (id; name, email, amount)} records into PostgreSQL: one batched upsert per {@code put}, over
 * a connection kept open, with the driver's rewritten batches. No outcomes, no checks, no dead-letter
 * queue: a record that fails fails the task.
 */
public final class FloorSink extends SinkConnector {

  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = props;
  }

  @Override
  public Class<? extends Task> taskClass() {
    return FloorTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> c = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      c.add(props);
    }
    return c;
  }

  @Override
  public void stop() {
  }

  @Override
  public ConfigDef config() {
    return new ConfigDef().define("url", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "JDBC URL")
        .define("table", ConfigDef.Type.STRING, ConfigDef.Importance.HIGH, "table");
  }

  @Override
  public String version() {
    return "floor";
  }

  /** One batched upsert per put. */
  public static final class FloorTask extends SinkTask {
    private Connection connection;
    private PreparedStatement upsert;

    @Override
    public String version() {
      return "floor";
    }

    @Override
    public void start(Map<String, String> props) {
      try {
        connection = DriverManager.getConnection(props.get("url") + "&reWriteBatchedInserts=true", "postgres", null);
        String t = props.get("table");
        upsert = connection.prepareStatement("INSERT INTO " + t + " (id, name, email, amount) VALUES (?, ?, ?, ?) ON CONFLICT (id)"
            + " DO UPDATE SET name = EXCLUDED.name, email = EXCLUDED.email, amount = EXCLUDED.amount");
      } catch (SQLException e) {
        throw new ConnectException(e);
      }
    }

    @Override
    public void put(Collection<SinkRecord> records) {
      try {
        for (SinkRecord r : records) {
          Struct v = (Struct) r.value();
          upsert.setString(1, (String) r.key());
          upsert.setString(2, v.getString("name"));
          upsert.setString(3, v.getString("email"));
          upsert.setObject(4, v.get("amount"));
          upsert.addBatch();
        }
        upsert.executeBatch();
      } catch (SQLException e) {
        throw new ConnectException(e);
      }
    }

    @Override
    public void stop() {
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (SQLException e) {
        // closing
      }
    }
  }
}
