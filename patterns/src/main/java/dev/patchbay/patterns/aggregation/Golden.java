package dev.patchbay.patterns.aggregation;

import dev.patchbay.core.Change;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.Stage;
import dev.patchbay.core.state.Entry;
import dev.patchbay.patterns.aggregation.GoldenRecord.Member;
import dev.patchbay.patterns.internal.Retrying;
import dev.patchbay.patterns.internal.Writes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Entities to golden records written to the destination: each merged, written where it differs
 * from what was written last (a digest kept in the entity), deleted where no member is left. Used
 * by a run's writing phase and by a person's override.
 */
final class Golden {

  /**
   * What a write did.
   *
   * @param outcomes    one per golden record written or found unchanged, keyed by output key
   * @param entries     the entities to save, each with the digest of what the destination now holds
   * @param writtenKeys merge keys whose golden record the destination holds now
   * @param failedKeys  merge keys whose write failed (or whose record could not be made)
   * @param misfit      the field the destination had no place for in every record written (two or
   *                    more), else null: a setup error; nothing of the batch is to be saved
   */
  record Written(List<Outcome> outcomes, List<Entry> entries, Set<String> writtenKeys, Set<String> failedKeys, String misfit) {
  }

  private final Aggregation agg;
  private final dev.patchbay.core.state.NamedState state;
  private final Destination<Fields> destination;
  private final Retrying retrying;
  private final List<Entity> entities = new ArrayList<>();

  Golden(Aggregation agg, dev.patchbay.core.state.NamedState state, Destination<Fields> destination, Retrying retrying) {
    this.agg = agg;
    this.state = state;
    this.destination = destination;
    this.retrying = retrying;
  }

  void add(Entity e) {
    entities.add(e);
  }

  /**
   * Writes the golden records of the entities added.
   *
   * @throws dev.patchbay.core.TransientException where the destination failed past the retries
   */
  Written write() {
    List<Outcome> outcomes = new ArrayList<>();
    List<Entry> entries = new ArrayList<>();
    Set<String> writtenKeys = new LinkedHashSet<>();
    Set<String> failedKeys = new LinkedHashSet<>();
    List<Change<Fields>> changes = new ArrayList<>();
    List<Entity> changed = new ArrayList<>();
    List<String> digests = new ArrayList<>();
    var counts = ValueCounts.of(agg.merger, state, entities);
    for (Entity e : entities) {
      String outKey = agg.outputKey == Aggregation.OutputKey.GOLDEN_ID ? e.id() : e.key();
      if (e.members().isEmpty()) {
        entries.add(Entity.CODEC.encode(e.key(), e));
        if (e.written() != null) {
          changes.add(Change.delete(outKey));
          changed.add(e);
          digests.add(null);
        }
        continue;
      }
      GoldenRecord g;
      try {
        g = agg.merger.merge(e.id(), e.key(), e.memberList(), e.overrides(), counts);
      } catch (DataException x) {
        outcomes.add(new Outcome.Failed(outKey, Stage.TRANSFORM, x.field(), x.reason()));
        failedKeys.add(e.key());
        entries.add(Entity.CODEC.encode(e.key(), e));
        continue;
      }
      Fields values = agg.idField == null ? g.values() : g.values().with(agg.idField, e.id());
      if (agg.outputTransform != null) {
        try {
          values = Objects.requireNonNull(agg.outputTransform.apply(Envelope.of(outKey, values)), "the output transform's record")
              .payload();
        } catch (dev.patchbay.core.SetupException x) {
          throw x;
        } catch (RuntimeException x) {
          outcomes.add(x instanceof DataException d ? new Outcome.Failed(outKey, Stage.TRANSFORM, d.field(), d.reason())
              : new Outcome.Failed(outKey, Stage.TRANSFORM, null, dev.patchbay.patterns.internal.Failures.forReport(x, agg.reasonDetail)));
          failedKeys.add(e.key());
          entries.add(Entity.CODEC.encode(e.key(), e));
          continue;
        }
      }
      String digest = digest(values);
      if (digest.equals(e.written())) {
        outcomes.add(Outcome.unchanged(outKey));
        entries.add(Entity.CODEC.encode(e.key(), e));
        writtenKeys.add(e.key());
        continue;
      }
      long version = 0;
      for (Member m : g.members()) {
        version = Math.max(version, m.version());
      }
      changes.add(Change.upsert(new Envelope<>(outKey, version, values)));
      changed.add(e);
      digests.add(digest);
    }
    entries.addAll(ValueCounts.tied(agg.merger, state, entities));
    String misfit = null;
    if (!changes.isEmpty()) {
      List<Outcome> answered = Writes.write(destination, changes, retrying, "the destination");
      misfit = Writes.misfit(answered);
      for (int i = 0; i < answered.size(); i++) {
        Outcome o = answered.get(i);
        Entity e = changed.get(i);
        outcomes.add(o);
        if (o instanceof Outcome.Failed) {
          failedKeys.add(e.key());
          entries.add(Entity.CODEC.encode(e.key(), e));
        } else {
          writtenKeys.add(e.key());
          entries.add(Entity.CODEC.encode(e.key(), e.writing(digests.get(i))));
        }
      }
    }
    return new Written(outcomes, entries, writtenKeys, failedKeys, misfit);
  }

  /** A digest of {@code values}, names and values and their types, in name order: equal where a write would change nothing. */
  static String digest(Fields values) {
    StringBuilder s = new StringBuilder();
    append(s, values);
    return sha256(s.toString());
  }

  /** SHA-256 of {@code text}, in Base64. */
  static String sha256(String text) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().withoutPadding().encodeToString(d);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  private static void append(StringBuilder s, Object v) {
    if (v instanceof Fields f) {
      s.append('{');
      for (String name : new TreeSet<>(f.names())) {
        s.append(name.length()).append(':').append(name);
        append(s, f.get(name));
      }
      s.append('}');
    } else if (v instanceof List<?> list) {
      s.append('[');
      list.forEach(x -> append(s, x));
      s.append(']');
    } else {
      String text = String.valueOf(v);
      s.append(v.getClass().getSimpleName()).append(text.length()).append(':').append(text);
    }
  }
}
