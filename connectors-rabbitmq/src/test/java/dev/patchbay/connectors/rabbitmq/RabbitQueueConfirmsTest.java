package dev.patchbay.connectors.rabbitmq;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.TransientException;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/** What the queue does when the broker does not confirm: a broker that will not is a mock, so this runs everywhere. */
class RabbitQueueConfirmsTest {

  private static final String URI = RabbitQueueTest.URI;

  @Test
  void aBatchTheBrokerDidNotConfirm_failsWholeAsTransient_toBeSentAgain() throws Exception {
    ConnectionFactory factory = mock(ConnectionFactory.class);
    Connection connection = mock(Connection.class);
    Channel unconfirming = mock(Channel.class);
    when(factory.newConnection(anyString())).thenReturn(connection);
    when(connection.createChannel()).thenReturn(unconfirming);
    when(unconfirming.isOpen()).thenReturn(true);
    doThrow(new TimeoutException("no confirm")).when(unconfirming).waitForConfirmsOrDie(anyLong());
    RabbitQueue queue = new RabbitQueue(RabbitQueue.builder(URI).queue("q"), factory);
    TransientException e = assertThrows(TransientException.class, () -> queue.write(List.of(
        Change.upsert(new Envelope<>("o-1", 1, Fields.of("n", 1))), new Change.Delete<>("o-2", 2))));
    assertEquals("RabbitMQ queue 'q': the broker did not confirm the batch of 2 (TimeoutException); it is to be sent again",
        e.getMessage());
    verify(unconfirming, times(2)).basicPublish(anyString(), anyString(), anyBoolean(), any(), any());
    verify(connection).abort(anyInt());   // let go of: the next batch opens a new connection
    assertThrows(TransientException.class, () -> queue.write(List.of(new Change.Delete<>("o-2", 2))));
    verify(factory, times(2)).newConnection(anyString());
  }
}
