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
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Stage;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** A destination for the sink's tests: holds what it is given, and fails as {@link #next} says. */
public final class ScriptedType implements ConnectorType {

  /** What the next write does: "ok", "transient", "setup", "refuse:key", or "die-after-write" (writes, then the worker dies). */
  static volatile String next = "ok";
  static final Map<String, Fields> HELD = new TreeMap<>();
  static final List<String> WRITES = new ArrayList<>();

  @Override
  public String name() {
    return "scripted";
  }

  @Override
  public List<Setting> settings() {
    return List.of();
  }

  @Override
  public Connector open(Settings settings) {
    return new Scripted();
  }

  static final class Scripted implements Connector, Destination<Fields> {
    @Override
    public ConnectorDescription description() {
      return ConnectorDescription.builder("scripted", "records").method(IntegrationMethod.API)
          .capabilities(Capability.UPSERT, Capability.DELETE).build();
    }

    @Override
    public List<Outcome> write(List<Change<Fields>> batch) {
      switch (next) {
        case "transient" -> throw new TransientException("the system is down");
        case "setup" -> throw new SetupException("scripted: the table 'x' does not exist");
        default -> {
        }
      }
      List<Outcome> out = new ArrayList<>();
      synchronized (HELD) {
        for (Change<Fields> c : batch) {
          WRITES.add(c.key());
          if (next.equals("refuse:" + c.key())) {
            out.add(new Outcome.Failed(c.key(), Stage.WRITE, "email", "not an address"));
          } else if (c instanceof Change.Upsert<Fields> u) {
            out.add(HELD.put(c.key(), u.record().payload()) == null ? Outcome.created(c.key()) : Outcome.updated(c.key()));
          } else {
            out.add(HELD.remove(c.key()) == null ? Outcome.unchanged(c.key()) : Outcome.deleted(c.key()));
          }
        }
      }
      if (next.equals("die-after-write")) {
        throw new IllegalStateException("the worker is killed after the write, before anything after it");
      }
      return out;
    }

    @Override
    public void close() {
    }
  }
}
