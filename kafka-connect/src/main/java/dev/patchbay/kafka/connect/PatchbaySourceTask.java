package dev.patchbay.kafka.connect;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.connectors.Connector;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaAndValue;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.errors.RetriableException;
import org.apache.kafka.connect.header.ConnectHeaders;
import org.apache.kafka.connect.source.SourceRecord;
import org.apache.kafka.connect.source.SourceTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The task of {@link PatchbaySourceConnector}. Its source partition is {@code {"patchbay": name}},
 * its offset {@code {"position": checkpoint, "done": "true"|"false", "read": records read so far}}; a record's version travels
 * in the {@code patchbay.version} header, a delete as a tombstone. A record the source cannot hand
 * over (a value with no Connect form) fails the task naming the record and field: a source has no
 * dead-letter queue, and skipping it would lose it silently.
 */
public final class PatchbaySourceTask extends SourceTask {

  private static final Logger LOG = LoggerFactory.getLogger(PatchbaySourceTask.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private String name;
  private String topic;
  private String reportTopic;
  private boolean whole;
  private int batchSize;
  private long pollMs;
  private Connector connector;
  private Map<String, String> partition;
  private Checkpoint position;
  private boolean done;
  private Cursor<Fields> records;
  private ChangeCursor<Fields> changes;
  /** Records read since the read began, over restarts (kept in the offset). */
  private long read;
  /** Records handed to Connect by this task. */
  private long sent;
  private final AtomicLong acked = new AtomicLong();
  private final Map<Integer, Long> lastOffsets = new TreeMap<>();

  @Override
  public String version() {
    return Version.OF_PLUGIN;
  }

  @Override
  public void start(Map<String, String> props) {
    name = props.getOrDefault("name", "patchbay-source");
    MDC.put("pattern", name);
    try {
      topic = props.get(PatchbaySourceConnector.TOPIC);
      reportTopic = props.getOrDefault(PatchbaySourceConnector.REPORT, "");
      whole = "all".equals(props.getOrDefault(PatchbaySourceConnector.READ, "changes").toLowerCase(Locale.ROOT));
      batchSize = Integer.parseInt(props.getOrDefault(PatchbaySourceConnector.BATCH, "500"));
      pollMs = Long.parseLong(props.getOrDefault(PatchbaySourceConnector.POLL, "1000"));
      connector = new ConnectConfig().open(props);
      if (whole ? !(connector instanceof Source<?>) : !(connector instanceof ChangeFeed<?>)) {
        throw new SetupException("Source '" + name + "': a " + props.get(ConnectConfig.TYPE) + " connector (" + connector.description().id()
            + ") has no " + (whole ? "paged read (patchbay.read=all)" : "change feed (patchbay.read=changes)"));
      }
      partition = Map.of("patchbay", name);
      Map<String, Object> offset = context.offsetStorageReader().offset(partition);
      position = offset == null ? Checkpoint.start() : Checkpoint.at(String.valueOf(offset.get("position")));
      done = offset != null && "true".equals(String.valueOf(offset.get("done")));
      read = offset == null || offset.get("read") == null ? 0 : Long.parseLong(String.valueOf(offset.get("read")));
      LOG.info("Source '{}' reads {} from {}", name, connector.description().id(), position.isStart() ? "the start" : "its last offset");
    } catch (SetupException e) {
      throw new ConnectException(e.getMessage(), e);
    } finally {
      MDC.remove("pattern");
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public List<SourceRecord> poll() throws InterruptedException {
    if (done) {
      Thread.sleep(pollMs);
      return null;
    }
    MDC.put("pattern", name);
    try {
      List<SourceRecord> out = new ArrayList<>(batchSize);
      if (whole) {
        if (records == null) {
          records = ((Source<Fields>) connector).read(position);
        }
        while (out.size() < batchSize && records.hasNext()) {
          Envelope<Fields> r = records.next();
          position = records.checkpoint();
          read++;
          out.add(record(r.key(), r.version(), r.payload()));
        }
        if (out.isEmpty() && !records.hasNext()) {
          return end();
        }
      } else {
        if (changes == null) {
          changes = ((ChangeFeed<Fields>) connector).changes(position);
        }
        while (out.size() < batchSize && changes.hasNext()) {
          Change<Fields> c = changes.next();
          position = changes.checkpoint();
          read++;
          out.add(c instanceof Change.Upsert<Fields> u ? record(c.key(), u.record().version(), u.record().payload())
              : record(c.key(), ((Change.Delete<Fields>) c).version(), null));
        }
        if (out.isEmpty()) {   // caught up: read again after a pause, from where this read ended
          changes.close();
          changes = null;
          Thread.sleep(pollMs);
          return null;
        }
      }
      sent += out.size();
      return out;
    } catch (TransientException e) {
      closeReads();
      throw new RetriableException("Source '" + name + "': the system is not reachable now; the read resumes at its last checkpoint", e);
    } catch (SetupException e) {
      throw new ConnectException(e.getMessage(), e);
    } finally {
      MDC.remove("pattern");
    }
  }

  private SourceRecord record(String key, long version, Fields payload) {
    SchemaAndValue value;
    try {
      value = payload == null ? new SchemaAndValue(null, null) : ConnectValues.toConnect(payload);
    } catch (DataException e) {
      throw new ConnectException("Source '" + name + "': record '" + key + "', field '" + e.field() + "': " + e.reason()
          + "; a source has no dead-letter queue, so the task stops rather than skip it");
    }
    ConnectHeaders headers = new ConnectHeaders();
    headers.addLong(PatchbaySinkTask.VERSION_HEADER, version);
    return new SourceRecord(partition, Map.of("position", position.position(), "done", "false", "read", read), topic, null,
        Schema.STRING_SCHEMA, key, value.schema(), value.value(), null, headers);
  }

  /**
   * A whole read's end: once every record written was acknowledged, the report (records read, the
   * last offset of each partition) with the offset that says the read is done.
   */
  private List<SourceRecord> end() throws InterruptedException {
    if (acked.get() < sent) {
      Thread.sleep(Math.min(pollMs, 100));
      return null;
    }
    closeReads();
    done = true;
    Map<String, Object> doneOffset = Map.of("position", position.position(), "done", "true", "read", read);
    LOG.info("Source '{}' read all {} records", name, read);
    if (reportTopic.isBlank()) {
      return null;   // a restart reads on from the last record's checkpoint, finds nothing, and ends again
    }
    ObjectNode report = JSON.createObjectNode();
    report.put("source", name);
    report.put("topic", topic);
    report.put("read", read);
    ObjectNode offsets = report.putObject("lastOffsets");
    synchronized (lastOffsets) {
      lastOffsets.forEach((p, o) -> offsets.put(Integer.toString(p), o));
    }
    return List.of(new SourceRecord(partition, doneOffset, reportTopic, null, Schema.STRING_SCHEMA, name, Schema.STRING_SCHEMA,
        report.toString()));
  }

  @Override
  public void commitRecord(SourceRecord record, RecordMetadata metadata) {
    if (metadata != null && topic.equals(record.topic())) {
      synchronized (lastOffsets) {
        lastOffsets.merge(metadata.partition(), metadata.offset(), Math::max);
      }
      acked.incrementAndGet();
    }
  }

  private void closeReads() {
    if (records != null) {
      records.close();
      records = null;
    }
    if (changes != null) {
      changes.close();
      changes = null;
    }
  }

  @Override
  public void stop() {
    closeReads();
    if (connector != null) {
      connector.close();
    }
  }
}
