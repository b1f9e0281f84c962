package dev.patchbay.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.patchbay.connectors.Capability;
import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.ConnectorDescription;
import dev.patchbay.core.Change;
import dev.patchbay.core.ChangeCursor;
import dev.patchbay.core.ChangeFeed;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.DataException;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Destination;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.catalog.IntegrationMethod;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The reference connector of docs/connectors.md: a contacts API over HTTP and JSON, read in pages,
 * followed by its change feed, looked up by key and written by key. The API stamps each record's
 * modification time (epoch microseconds) with its own clock and keeps deletes as tombstones.
 *
 * <pre>
 * GET    /contacts?after=KEY&amp;limit=N            records after KEY, in key order
 * GET    /contacts/changes?since=T&amp;after=KEY&amp;limit=N  changes after (T, KEY), oldest first
 * POST   /contacts/lookup  ["k1", "k2"]           the records held under these keys
 * PUT    /contacts/KEY     {"fields": {...}}      the whole record: created, updated or unchanged
 * DELETE /contacts/KEY                            deleted or unchanged
 * GET    /clock                                   {"now": T}
 * </pre>
 */
public final class HttpContacts implements Connector, Source<Fields>, ChangeFeed<Fields>, Lookup<Fields>, Destination<Fields> {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final int pageSize;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ConnectorDescription description;

  /** The API at {@code base} ({@code http://host:port}), read {@code pageSize} records per request. */
  public HttpContacts(URI base, int pageSize) {
    this.base = base;
    this.pageSize = pageSize;
    this.description = ConnectorDescription.builder("contacts-api", "contacts").method(IntegrationMethod.API)
        .capabilities(Capability.READ_PAGES, Capability.READ_CHANGES, Capability.READ_BY_KEYS, Capability.UPSERT,
            Capability.DELETE, Capability.IDEMPOTENT_WRITES, Capability.DELETES_VISIBLE, Capability.CONCURRENT_WRITES)
        .modificationTimePrecision(Duration.of(1, ChronoUnit.MICROS)).build();
  }

  @Override
  public ConnectorDescription description() {
    return description;
  }

  @Override
  public Cursor<Fields> read(Checkpoint after) {
    return Cursor.paged(after, pageSize, (at, limit) -> items(call("GET", "/contacts?after=" + encode(at.position()) + "&limit=" + limit, null)),
        item -> Checkpoint.at(item.path("key").asText()), HttpContacts::record);
  }

  @Override
  public ChangeCursor<Fields> changes(Checkpoint after) {
    Position start = Position.of(after);   // refuses a checkpoint this feed did not give, before any request
    return ChangeCursor.paged(after, pageSize, (at, limit) -> {
      Position p = at.equals(after) ? start : Position.of(at);
      return items(call("GET", "/contacts/changes?since=" + p.time + "&after=" + encode(p.key) + "&limit=" + limit, null));
    }, item -> Checkpoint.at(item.path("modified").asLong() + ":" + item.path("key").asText()),
        item -> item.path("deleted").asBoolean() ? new Change.Delete<>(item.path("key").asText(), item.path("modified").asLong())
            : Change.upsert(record(item)));
  }

  @Override
  public Optional<Instant> now() {
    long micros = call("GET", "/clock", null).get("now").asLong();
    return Optional.of(Instant.EPOCH.plus(micros, ChronoUnit.MICROS));
  }

  @Override
  public Map<String, Envelope<Fields>> lookup(Collection<String> keys) {
    Map<String, Envelope<Fields>> found = new LinkedHashMap<>();
    for (Envelope<Fields> r : records(call("POST", "/contacts/lookup", JSON.valueToTree(keys)))) {
      found.put(r.key(), r);
    }
    return found;
  }

  /** Each change is one idempotent request: a PUT of the whole record, or a DELETE, by key. */
  @Override
  public List<Outcome> write(List<Change<Fields>> batch) {
    List<Outcome> outcomes = new ArrayList<>(batch.size());
    for (Change<Fields> change : batch) {
      String path = "/contacts/" + encode(change.key());
      JsonNode answer;
      try {
        answer = change instanceof Change.Upsert<Fields> u
            ? call("PUT", path, JSON.createObjectNode().set("fields", plain(u.record().payload())))
            : call("DELETE", path, null);
      } catch (Refused refused) {   // this record only: the batch goes on
        outcomes.add(Outcome.rejected(change.key(), refused.field, refused.getMessage()));
        continue;
      }
      outcomes.add(switch (answer.get("result").asText()) {
        case "created" -> Outcome.created(change.key());
        case "updated" -> Outcome.updated(change.key());
        case "deleted" -> Outcome.deleted(change.key());
        default -> Outcome.unchanged(change.key());
      });
    }
    return outcomes;
  }

  @Override
  public void close() {
    // the JDK's client holds no connection past a request
  }

  @Override
  public String toString() {
    return "HttpContacts[" + base + "]";
  }

  // ---- the HTTP and JSON plumbing ---------------------------------------------------------------

  /** One request; what the API answers, or the failure by kind: transient, refused, setup. */
  private JsonNode call(String method, String path, JsonNode body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body.toString()));
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new TransientException("contacts API at " + base + " cannot be reached (" + e.getClass().getSimpleName() + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TransientException("interrupted while calling the contacts API", e);
    }
    int status = response.statusCode();
    try {
      JsonNode answer = JSON.readTree(response.body());
      if (status == 200) {
        return answer;
      }
      String error = answer == null ? "" : answer.path("error").asText();
      if (status == 422) {
        throw new Refused(answer.path("field").asText(null), error);
      }
      if (status == 429 || status >= 500) {
        throw new TransientException("contacts API answered " + status + " to " + method + " (" + error + ")");
      }
      throw new SetupException("contacts API answered " + status + " to " + method + " " + path.replaceAll("\\?.*", "") + " (" + error + ")");
    } catch (IOException e) {
      throw new TransientException("contacts API answered " + status + " with no JSON", e);
    }
  }

  private static List<JsonNode> items(JsonNode array) {
    List<JsonNode> items = new ArrayList<>(array.size());
    array.forEach(items::add);
    return items;
  }

  private static List<Envelope<Fields>> records(JsonNode items) {
    return items(items).stream().map(HttpContacts::record).toList();
  }

  /**
   * JSON text, whole numbers (as {@code Long}), decimals (as {@code BigDecimal}) and booleans.
   *
   * @throws DataException naming the record (and the field) where the API's item is not a record
   */
  private static Envelope<Fields> record(JsonNode item) {
    String key = item.path("key").asText();
    if (!item.path("fields").isObject()) {
      throw DataException.record("the API gave no fields object").forKey(key);
    }
    List<Object> namesAndValues = new ArrayList<>();
    for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) item.get("fields")::fields) {
      JsonNode v = f.getValue();
      if (v.isContainerNode()) {
        throw DataException.field(f.getKey(), "is a JSON " + v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + ", not a value")
            .forKey(key);
      }
      if (!v.isNull()) {
        namesAndValues.add(f.getKey());
        namesAndValues.add(v.isTextual() ? v.asText() : v.isBoolean() ? v.asBoolean()
            : v.isIntegralNumber() ? (Object) v.asLong() : new BigDecimal(v.asText()));
      }
    }
    return new Envelope<>(key, item.path("modified").asLong(), Fields.of(namesAndValues.toArray()));
  }

  private static ObjectNode plain(Fields fields) {
    ObjectNode node = JSON.createObjectNode();
    fields.names().forEach(name -> node.set(name, JSON.valueToTree(fields.get(name))));
    return node;
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  /** A change feed's position: the modification time and key of the last change read. */
  private record Position(long time, String key) {
    static Position of(Checkpoint at) {
      if (at.isStart()) {
        return new Position(0, "");
      }
      int colon = at.position().indexOf(':');
      try {
        return new Position(Long.parseLong(at.position().substring(0, Math.max(colon, 0))), at.position().substring(colon + 1));
      } catch (NumberFormatException e) {
        throw new SetupException("'" + at.position() + "' is not a checkpoint of the contacts API's change feed (time:key)");
      }
    }
  }

  /** The API refused one record (422), naming the field where it says. */
  private static final class Refused extends RuntimeException {
    final String field;

    Refused(String field, String reason) {
      super(reason);
      this.field = field;
    }
  }
}
