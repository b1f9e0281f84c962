package dev.patchbay.connectors.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Outcome;
import dev.patchbay.core.SetupException;
import dev.patchbay.core.state.TypedJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The RabbitMQ queue against the broker on this machine (127.0.0.1:5672, guest/guest): skipped
 * where it is not running, failed when {@code CI=true}.
 */
class RabbitQueueTest {

  static final String URI = "amqp://guest:guest@127.0.0.1:5672";

  private final String name = "patchbay-test-" + System.nanoTime();
  private Connection reader;
  private Channel channel;

  @BeforeEach
  void broker() throws Exception {
    ConnectionFactory f = new ConnectionFactory();
    f.setUri(URI);
    f.setConnectionTimeout(3_000);
    try {
      reader = f.newConnection();
    } catch (Exception e) {
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new AssertionError("RabbitMQ at 127.0.0.1:5672 is unreachable and CI=true, so its tests must run", e);
      }
      assumeTrue(false, "RabbitMQ is not running here (" + e.getClass().getSimpleName() + "); skipped");
    }
    channel = reader.createChannel();
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (channel != null) {
      channel.queueDelete(name);
      reader.close();
    }
  }

  @Test
  void eachChange_isAPersistentMessageOnADurableQueue_confirmed_inOrder_withItsKeyTypeAndVersion() throws Exception {
    Fields order = Fields.ofNullable("amount", new BigDecimal("1250.00"), "won", true, "at", Instant.parse("2026-12-01T10:00:00Z"),
        "note", "Zoë's \"deal\"", "none", null);
    try (RabbitQueue queue = RabbitQueue.builder(URI).queue(name).describedAs("fulfilment", "orders").build()) {
      List<Outcome> outcomes = queue.write(List.of(Change.upsert(new Envelope<>("o-1", 5, order)),
          new Change.Delete<>("o-2", 6), Change.upsert(new Envelope<>("o-1", 7, order.with("won", false)))));
      assertEquals(List.of(new Outcome.Updated("o-1"), new Outcome.Deleted("o-2"), new Outcome.Updated("o-1")), outcomes);
      assertEquals("fulfilment", queue.description().system());
    }
    assertTrue(channel.queueDeclarePassive(name).getQueue().equals(name));
    List<GetResponse> got = new ArrayList<>();
    for (GetResponse r = channel.basicGet(name, true); r != null; r = channel.basicGet(name, true)) {
      got.add(r);
    }
    assertEquals(3, got.size());
    assertEquals(2, got.get(0).getProps().getDeliveryMode(), "persistent");
    assertEquals("o-1:5", got.get(0).getProps().getMessageId());
    assertEquals("upsert", got.get(0).getProps().getHeaders().get("type").toString());
    String body = new String(got.get(0).getBody(), StandardCharsets.UTF_8);
    assertEquals("{\"amount\":1250.00,\"won\":true,\"at\":\"2026-12-01T10:00:00Z\",\"note\":\"Zoë's \\\"deal\\\"\"}", body,
        "the body is plain JSON, as any consumer reads it");
    assertEquals(order, TypedJson.read(body, got.get(0).getProps().getHeaders().get("types").toString()),
        "with the types header, the values come back with their types");
    assertEquals("delete", got.get(1).getProps().getHeaders().get("type").toString());
    assertEquals("o-2", got.get(1).getProps().getHeaders().get("key").toString());
    assertEquals(7L, ((Number) got.get(2).getProps().getHeaders().get("version")).longValue());
  }

  @Test
  void aBrokerThatCannotBeReached_isASetupErrorNamingTheQueue() {
    SetupException e = assertThrows(SetupException.class,
        () -> RabbitQueue.builder("amqp://guest:guest@127.0.0.1:1").queue("q").build());
    assertTrue(e.getMessage().startsWith("RabbitMQ queue 'q': cannot connect"), e.getMessage());
    assertEquals("RabbitMQ queue needs a queue name",
        assertThrows(SetupException.class, () -> RabbitQueue.builder(URI).build()).getMessage());
  }

  @Test
  void aLostConnection_isOpenedAnewByTheNextBatch_andAClosedQueueRefusesToWrite() throws Exception {
    RabbitQueue queue = RabbitQueue.builder(URI).queue(name).build();
    queue.connection().abort();   // the connection lost under it
    List<Outcome> outcomes = queue.write(List.of(Change.upsert(new Envelope<>("o-1", 1, Fields.of("n", 1)))));
    assertEquals(List.of(new Outcome.Updated("o-1")), outcomes);
    assertEquals(1, channel.queueDeclarePassive(name).getMessageCount());
    queue.close();
    assertThrows(IllegalStateException.class, () -> queue.write(List.of(new Change.Delete<>("o-2", 2))));
  }
}
