package dev.patchbay.kafka.connect;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.runtime.rest.entities.ConfigInfos;
import org.apache.kafka.connect.util.clusters.EmbeddedConnectCluster;

/**
 * The one way our tests run Connect: Kafka's {@link EmbeddedConnectCluster} (brokers and workers in
 * this JVM), offsets flushed every half second, JSON with schemas as the converters, and the
 * helpers the tests share (a connector's settings, a sink's committed offsets, waiting).
 */
final class ConnectCluster implements AutoCloseable {

  private final EmbeddedConnectCluster connect;

  private ConnectCluster(EmbeddedConnectCluster connect) {
    this.connect = connect;
  }

  /** A started cluster of one broker and {@code workers} workers; {@code pluginPath} where not null. */
  static ConnectCluster start(String name, int workers, String pluginPath) {
    return start(name, workers, pluginPath, Map.of());
  }

  /** As {@link #start(String, int, String)}, with {@code more} worker settings. */
  static ConnectCluster start(String name, int workers, String pluginPath, Map<String, String> more) {
    Map<String, String> props = new HashMap<>();
    props.put("offset.flush.interval.ms", "500");
    props.put("key.converter", "org.apache.kafka.connect.json.JsonConverter");
    props.put("value.converter", "org.apache.kafka.connect.json.JsonConverter");
    if (pluginPath != null) {
      props.put("plugin.path", pluginPath);
    }
    props.putAll(more);
    EmbeddedConnectCluster c = new EmbeddedConnectCluster.Builder().name(name).numWorkers(workers).numBrokers(1)
        .workerProps(props).build();
    c.start();
    return new ConnectCluster(c);
  }

  EmbeddedConnectCluster connect() {
    return connect;
  }

  /** Settings every test's connector shares: its class and its converters' schemas. */
  static Map<String, String> connector(Class<?> type, String... settings) {
    Map<String, String> m = new HashMap<>();
    m.put("connector.class", type.getName());
    m.put("tasks.max", "1");
    for (int i = 0; i < settings.length; i += 2) {
      m.put(settings[i], settings[i + 1]);
    }
    return m;
  }

  void run(String name, Map<String, String> config, int tasks) throws InterruptedException {
    connect.configureConnector(name, config);
    connect.assertions().assertConnectorAndAtLeastNumTasksAreRunning(name, tasks, name + " did not start");
  }

  ConfigInfos validate(Class<?> type, Map<String, String> config) {
    return connect.validateConnectorConfig(type.getSimpleName(), config);
  }

  /** The offsets the sink connector {@code name} committed (its consumer group, connect-{@code name}). */
  Map<TopicPartition, Long> committed(String name) {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetAndMetadata> o = admin.listConsumerGroupOffsets("connect-" + name).partitionsToOffsetAndMetadata().get();
      return o.entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The end offset of each partition of {@code topic}. */
  Map<TopicPartition, Long> ends(String topic, int partitions) {
    try (Admin admin = connect.kafka().createAdminClient()) {
      Map<TopicPartition, OffsetSpec> ask = new HashMap<>();
      for (int p = 0; p < partitions; p++) {
        ask.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      return admin.listOffsets(ask).all().get().entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether sink {@code name} committed everything {@code ends} holds. */
  boolean caughtUp(String name, Map<TopicPartition, Long> ends) {
    Map<TopicPartition, Long> committed = committed(name);
    return ends.entrySet().stream().allMatch(e -> e.getValue() == 0 || committed.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  static void await(String what, Duration within, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not within " + within + ": " + what);
      }
      Thread.sleep(200);
    }
  }

  /**
   * A worker in a child JVM ({@code ConnectDistributed}, this JVM's class path), so that a test can
   * kill it (SIGKILL: no stop, no last commit): {@code settings} joined to the converters and
   * replication factors every test shares; its output goes to {@code dir/label.log}.
   */
  static Process childWorker(java.nio.file.Path dir, String label, Map<String, String> settings) throws java.io.IOException {
    Map<String, String> p = new HashMap<>(Map.of("key.converter", "org.apache.kafka.connect.json.JsonConverter",
        "value.converter", "org.apache.kafka.connect.json.JsonConverter", "offset.storage.replication.factor", "1",
        "config.storage.replication.factor", "1", "status.storage.replication.factor", "1", "offset.flush.interval.ms", "500",
        "session.timeout.ms", "6000", "heartbeat.interval.ms", "1000", "scheduled.rebalance.max.delay.ms", "1000"));
    p.putAll(settings);
    java.nio.file.Path props = dir.resolve(label + ".properties");
    java.nio.file.Files.writeString(props, p.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining("\n")));
    return new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m", "-cp",
        System.getProperty("java.class.path"), "org.apache.kafka.connect.cli.ConnectDistributed", props.toString())
        .redirectErrorStream(true).redirectOutput(dir.resolve(label + ".log").toFile()).start();
  }

  @Override
  public void close() {
    connect.stop();
  }
}
