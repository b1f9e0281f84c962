package dev.patchbay.examples;

import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Cursor;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.Lookup;
import dev.patchbay.core.Source;
import dev.patchbay.core.TransientException;
import dev.patchbay.core.Transform;
import dev.patchbay.core.state.StateStore;
import dev.patchbay.patterns.DeletePolicy;
import dev.patchbay.patterns.RetryPolicy;
import dev.patchbay.patterns.aggregation.Aggregation;
import dev.patchbay.patterns.aggregation.AggregationReport;
import dev.patchbay.patterns.aggregation.Collected;
import dev.patchbay.patterns.aggregation.Input;
import dev.patchbay.patterns.aggregation.Survivorship;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo's aggregation scene: the CRM's view of each account, merged from what the CRM, the ERP
 * and the issue tracker know. The ERP owns the credit limit and the balance, the CRM the name and
 * the segment; the email is the one changed last; the address comes whole from the record with most
 * of it; the open tickets are listed. Then the ERP goes down for a run (PARTIAL, named, nothing
 * mixed), comes back, a person overrides a segment, and one account is collected live while the
 * tracker is too slow to answer.
 */
final class AccountView {

  final InMemoryStore<Fields> crm = InMemoryStore.create("crm-accounts");
  final InMemoryStore<Fields> erp = InMemoryStore.create("erp-customers");
  final InMemoryStore<Fields> tracker = InMemoryStore.create("tracker-tickets");
  final InMemoryStore<Fields> view = InMemoryStore.create("crm-account-view");
  volatile boolean erpDown;
  volatile boolean trackerSlow;
  final Aggregation aggregation;

  private final java.nio.file.Path work;

  AccountView(StateStore state, java.nio.file.Path work) {
    this.work = work;
    Source<Fields> erpSource = after -> {
      if (erpDown) {
        throw new TransientException("ERP unreachable");
      }
      Cursor<Fields> cursor = erp.read(after);
      return new Cursor<>() {
        public boolean hasNext() {
          if (erpDown) {
            throw new TransientException("ERP unreachable");
          }
          return cursor.hasNext();
        }

        public Envelope<Fields> next() {
          return cursor.next();
        }

        public Checkpoint checkpoint() {
          return cursor.checkpoint();
        }
      };
    };
    Transform<Fields, Fields> customerToAccount = Transform.payload(c -> Fields.ofNullable("account", c.get("account_no"),
        "credit_limit", c.get("credit_limit"), "balance", c.get("balance"), "email", c.get("billing_email"),
        "street", c.get("street"), "town", c.get("town"), "postcode", c.get("postcode")));
    Transform<Fields, Fields> ticketToAccount = Transform.payload(t -> Fields.of("account", t.get("account"),
        "open_tickets", t.get("subject")));
    this.aggregation = Aggregation.builder().name("account-view")
        .input(Input.from("crm", crm).transform(Transform.identity()).mergeKey("account"))
        .input(Input.from("erp", erpSource).transform(customerToAccount).lookup(byField(erp, "account_no", false))
            .mergeKey("account"))
        .input(Input.changesOf("tracker", tracker, DeletePolicy.PROPAGATE).transform(ticketToAccount)
            .lookup(byField(tracker, "account", true)).mergeKey("account"))
        .survivorship(Survivorship.priority("crm", "erp"))
        .survivorship("credit_limit", Survivorship.priority("erp"))
        .survivorship("email", Survivorship.mostRecent())
        .survivorship("open_tickets", Survivorship.allValues())
        .group("address", List.of("street", "town", "postcode"), Survivorship.mostComplete())
        .destination(view).outputKey(Aggregation.OutputKey.MERGE_KEY).goldenIdField("golden_id")
        .retry(RetryPolicy.exponential(2, Duration.ofMillis(10), Duration.ofMillis(10)))
        .lookupTimeout(Duration.ofMillis(200))
        .state(state).build();
  }

  /**
   * The records of {@code store} whose {@code field} is one of the keys asked: a system's API
   * searched by account; one that takes 2 s to answer where {@code canBeSlow} and the tracker is slow.
   */
  private Lookup<Fields> byField(InMemoryStore<Fields> store, String field, boolean canBeSlow) {
    return accounts -> {
      if (canBeSlow && trackerSlow) {
        try {
          Thread.sleep(2_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      Map<String, Envelope<Fields>> found = new java.util.LinkedHashMap<>();
      store.snapshot().forEach((k, e) -> {
        if (accounts.contains(e.payload().get(field))) {
          found.put(k, e);
        }
      });
      return found;
    };
  }

  void seed() {
    put(crm, "A-100", 10, "account", "A-100", "name", "Harbour Cafe", "segment", "small business", "email", "hello@harbour.example",
        "street", "1 Quay St", "town", "Wellington");
    put(crm, "A-200", 10, "account", "A-200", "name", "Te Aro Books", "segment", "retail", "email", "books@tearo.example");
    put(crm, "A-300", 10, "account", "A-300", "name", "Kelburn Dental", "segment", "health");
    put(erp, "C-9001", 20, "account_no", "A-100", "credit_limit", new BigDecimal("5000.00"), "balance", new BigDecimal("1250.40"),
        "billing_email", "accounts@harbour.example", "street", "1 Quay Street", "town", "Wellington", "postcode", "6011");
    put(erp, "C-9002", 5, "account_no", "A-200", "credit_limit", new BigDecimal("2000.00"), "balance", new BigDecimal("0.00"),
        "billing_email", "old@tearo.example");
    put(erp, "C-9003", 30, "account_no", "A-300", "credit_limit", new BigDecimal("12000.00"), "balance", new BigDecimal("830.00"));
    put(tracker, "T-1", 1, "account", "A-100", "subject", "Card reader offline");
    put(tracker, "T-2", 2, "account", "A-100", "subject", "Invoice copy");
    put(tracker, "T-3", 3, "account", "A-300", "subject", "New branch onboarding");
  }

  void run() {
    seed();
    AggregationReport first = aggregation.run();
    System.out.println(first.summary());
    System.out.println("A-100 in the CRM's view: " + view.get("A-100").payload().without("golden_id").asMap());
    System.out.print(aggregation.explain("A-100").orElseThrow().replaceFirst("golden record \\S+", "golden record (id)"));

    put(crm, "A-200", 11, "account", "A-200", "name", "Te Aro Books & Music", "segment", "retail", "email", "books@tearo.example");
    put(erp, "C-9001", 21, "account_no", "A-100", "credit_limit", new BigDecimal("7500.00"), "balance", new BigDecimal("990.00"),
        "billing_email", "accounts@harbour.example", "street", "1 Quay Street", "town", "Wellington", "postcode", "6011");
    erpDown = true;
    System.out.println();
    System.out.println("The ERP goes down; meanwhile Te Aro Books is renamed in the CRM, and Harbour Cafe's credit limit raised in the ERP.");
    AggregationReport partial = aggregation.run();
    System.out.println(partial.summary());
    System.out.println("A-200's name in the view: " + view.get("A-200").payload().get("name")
        + " (held back: not the new CRM name beside the ERP's old values)");

    erpDown = false;
    AggregationReport back = aggregation.run();
    System.out.println("The ERP is back: " + back.status() + "; A-200 is now " + view.get("A-200").payload().get("name")
        + ", A-100's credit limit " + view.get("A-100").payload().get("credit_limit"));

    aggregation.override("A-300", "segment", "key account");
    put(crm, "A-300", 12, "account", "A-300", "name", "Kelburn Dental Group", "segment", "health");
    aggregation.run();
    System.out.println("A person makes Kelburn Dental a key account; after the next run the view says: "
        + view.get("A-300").payload().get("segment") + " (" + view.get("A-300").payload().get("name") + ")");

    trackerSlow = true;
    Collected live = aggregation.lookup("A-100");
    trackerSlow = false;
    System.out.println("Collected live, A-100: answered " + live.answered() + ", missing " + live.missing()
        + "; credit limit " + live.record().orElseThrow().values().get("credit_limit"));
    java.nio.file.Path page = work.resolve("account-view.html");
    try {
      java.nio.file.Files.writeString(page, dev.patchbay.patterns.aggregation.AggregationPage.html("The CRM's account view",
          aggregation.goldenRecords()));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.println("Every account with where each value came from, conflicts highlighted: " + page.getFileName());
  }

  private static void put(InMemoryStore<Fields> store, String key, long version, Object... fields) {
    store.write(List.of(Change.upsert(new Envelope<>(key, version, Fields.of(fields)))));
  }
}
