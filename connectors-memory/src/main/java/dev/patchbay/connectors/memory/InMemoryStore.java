package dev.patchbay.connectors.memory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Source;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.codec.TypedJson;
import dev.patchbay.core.journal.JournalFile;
import dev.patchbay.connectors.Capability;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * A keyed store of records in memory: a {@link Source} (in key order; the checkpoint is the last
 * key read), a {@link Destination} (idempotent upserts and deletes by key) and a {@link Lookup}.
 *
 * <p>{@link #journaled(String, Path)} backs the store with an append-only journal file: each write
 * call appends its changes and forces them to disk before returning, and opening the store replays
 * the journal, dropping a torn last line. Each value comes back as it was written, of its type (a
 * decimal with its scale, a date, an instant, a text of any length); journals of earlier versions,
 * plain JSON, are still read, their numbers and times as JSON reads them. The connector test kit's {@code Faulty} wraps a store to
 * make its writes fail, lose their acknowledgement, reject records or crash at a planned point.
 *
 * <p>Thread-safe: writes are serialised; reads see a weakly consistent view of concurrent writes.
 *
 * @param <T> the payload type
 */
public final class InMemoryStore<T> implements Connector, Source<T>, ChangeFeed<T>, Destination<T>, Lookup<T> {

  private static final String FEED_PREFIX = "seq:";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String name;
  private final ConcurrentSkipListMap<String, Held<T>> records = new ConcurrentSkipListMap<>();
  private final Journal journal;
  private final AtomicLong recordsRead = new AtomicLong();
  /** The latest change of each key, by the sequence number it was applied with. */
  private final ChangeLog<T> changeLog = new ChangeLog<>();

  /** A record, and the sequence of the change that put it there. */
  private record Held<T>(Envelope<T> record, long sequence) {
  }
  private volatile ConnectorDescription description;

  private InMemoryStore(String name, Journal journal) {
    this.name = Objects.requireNonNull(name, "name");
    this.journal = journal;
    this.description = ConnectorDescription.builder(name, "records")
        .method(IntegrationMethod.API)
        .encryptedTransport(true)
        .capabilities(Capability.READ_PAGES, Capability.READ_CHANGES, Capability.READ_BY_KEYS, Capability.UPSERT,
            Capability.DELETE, Capability.IDEMPOTENT_WRITES, Capability.DELETES_VISIBLE)
        .build();
  }

  /** An empty store that lives as long as the object. */
  public static <T> InMemoryStore<T> create(String name) {
    return new InMemoryStore<>(name, null);
  }

  /**
   * A store of {@link Fields} kept durable in the journal file {@code journal}, created if absent and
   * replayed if present. Field values round-trip as JSON types: text, whole numbers (Integer or Long
   * by size), decimals (Double) and booleans.
   */
  public static InMemoryStore<Fields> journaled(String name, Path journal) {
    InMemoryStore<Fields> store = new InMemoryStore<>(name, new Journal(journal));
    store.journal.replay(store::apply);
    return store;
  }

  public String name() {
    return name;
  }

  /**
   * Describes this store as a system of the host's: the data element, owner and sensitive fields
   * go into its {@link ConnectorDescription}; method and capabilities stay those of the store.
   * {@code owner} may be null where nobody is known to own the system.
   */
  public InMemoryStore<T> describedAs(String dataElement, String owner, String... sensitiveFields) {
    this.description = ConnectorDescription.builder(name, dataElement)
        .owner(owner)
        .method(description.method())
        .encryptedTransport(description.encryptedTransport())
        .sensitive(sensitiveFields)
        .capabilities(description.capabilities())
        .build();
    return this;
  }

  @Override
  public ConnectorDescription description() {
    return description;
  }

  /** Nothing to release: the store lives as long as the object. */
  @Override
  public void close() {
  }

  /** Puts records directly, outside any write call (but through the journal): for seeding test data. */
  public synchronized void putAll(Collection<Envelope<T>> seed) {
    List<Change<T>> changes = new ArrayList<>(seed.size());
    for (Envelope<T> record : seed) {
      changes.add(Change.upsert(record));
    }
    if (journal != null) {
      journal.append(changes);
    }
    changes.forEach(this::apply);
  }

  /** The record held for {@code key}, or {@code null}. */
  public Envelope<T> get(String key) {
    return unwrap(records.get(key));
  }

  private static <T> Envelope<T> unwrap(Held<T> held) {
    return held == null ? null : held.record;
  }

  public int size() {
    return records.size();
  }

  /** A copy of everything held, in key order. */
  public Map<String, Envelope<T>> snapshot() {
    TreeMap<String, Envelope<T>> copy = new TreeMap<>();
    records.forEach((key, held) -> copy.put(key, held.record));
    return Collections.unmodifiableMap(copy);
  }

  /** How many records cursors of this store have returned since it was made. */
  public long recordsRead() {
    return recordsRead.get();
  }

  @Override
  public Cursor<T> read(Checkpoint after) {
    Objects.requireNonNull(after, "after");
    Iterator<Held<T>> held = (after.isStart() ? records : records.tailMap(after.position(), false))
        .values().iterator();
    Iterator<Envelope<T>> it = new Iterator<>() {
      @Override
      public boolean hasNext() {
        return held.hasNext();
      }

      @Override
      public Envelope<T> next() {
        return held.next().record;
      }
    };
    return Cursor.over(it, after, record -> Checkpoint.at(record.key())).peek(record -> recordsRead.incrementAndGet());
  }

  @Override
  public synchronized List<Outcome> write(List<Change<T>> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    if (journal == null) {   // one map operation a change: the outcome told by what it replaced
      batch.forEach(change -> outcomes.add(applyAndTell(change)));
      return outcomes;
    }
    List<Change<T>> toJournal = new ArrayList<>(batch.size());
    for (Change<T> change : batch) {
      Outcome outcome = outcomeOf(change);
      outcomes.add(outcome);
      if (!(outcome instanceof Outcome.Unchanged)) {
        toJournal.add(change);
      }
    }
    if (journal != null) {
      journal.append(toJournal);
    }
    toJournal.forEach(this::apply);
    return outcomes;
  }

  private Outcome outcomeOf(Change<T> change) {
    Envelope<T> held = unwrap(records.get(change.key()));
    if (change instanceof Change.Upsert<T> upsert) {
      if (held == null) {
        return Outcome.created(change.key());
      }
      return held.equals(upsert.record()) ? Outcome.unchanged(change.key()) : Outcome.updated(change.key());
    }
    return held == null ? Outcome.unchanged(change.key()) : Outcome.deleted(change.key());
  }

  private Outcome applyAndTell(Change<T> change) {
    if (change instanceof Change.Upsert<T> upsert) {
      Held<T> held = records.put(upsert.key(), new Held<>(upsert.record(), changeLog.next()));
      if (held != null && held.record.equals(upsert.record())) {
        records.put(upsert.key(), held);   // an equal record: the one held stays, and no change is logged
        return Outcome.unchanged(change.key());
      }
      changeLog.append(change, held == null ? 0 : held.sequence);
      return held == null ? Outcome.created(change.key()) : Outcome.updated(change.key());
    }
    Held<T> held = records.remove(change.key());
    if (held == null) {
      return Outcome.unchanged(change.key());
    }
    changeLog.append(change, held.sequence);
    return Outcome.deleted(change.key());
  }

  private void apply(Change<T> change) {
    if (change instanceof Change.Upsert<T> upsert) {
      Held<T> held = records.put(upsert.key(), new Held<>(upsert.record(), changeLog.next()));
      changeLog.append(change, held == null ? 0 : held.sequence);
    } else {
      Held<T> held = records.remove(change.key());
      changeLog.append(change, held == null ? 0 : held.sequence);
    }
  }

  /** The changes after {@code after}, oldest first: the latest change of each key, deletes included. */
  @Override
  public ChangeCursor<T> changes(Checkpoint after) {
    long from = 0;
    if (!after.isStart()) {
      if (!after.position().startsWith(FEED_PREFIX)) {
        throw new SetupException("in-memory store '" + name + "': '" + after.position() + "' is not a checkpoint of its change feed");
      }
      from = Long.parseLong(after.position().substring(FEED_PREFIX.length()));
    }
    ChangeLog.Reader<T> it = changeLog.after(from);
    Checkpoint start = after;
    return new ChangeCursor<>() {
      private Checkpoint position = start;

      @Override
      public boolean hasNext() {
        return it.hasNext();
      }

      @Override
      public Change<T> next() {
        Change<T> change = it.next();
        position = Checkpoint.at(FEED_PREFIX + it.sequence());
        return change;
      }

      @Override
      public Checkpoint checkpoint() {
        return position;
      }
    };
  }

  @Override
  public Map<String, Envelope<T>> lookup(Collection<String> keys) {
    Map<String, Envelope<T>> found = new HashMap<>();
    for (String key : keys) {
      Envelope<T> record = unwrap(records.get(key));
      if (record != null) {
        found.put(key, record);
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return "InMemoryStore[" + name + (journal != null ? ", journal " + journal.file : "") + "]";
  }

  /** An append-only file of changes, one JSON object per line. */
  private static final class Journal {
    final Path file;

    Journal(Path file) {
      this.file = Objects.requireNonNull(file, "journal");
    }

    void replay(Consumer<Change<Fields>> apply) {
      JournalFile.replay(file, line -> {
        String key = line.get("k").asText();
        if (line.has("d")) {
          apply.accept(Change.delete(key));
        } else if (line.has("tf")) {   // each value with its type
          apply.accept(Change.upsert(new Envelope<>(key, line.get("v").asLong(), TypedJson.read(line.get("tf").toString()))));
        } else {   // a line of an earlier version: plain JSON, numbers and times as JSON reads them
          @SuppressWarnings("unchecked")
          Map<String, Object> values = JSON.convertValue(line.get("f"), Map.class);
          apply.accept(Change.upsert(new Envelope<>(key, line.get("v").asLong(), Fields.from(values))));
        }
      }, torn -> { });   // a write cut short never completed: dropped, as documented
    }

    <T> void append(List<Change<T>> changes) {
      if (changes.isEmpty()) {
        return;
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (Change<T> change : changes) {
        ObjectNode line = JSON.createObjectNode().put("k", change.key());
        if (change instanceof Change.Upsert<T> upsert) {
          if (!(upsert.record().payload() instanceof Fields fields)) {
            throw new IllegalArgumentException("a journaled store holds Fields, not "
                + upsert.record().payload().getClass().getName());
          }
          line.put("v", upsert.record().version());
          try {
            line.set("tf", JSON.readTree(TypedJson.write(fields)));   // a decimal's scale, a date, an instant kept as they were
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);   // TypedJson writes JSON: not reached
          }
        } else {
          line.put("d", true);
        }
        out.writeBytes(JournalFile.line(line));
      }
      JournalFile.append(file, out.toByteArray());
    }
  }
}
