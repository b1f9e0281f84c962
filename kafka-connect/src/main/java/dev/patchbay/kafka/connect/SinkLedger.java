package dev.patchbay.kafka.connect;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.state.Entry;
import dev.patchbay.core.state.EntryCodec;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.Progress;
import dev.patchbay.patterns.internal.BatchStep;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * What a sink keeps of each key it wrote (its highest version, whether it holds the record), in a
 * JDBC state store, one named state per topic partition, held by the task that has the partition:
 * so that a record delivered again after a rebalance or a killed worker is skipped where a newer
 * version of its key was written already, by this task or the one before it. Each save also keeps
 * the partition's next offset.
 */
final class SinkLedger implements AutoCloseable {

  static final EntryCodec<BatchStep.Held> HELD = BatchStep.Held.codec("connect");

  private final com.zaxxer.hikari.HikariDataSource pool;
  private final JdbcStateStore store;
  private final String name;
  private final Map<TopicPartition, NamedState> held = new HashMap<>();
  private final Map<TopicPartition, Progress> saved = new HashMap<>();

  private SinkLedger(com.zaxxer.hikari.HikariDataSource pool, JdbcStateStore store, String name) {
    this.pool = pool;
    this.store = store;
    this.name = name;
  }

  /** The ledger {@code props} configure, or null where they name no state store. */
  static SinkLedger open(Map<String, String> props, String name) {
    String url = props.getOrDefault(PatchbaySinkConnector.STATE_URL, "");
    if (url.isBlank()) {
      return null;
    }
    com.zaxxer.hikari.HikariConfig c = new com.zaxxer.hikari.HikariConfig();
    c.setJdbcUrl(url);
    String user = props.getOrDefault(PatchbaySinkConnector.STATE_USER, "");
    if (!user.isBlank()) {
      c.setUsername(user);
      c.setPassword(props.getOrDefault(PatchbaySinkConnector.STATE_PASSWORD, ""));
    }
    c.setMaximumPoolSize(4);
    c.setMinimumIdle(0);
    c.setPoolName("patchbay-ledger-" + name);
    com.zaxxer.hikari.HikariDataSource pool = new com.zaxxer.hikari.HikariDataSource(c);
    try {
      return new SinkLedger(pool, JdbcStateStore.of(pool, props.getOrDefault(PatchbaySinkConnector.STATE_PREFIX, "patchbay_connect")), name);
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  /** Takes the named states of the partitions assigned to this task (each held while it has it). */
  void assigned(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      if (!held.containsKey(tp)) {
        NamedState state = take(name + ":" + tp.topic() + "-" + tp.partition());
        held.put(tp, state);
        saved.put(tp, state.progress(w -> { }).orElse(Progress.start(Instant.now())));
      }
    }
  }

  /**
   * The state of one partition, waited for while another task still holds it: one on a worker that
   * died lets go with its connection, and the store waits out its grace before another takes it.
   */
  private NamedState take(String state) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        return store.open(state);
      } catch (dev.patchbay.core.SetupException heldElsewhere) {
        if (System.nanoTime() > deadline) {
          throw heldElsewhere;
        }
        try {
          Thread.sleep(500);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw heldElsewhere;
        }
      }
    }
  }

  /** Lets go of the partitions taken from this task. */
  void revoked(Collection<TopicPartition> partitions) {
    for (TopicPartition tp : partitions) {
      NamedState state = held.remove(tp);
      saved.remove(tp);
      if (state != null) {
        state.close();
      }
    }
  }

  /** What is kept of {@code keys}, each looked up in the state of its partition. */
  Map<String, BatchStep.Held> held(Collection<String> keys, Map<String, TopicPartition> partitionOf) {
    Map<TopicPartition, List<String>> byPartition = new HashMap<>();
    keys.forEach(k -> byPartition.computeIfAbsent(partitionOf.get(k), tp -> new ArrayList<>()).add(k));
    Map<String, BatchStep.Held> out = new HashMap<>();
    byPartition.forEach((tp, ks) -> state(tp).entries(HELD.space(), ks).forEach((k, e) -> out.put(k, HELD.decode(e))));
    return out;
  }

  /** Checks that this task still holds every partition's state, before it writes. */
  void check() {
    held.values().forEach(NamedState::check);
  }

  /**
   * Saves, before a batch is written, each key it changes at the version the batch will leave it
   * (a delete kept as still written, so that it is made again), the partitions' offsets unmoved. A
   * worker killed between the write and {@link #save} otherwise leaves the destination ahead of the
   * ledger: the records delivered again would be written again, an older version over a newer one.
   * With this, the records delivered again that are older than the batch's are skipped as delivered,
   * and those of the batch's version are written again (once more, never backwards).
   */
  void saveAhead(Map<String, BatchStep.Held> before, Map<String, BatchStep.Held> after, Map<String, TopicPartition> partitionOf) {
    List<Entry> entries = new ArrayList<>(after.size());
    after.forEach((key, a) -> {
      BatchStep.Held b = before.getOrDefault(key, BatchStep.Held.NONE);
      entries.add(HELD.encode(key, new BatchStep.Held(a.version(), a.written() || b.written(), a.to() != null ? a.to() : b.to(),
          a.deleted())));
    });
    byPartition(entries, partitionOf).forEach((tp, of) -> save(tp, of, saved.get(tp).position("kafka")));
  }

  /** Saves, per partition, the entries of its keys and the offset after the batch's last record of it. */
  void save(List<Entry> entries, Map<String, TopicPartition> partitionOf, Map<TopicPartition, Long> nextOffsets) {
    Map<TopicPartition, List<Entry>> byPartition = byPartition(entries, partitionOf);
    nextOffsets.forEach((tp, offset) -> save(tp, byPartition.getOrDefault(tp, List.of()), Checkpoint.at(Long.toString(offset))));
  }

  private static Map<TopicPartition, List<Entry>> byPartition(List<Entry> entries, Map<String, TopicPartition> partitionOf) {
    Map<TopicPartition, List<Entry>> byPartition = new HashMap<>();
    entries.forEach(e -> byPartition.computeIfAbsent(partitionOf.get(e.key()), tp -> new ArrayList<>()).add(e));
    return byPartition;
  }

  /** One partition's save: its entries, and the offset it resumes at. */
  private void save(TopicPartition tp, List<Entry> entries, Checkpoint offset) {
    Progress next = Progress.after(saved.get(tp), Instant.now()).at("kafka", offset);
    state(tp).save(next, entries);
    saved.put(tp, next);
  }

  private NamedState state(TopicPartition tp) {
    NamedState s = held.get(tp);
    if (s == null) {
      throw new IllegalStateException("Sink '" + name + "': partition " + tp + " is not assigned to this task");
    }
    return s;
  }

  @Override
  public void close() {
    revoked(List.copyOf(held.keySet()));
    pool.close();
  }
}
