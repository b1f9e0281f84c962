package dev.patchbay.spring.boot.autoconfigure;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.report.Report;
import dev.patchbay.core.report.RunReport;
import dev.patchbay.patterns.Parameters;
import dev.patchbay.patterns.PatternStatus;
import dev.patchbay.patterns.Plan;
import dev.patchbay.patterns.PlannedWrite;
import dev.patchbay.patterns.migration.Migration;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;

/**
 * Migrations on command, over HTTP or JMX: the actuator endpoint {@code patchbay}. Off unless the
 * application turns it on ({@code management.endpoint.patchbay.access=unrestricted}) and exposes
 * it ({@code management.endpoints.web.exposure.include=patchbay}); it is secured as the
 * application secures its actuator endpoints (Spring Security's {@code EndpointRequest.to("patchbay")}).
 *
 * <ul>
 *   <li>{@code GET /actuator/patchbay}: each migration bean, its state and its last run's status;</li>
 *   <li>{@code POST /actuator/patchbay/{migration}} with {@code {"action": "plan", "parameters": "region=north&since=2025-01-01"}}:
 *       a dry run with those parameters (its report, and the writes it would make: destination,
 *       action and key, never values); 400 naming a parameter the migration needs and was not given. Parameters are written as a URL's query is (names and values
 *       percent-encoded where they hold {@code &}, {@code =} or {@code %}): Actuator reads a
 *       request's body as names and texts, not nested objects;</li>
 *   <li>{@code POST ...} with {@code "action": "run"}: starts a run with those parameters on a
 *       thread of its own and answers 202 with the run's id; 409 where a run of that migration is
 *       under way;</li>
 *   <li>{@code GET /actuator/patchbay/{migration}/{run}}: that run's state and, once it ended, its report.</li>
 * </ul>
 *
 * Each set of parameters is a run of its own in the state store ({@link Migration#runWith}).
 */
@Endpoint(id = "patchbay", defaultAccess = Access.NONE)
public final class PatchbayEndpoint {

  private static final Logger LOG = LoggerFactory.getLogger(PatchbayEndpoint.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int PLANNED_WRITES_SHOWN = 1_000;
  private static final int RUNS_KEPT = 100;

  private final PatternBeans patterns;
  private final Map<String, Started> runs = new ConcurrentHashMap<>();

  PatchbayEndpoint(PatternBeans patterns) {
    this.patterns = patterns;
  }

  /** A run started here: its migration, parameters, start and end. */
  private record Started(String migration, Parameters parameters, Instant at, CompletableFuture<RunReport> report) { }

  /** Each migration: its state and its last run's status. */
  @ReadOperation
  public Map<String, Object> migrations() {
    Map<String, Object> all = new TreeMap<>();
    patterns.byName().forEach((name, p) -> {
      if (p instanceof Migration<?, ?> m) {
        PatternStatus s = m.status();
        Map<String, Object> one = new LinkedHashMap<>();
        one.put("state", s.state().name());
        one.put("lastRun", s.last().map(r -> r.status().name()).orElse(null));
        all.put(name, one);
      }
    });
    return Map.of("migrations", all);
  }

  /** Plans or starts a run of {@code migration} with {@code parameters}: {@code action} is "plan" or "run". */
  @WriteOperation
  public WebEndpointResponse<Map<String, Object>> command(@Selector String migration, String action,
                                                          @Nullable String parameters) {
    Migration<?, ?> m = migration(migration);
    if (m == null) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, "no migration is named '" + migration + "'; the migrations are: "
          + (names().isEmpty() ? "none" : String.join(", ", names())));
    }
    Parameters given;
    try {
      given = parameters(parameters);
    } catch (IllegalArgumentException e) {
      return error(WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
    try {
      switch (action) {
        case "plan" -> {
          Plan<RunReport> plan = m.planWith(given);
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("report", json(plan.report()));
          body.put("writes", plan.writes().size());
          body.put("planned", plan.writes().stream().limit(PLANNED_WRITES_SHOWN).map(PatchbayEndpoint::write).toList());
          return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
        }
        case "run" -> {
          return start(migration, m, given);
        }
        default -> {
          return error(WebEndpointResponse.STATUS_BAD_REQUEST, "action '" + action + "' is not one of plan, run");
        }
      }
    } catch (SetupException e) {
      // a run under way is a conflict; anything else the setup refused (a parameter the scope needs and was not given) is the request's
      return error(m.status().state() == PatternStatus.State.RUNNING ? 409 : WebEndpointResponse.STATUS_BAD_REQUEST, e.getMessage());
    }
  }

  private synchronized WebEndpointResponse<Map<String, Object>> start(String name, Migration<?, ?> m, Parameters given) {
    boolean underWay = runs.values().stream().anyMatch(r -> r.migration().equals(name) && !r.report().isDone());
    if (underWay || m.status().state() == PatternStatus.State.RUNNING) {
      return error(409, "a run of migration '" + name + "' is under way; a migration runs once at a time");
    }
    String id = UUID.randomUUID().toString();
    CompletableFuture<RunReport> report = new CompletableFuture<>();
    Thread t = new Thread(() -> {
      try {
        report.complete(m.runWith(given));
      } catch (RuntimeException | Error e) {
        LOG.warn("migration '{}': run {} on command threw {}", name, id, e.getClass().getName());
        report.completeExceptionally(e);
      }
    }, "patchbay-" + name + "-command");
    runs.put(id, new Started(name, given, Instant.now(), report));
    forgetOldRuns();
    t.start();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", id);
    body.put("migration", name);
    body.put("parameters", given.values());
    body.put("state", "RUNNING");
    return new WebEndpointResponse<>(body, 202);
  }

  /** Keeps the last runs started here; a run under way is never forgotten. */
  private void forgetOldRuns() {
    if (runs.size() > RUNS_KEPT) {
      runs.entrySet().stream().filter(e -> e.getValue().report().isDone())
          .sorted(Map.Entry.comparingByValue((a, b) -> a.at().compareTo(b.at())))
          .limit(runs.size() - RUNS_KEPT).map(Map.Entry::getKey).toList().forEach(runs::remove);
    }
  }

  /** A run started here: RUNNING, or ENDED with its report, or THREW with the exception's class. */
  @ReadOperation
  public WebEndpointResponse<Map<String, Object>> run(@Selector String migration, @Selector String run) {
    Started started = runs.get(run);
    if (started == null || !started.migration().equals(migration)) {
      return error(WebEndpointResponse.STATUS_NOT_FOUND, "migration '" + migration + "' has no run '" + run
          + "' started here (the last " + RUNS_KEPT + " are kept, until the application restarts)");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("run", run);
    body.put("migration", migration);
    body.put("parameters", started.parameters().values());
    body.put("startedAt", started.at().toString());
    if (!started.report().isDone()) {
      body.put("state", "RUNNING");
    } else if (started.report().isCompletedExceptionally()) {
      body.put("state", "THREW");
      started.report().exceptionally(e -> {
        body.put("error", (e.getCause() != null ? e.getCause() : e).getClass().getName());
        return null;
      });
    } else {
      body.put("state", "ENDED");
      body.put("report", json(started.report().join()));
    }
    return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
  }

  private Migration<?, ?> migration(String name) {
    return patterns.named(name).filter(Migration.class::isInstance).map(p -> (Migration<?, ?>) p).orElse(null);
  }

  private List<String> names() {
    return patterns.byName().entrySet().stream().filter(e -> e.getValue() instanceof Migration).map(Map.Entry::getKey)
        .sorted().collect(Collectors.toList());
  }

  /** Parameters written as a URL's query: {@code name=value&name=value}, percent-encoded. */
  static Parameters parameters(String given) {
    if (given == null || given.isBlank()) {
      return Parameters.none();
    }
    Map<String, String> values = new TreeMap<>();
    for (String pair : given.split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("parameters are written name=value&name=value; '" + pair + "' has "
            + (eq < 0 ? "no '='" : "no name"));
      }
      String name = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      if (values.put(name, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
        throw new IllegalArgumentException("parameter '" + name + "' is given twice");
      }
    }
    return Parameters.of(values);
  }

  private static Map<String, Object> write(PlannedWrite<?> w) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("destination", w.destination());
    m.put("action", w.action().name());
    m.put("key", w.key());
    return m;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> json(Report report) {
    try {
      return JSON.readValue(report.toJson(), Map.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a report's JSON did not read back", e);
    }
  }

  private static WebEndpointResponse<Map<String, Object>> error(int status, String message) {
    return new WebEndpointResponse<>(Map.of("error", message), status);
  }
}
