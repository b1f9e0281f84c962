package dev.patchbay.examples.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The contacts API that {@link HttpContacts} reads and writes, served by the JDK's own HTTP server
 * on a free port of 127.0.0.1: records in key order, modification times from its own clock
 * (epoch microseconds, strictly rising), deletes kept as tombstones for the change feed. A test may
 * plant a fault in its answers ({@link #answers}).
 */
final class ContactsApi implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  static {
    // answers leave at once: without it, each small answer waits out the client's delayed acknowledgement (40 ms)
    System.setProperty("sun.net.httpserver.nodelay", "true");
  }

  /** A record or a tombstone (fields null), with the time it last changed. */
  private record Item(String key, long modified, JsonNode fields) {
  }

  private final HttpServer server;
  private final TreeMap<String, Item> items = new TreeMap<>();
  private long clock;
  /** What a test does to each answer before it leaves; none by default. */
  volatile UnaryOperator<JsonNode> answers = UnaryOperator.identity();

  ContactsApi() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
    server.start();
  }

  URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int status = 200;
    JsonNode answer;
    try {
      answer = answers.apply(route(exchange.getRequestMethod(), exchange.getRequestURI(), exchange.getRequestBody().readAllBytes()));
    } catch (IllegalArgumentException e) {
      status = 404;
      answer = JSON.createObjectNode().put("error", e.getMessage());
    }
    byte[] body = JSON.writeValueAsBytes(answer);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    exchange.getResponseBody().write(body);
    exchange.close();
  }

  private synchronized JsonNode route(String method, URI uri, byte[] body) throws IOException {
    Map<String, String> q = query(uri.getRawQuery());
    String path = uri.getRawPath();
    if (method.equals("GET") && path.equals("/clock")) {
      return JSON.createObjectNode().put("now", tick());
    }
    if (method.equals("GET") && path.equals("/contacts")) {
      ArrayNode page = JSON.createArrayNode();
      items.tailMap(q.getOrDefault("after", ""), false).values().stream().filter(i -> i.fields != null)
          .limit(Long.parseLong(q.get("limit"))).forEach(i -> page.add(json(i)));
      return page;
    }
    if (method.equals("GET") && path.equals("/contacts/changes")) {
      long since = Long.parseLong(q.get("since"));
      String after = q.getOrDefault("after", "");
      ArrayNode page = JSON.createArrayNode();
      items.values().stream().filter(i -> i.modified > since || (i.modified == since && i.key.compareTo(after) > 0))
          .sorted(java.util.Comparator.comparingLong(Item::modified).thenComparing(Item::key))
          .limit(Long.parseLong(q.get("limit"))).forEach(i -> page.add(json(i)));
      return page;
    }
    if (method.equals("POST") && path.equals("/contacts/lookup")) {
      ArrayNode found = JSON.createArrayNode();
      JSON.readTree(body).forEach(k -> {
        Item i = items.get(k.asText());
        if (i != null && i.fields != null) {
          found.add(json(i));
        }
      });
      return found;
    }
    if (path.startsWith("/contacts/") && (method.equals("PUT") || method.equals("DELETE"))) {
      String key = URLDecoder.decode(path.substring("/contacts/".length()), StandardCharsets.UTF_8);
      Item held = items.get(key);
      boolean holds = held != null && held.fields != null;
      JsonNode fields = method.equals("PUT") ? JSON.readTree(body).get("fields") : null;
      String result;
      if (Objects.equals(fields, holds ? held.fields : null)) {
        result = "unchanged";
      } else {
        result = fields == null ? "deleted" : holds ? "updated" : "created";
        items.put(key, new Item(key, tick(), fields));
      }
      return JSON.createObjectNode().put("result", result);
    }
    throw new IllegalArgumentException("no " + method + " " + path);
  }

  /** This API's clock in epoch microseconds, rising by at least one with each reading. */
  private long tick() {
    clock = Math.max(clock + 1, ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()));
    return clock;
  }

  private static ObjectNode json(Item i) {
    ObjectNode node = JSON.createObjectNode().put("key", i.key).put("modified", i.modified);
    if (i.fields == null) {
      node.put("deleted", true);
    } else {
      node.set("fields", i.fields);
    }
    return node;
  }

  private static Map<String, String> query(String raw) {
    Map<String, String> q = new HashMap<>();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        int eq = pair.indexOf('=');
        q.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return q;
  }
}
