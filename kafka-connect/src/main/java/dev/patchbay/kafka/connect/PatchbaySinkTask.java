package dev.patchbay.kafka.connect;

import dev.patchbay.connectors.Connector;
import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.report.Counts;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.ReasonDetail;
import dev.patchbay.patterns.internal.BatchStep;
import dev.patchbay.patterns.internal.RecordStep;
import dev.patchbay.patterns.internal.Tally;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.sink.ErrantRecordReporter;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * One task of {@link PatchbaySinkConnector}: each {@link #put} is one call into the engine's batch
 * step, written to the destination before it returns. A record with a value becomes an upsert of
 * its key, a tombstone a delete (or, with {@code patchbay.deletes=ignore}, a skip); its version is
 * the {@code patchbay.version} header where the record has one. Outcomes:
 *
 * <ul>
 *   <li>a record that fails (unreadable, at the scope, the transform or the destination) goes to
 *       Connect's errant record reporter with its key, stage, field and reason (never its values),
 *       so that {@code errors.deadletterqueue.topic.name} keeps it; without a reporter
 *       ({@code errors.tolerance=none}) it fails the task, naming the record;</li>
 *   <li>a {@link TransientException} of the destination is a {@link RetriableException}: Connect
 *       hands the same records again after {@code errors.retry} backoff;</li>
 *   <li>a {@link SetupException} fails the task with its message.</li>
 * </ul>
 *
 * <p>{@link #preCommit} answers only the offsets of records the destination accepted (or that were
 * reported), so a task killed between two commits delivers again what was not answered: at least
 * once. Where {@code patchbay.state.url} names a database, the sink keeps each key's version there
 * (one named state per partition, held by the task that has it): a record delivered again is
 * skipped where a newer version of its key was written, so no destination goes back to an older
 * version; and a delete reaches only what the sink wrote. Without it, a record delivered again is
 * written again, and a delete goes to the record's own key.
 */
public final class PatchbaySinkTask extends SinkTask {

  private static final Logger LOG = LoggerFactory.getLogger(PatchbaySinkTask.class);
  static final String VERSION_HEADER = "patchbay.version";

  private Connector connector;
  private Destination<Fields> destination;
  private BatchStep<Fields, Fields> step;
  private ErrantRecordReporter reporter;
  /** Each key's version and whether it is held, where the settings name a state store; else null. */
  private SinkLedger ledger;
  private String name;
  private final Map<TopicPartition, OffsetAndMetadata> answered = new HashMap<>();
  private final Tally tally = new Tally();
  private long read;
  private long failed;
  /** The records read when the counts were last logged. */
  private long logged;

  @Override
  public String version() {
    return Version.OF_PLUGIN;
  }

  @Override
  @SuppressWarnings("unchecked")
  public void start(Map<String, String> props) {
    name = props.getOrDefault("name", "patchbay-sink");
    MDC.put("pattern", name);
    try {
      ConnectConfig config = new ConnectConfig();
      connector = config.open(props);
      if (!(connector instanceof Destination<?> d)) {
        throw new SetupException("Sink '" + name + "': a " + props.get(ConnectConfig.TYPE) + " connector (" + connector.description().id()
            + ") is not a destination");
      }
      destination = (Destination<Fields>) d;
      DeletePolicy deletes = "ignore".equals(props.getOrDefault(PatchbaySinkConnector.DELETES, "propagate").toLowerCase(Locale.ROOT))
          ? DeletePolicy.IGNORE : DeletePolicy.PROPAGATE;
      ledger = SinkLedger.open(props, name);
      step = new BatchStep<>(new RecordStep<>(ConnectConfig.scope(props), ConnectConfig.transform(props), ReasonDetail.CLASS_AND_STATE),
          new BatchStep.Policy(deletes, SinkLedger.HELD, ledger != null, false, false));
      try {
        reporter = context.errantRecordReporter();
      } catch (NoSuchMethodError | NoClassDefFoundError e) {
        reporter = null;   // a worker older than Kafka 2.6
      }
      LOG.info("Sink '{}' writes to {}", name, connector.description().id());
    } catch (SetupException e) {
      throw new ConnectException(e.getMessage(), e);
    } finally {
      MDC.remove("pattern");
    }
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    MDC.put("pattern", name);
    try {
      List<SinkRecord> batch = new ArrayList<>(records);
      List<Change<Fields>> changes = new ArrayList<>(batch.size());
      List<Outcome> early = new ArrayList<>(batch.size());
      Map<String, TopicPartition> partitionOf = new HashMap<>();
      Map<TopicPartition, Long> nextOffsets = new HashMap<>();
      for (int i = 0; i < batch.size(); i++) {
        SinkRecord r = batch.get(i);
        String key = null;
        try {
          key = ConnectValues.keyOf(r.key());
          long version = version(r);
          changes.add(r.value() == null ? new Change.Delete<>(key, version)
              : Change.upsert(new Envelope<>(key, version, ConnectValues.fromConnect(r.valueSchema(), r.value()))));
          early.add(null);
        } catch (DataException e) {
          String k = key != null ? key : r.topic() + "-" + r.kafkaPartition() + "@" + r.kafkaOffset();
          changes.add(new Change.Delete<>(k, 0));   // a placeholder: its outcome is decided already
          early.add(new Outcome.Failed(k, Stage.READ, e.field(), e.reason()));
        }
        TopicPartition tp = new TopicPartition(r.topic(), r.kafkaPartition());
        partitionOf.put(changes.get(i).key(), tp);
        nextOffsets.merge(tp, r.kafkaOffset() + 1, Math::max);
      }
      Map<String, BatchStep.Held> before = new HashMap<>();
      BatchStep.Decided<Fields> decided = step.decide(changes, early, ledger == null ? this::heldAsWritten : keys -> {
        Map<String, BatchStep.Held> held = ledger.held(keys, partitionOf);
        before.putAll(held);
        return held;
      }, Long.MAX_VALUE);
      if (ledger != null) {
        ledger.check();   // a task that lost a partition's state to another writes nothing more of it
        if (!decided.writes().isEmpty()) {
          ledger.saveAhead(before, decided.heldAfter(), partitionOf);   // a kill during the writes never sends a key back
        }
      }
      List<Outcome> answered = new ArrayList<>(decided.writes().size());
      for (List<Change<Fields>> wave : decided.waves(1)) {
        answered.addAll(destination.write(wave));
      }
      BatchStep.Result<Fields> result = decided.settle(decided.inWriteOrder(answered));
      if (result.misfit() != null) {
        throw new ConnectException(result.misfitMessage("Sink '" + name + "'", "offset " + batch.get(0).kafkaOffset()));
      }
      if (ledger != null) {
        List<dev.patchbay.core.state.Entry> entries = new ArrayList<>(result.entries());
        java.util.Set<String> settled = new java.util.HashSet<>();
        entries.forEach(e -> settled.add(e.key()));
        decided.heldAfter().keySet().stream().filter(k -> !settled.contains(k))   // refused: back to what it held before the batch
            .forEach(k -> entries.add(SinkLedger.HELD.encode(k, before.getOrDefault(k, BatchStep.Held.NONE))));
        ledger.save(entries, partitionOf, nextOffsets);
      }
      for (int i = 0; i < batch.size(); i++) {
        Outcome.Failed f = tally.add(result.outcomes().get(i));
        read++;
        if (f != null) {
          failed++;
          report(batch.get(i), f);
        }
      }
      for (SinkRecord r : batch) {
        this.answered.put(new TopicPartition(r.topic(), r.kafkaPartition()), new OffsetAndMetadata(r.kafkaOffset() + 1));
      }
    } catch (TransientException | RecordStep.Transient e) {
      throw new RetriableException("Sink '" + name + "': " + (e instanceof RecordStep.Transient t ? t.where() + " failed transiently on record '"
          + t.key() + "'" : "the destination is not reachable now") + "; Connect hands the records again", e);
    } catch (SetupException e) {
      throw new ConnectException(e.getMessage(), e);
    } finally {
      MDC.remove("pattern");
    }
  }

  /** With no state of its own, the sink treats every key as written by it: a delete reaches the destination. */
  private Map<String, BatchStep.Held> heldAsWritten(Collection<String> keys) {
    Map<String, BatchStep.Held> held = new HashMap<>();
    keys.forEach(k -> held.put(k, new BatchStep.Held(0, true, k, false)));
    return held;
  }

  private static long version(SinkRecord r) {
    Header h = r.headers().lastWithName(VERSION_HEADER);
    if (h == null || h.value() == null) {
      return 0;
    }
    if (h.value() instanceof Number n) {
      return n.longValue();
    }
    try {
      return Long.parseLong(h.value().toString());
    } catch (NumberFormatException e) {
      throw DataException.field(VERSION_HEADER, "the header is not a whole number");
    }
  }

  private void report(SinkRecord record, Outcome.Failed f) {
    String what = "Sink '" + name + "': record '" + f.key() + "' failed at " + f.stage() + (f.field() == null ? "" : ", field '" + f.field() + "'")
        + ": " + f.reason();
    if (reporter == null) {
      throw new ConnectException(what + " (no dead-letter queue: set errors.tolerance=all and errors.deadletterqueue.topic.name to keep"
          + " such records and go on)");
    }
    LOG.warn("Sink '{}': record '{}' failed at {}; sent to the errant record reporter", name, f.key(), f.stage());
    reporter.report(record, new ConnectException(what));
  }

  @Override
  public Map<TopicPartition, OffsetAndMetadata> preCommit(Map<TopicPartition, OffsetAndMetadata> currentOffsets) {
    Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    answered.forEach((tp, offset) -> {
      if (currentOffsets.containsKey(tp)) {
        commit.put(tp, offset);
      }
    });
    Counts c = counts();
    if (c.read() != logged) {
      logged = c.read();
      MDC.put("pattern", name);
      LOG.info("Sink '{}': {} read, {} created, {} updated, {} unchanged, {} deleted, {} skipped, {} failed", name, c.read(), c.created(),
          c.updated(), c.unchanged(), c.deleted(), c.skipped(), c.failed());
      MDC.remove("pattern");
    }
    return commit;
  }

  /** What this task's records ended as since it started. */
  Counts counts() {
    return tally.counts(read, failed);
  }

  @Override
  public void open(Collection<TopicPartition> partitions) {
    if (ledger != null) {
      ledger.assigned(partitions);
    }
  }

  @Override
  public void close(Collection<TopicPartition> partitions) {
    partitions.forEach(answered::remove);
    if (ledger != null) {
      ledger.revoked(partitions);
    }
  }

  @Override
  public void stop() {
    if (ledger != null) {
      ledger.close();
    }
    if (connector != null) {
      connector.close();
    }
  }
}
