package dev.patchbay.kafka.connect;

import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.Config;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.connect.connector.Task;
import org.apache.kafka.connect.source.ExactlyOnceSupport;
import org.apache.kafka.connect.source.SourceConnector;

/**
 * Any Patchbay {@link dev.patchbay.core.Source} or {@link dev.patchbay.core.ChangeFeed} as a Connect
 * source: one task reads the system (a read is one sequence and is not split), each record's
 * checkpoint its source offset, so a task that restarts goes on after the last record Connect
 * committed. {@code patchbay.read=changes} follows a change feed for ever (a broadcast's source);
 * {@code patchbay.read=all} reads the whole source once and then reports the read on
 * {@code patchbay.report.topic} (a migration's source). Records are keyed by the record's key, so
 * Kafka's partitioner keeps each key's changes in one partition, in order.
 *
 * <p>Exactly-once delivery (KIP-618) is {@linkplain ExactlyOnceSupport#SUPPORTED supported} on workers
 * with {@code exactly.once.source.support=enabled}: every Patchbay cursor's checkpoint names the
 * position just after its record exactly (the connector kit holds each connector to it), and each
 * record carries that checkpoint as its offset, so the records of a poll and the offset after them
 * commit in one transaction, and a task that takes over resumes after the last committed one.
 */
public final class PatchbaySourceConnector extends SourceConnector {

  static final String TOPIC = "patchbay.topic";
  static final String READ = "patchbay.read";
  static final String BATCH = "patchbay.batch.size";
  static final String POLL = "patchbay.poll.interval.ms";
  static final String REPORT = "patchbay.report.topic";
  static final ConfigDef OWN = new ConfigDef()
      .define(TOPIC, ConfigDef.Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new ConfigDef.NonEmptyString(), ConfigDef.Importance.HIGH,
          "The topic the records go to.")
      .define(READ, ConfigDef.Type.STRING, "changes", ConfigDef.CaseInsensitiveValidString.in("changes", "all"), ConfigDef.Importance.HIGH,
          "changes: follow the system's change feed; all: read every record once, then report (a migration).")
      .define(BATCH, ConfigDef.Type.INT, 500, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW, "Records handed to Connect per poll.")
      .define(POLL, ConfigDef.Type.LONG, 1000L, ConfigDef.Range.atLeast(1), ConfigDef.Importance.LOW,
          "How long a poll waits when the change feed has nothing new.")
      .define(REPORT, ConfigDef.Type.STRING, "", ConfigDef.Importance.MEDIUM,
          "Where patchbay.read=all reports its end: how many records were read and the last offset of each partition written.");

  private final ConnectConfig config = new ConnectConfig();
  private Map<String, String> props;

  @Override
  public void start(Map<String, String> props) {
    this.props = Map.copyOf(props);
  }

  @Override
  public Class<? extends Task> taskClass() {
    return PatchbaySourceTask.class;
  }

  /** One task: a read is one ordered sequence of checkpoints. */
  @Override
  public List<Map<String, String>> taskConfigs(int maxTasks) {
    return List.of(props);
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

  /** Supported, whichever read: every cursor's checkpoint names one position exactly. */
  @Override
  public ExactlyOnceSupport exactlyOnceSupport(Map<String, String> connectorConfig) {
    return ExactlyOnceSupport.SUPPORTED;
  }

  @Override
  public String version() {
    return Version.OF_PLUGIN;
  }
}
