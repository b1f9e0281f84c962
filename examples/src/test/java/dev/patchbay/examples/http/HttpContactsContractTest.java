package dev.patchbay.examples.http;

import dev.patchbay.connectors.Connector;
import dev.patchbay.connectors.testkit.ConnectorContract;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The reference connector passes the connector kit, against the contacts API on a free local port. */
class HttpContactsContractTest implements ConnectorContract {

  private ContactsApi api;

  @BeforeEach
  void serve() throws IOException {
    api = new ContactsApi();
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Override
  public Connector newConnector() {
    return new HttpContacts(api.uri(), pageSize());
  }

  /** The API answers the record with {@code key} without its fields, as a faulty release of it might. */
  @Override
  public boolean plantUnreadable(Connector connector, String key) {
    api.answers = answer -> {
      if (answer.isArray()) {
        answer.forEach(item -> {
          if (key.equals(item.path("key").asText())) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) item).remove("fields");
          }
        });
      }
      return answer;
    };
    return true;
  }

  @Override
  public Optional<Connector> unreachable() {
    return Optional.of(new HttpContacts(URI.create("http://127.0.0.1:1"), pageSize()));
  }
}
