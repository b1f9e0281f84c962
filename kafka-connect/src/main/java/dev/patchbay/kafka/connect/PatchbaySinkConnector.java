package dev.patchbay.kafka.connect;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.sink.SinkConnector;

/**
 * Any Patchbay {@link dev.patchbay.core.Destination} as a Connect sink: each task writes the
 * records of its partitions through the engine's batch step (scope, transform, one outcome per
 * record), a record that fails goes to Connect's errant record reporter (the dead-letter queue), and
 * an offset is committed only once the destination has accepted the record. Settings: see
 * {@link PatchbaySinkTask}; the system's under {@code patchbay.type} and {@code patchbay.<type>.}.
 *
 * <pre>{@code
 * connector.class=dev.patchbay.kafka.connect.PatchbaySinkConnector
 * topics=contacts
 * patchbay.type=jdbc
 * patchbay.jdbc.url=jdbc:postgresql://db/crm
 * patchbay.jdbc.password=${file:/etc/secrets/crm.properties:password}
 * patchbay.jdbc.table=contacts
 * ...
 * errors.tolerance=all
 * errors.deadletterqueue.topic.name=contacts.dlq
 * }</pre>
 */
public final class PatchbaySinkConnector extends SinkConnector {

  static final String DELETES = "patchbay.deletes";
  static final String STATE_URL = "patchbay.state.url";
  static final String STATE_USER = "patchbay.state.user";
  static final String STATE_PASSWORD = "patchbay.state.password";
  static final String STATE_PREFIX = "patchbay.state.prefix";
  static final ConfigDef OWN = new ConfigDef()
      .define(DELETES, ConfigDef.Type.STRING, "propagate", ConfigDef.CaseInsensitiveValidString.in("propagate", "ignore"),
          ConfigDef.Importance.MEDIUM, "What a tombstone (a null value) does: propagate deletes the record, ignore leaves it.")
      .define(STATE_URL, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
          "A JDBC URL where the sink keeps each key's version, so that a record delivered again is never written over a newer one;"
              + " empty: no state, at least once with replays")
      .define(STATE_USER, ConfigDef.Type.STRING, "", ConfigDef.Importance.LOW, "The state database's user.")
      .define(STATE_PASSWORD, ConfigDef.Type.PASSWORD, "", ConfigDef.Importance.LOW, "The state database's password.")
      .define(STATE_PREFIX, ConfigDef.Type.STRING, "patchbay_connect", ConfigDef.Importance.LOW, "The state tables' prefix.");

  private final ConnectConfig config = new ConnectConfig();
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PatchbaySinkTask.class;
  }

  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    List<Map<String, String>> configs = new ArrayList<>();
    for (int i = 0; i < maxTasks; i++) {
      configs.add(props);
    }
    return configs;
  }

  @Override
  public void stop() {
  }

  @Override
  public ConfigDef config() {
    return config.definition(OWN);
  }

  @Override
  public Config validate(Map<String, String> connectorConfigs) {
    return config.validate(config(), connectorConfigs);
  }

  @Override
  public String version() {
    return Version.OF_PLUGIN;
  }
}
