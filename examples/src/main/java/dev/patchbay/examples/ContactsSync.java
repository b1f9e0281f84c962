package dev.patchbay.examples;

import dev.patchbay.core.state.StateStore;
import dev.patchbay.connectors.memory.InMemoryStore;
import dev.patchbay.core.Change;
import dev.patchbay.core.Envelope;
import dev.patchbay.core.Fields;
import dev.patchbay.core.ScopeCriteria;
import dev.patchbay.patterns.sync.BidirectionalSync;
import dev.patchbay.patterns.sync.ConflictPolicy;
import dev.patchbay.patterns.sync.Side;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's sync scene: the CRM's contacts kept in sync with the permitting system's applicants,
 * whose fields have names of their own; edits to different fields of one contact are merged, edits
 * to the same field go to the later one.
 */
final class ContactsSync {

  final InMemoryStore<Fields> crm = InMemoryStore.create("crm-contacts");
  final InMemoryStore<Fields> permits = InMemoryStore.create("permit-applicants");
  final BidirectionalSync sync;

  ContactsSync(Path work) {
    sync = BidirectionalSync.builder()
        .name("crm-permits")
        .sideA(crm)
        .sideB(permits)
        .mapping(c -> Fields.ofNullable("applicant", c.get("name"), "contactEmail", c.get("email"), "suburb", c.get("suburb")),
                 p -> Fields.ofNullable("name", p.get("applicant"), "email", p.get("contactEmail"), "suburb", p.get("suburb")))
        .scopes(ScopeCriteria.all(), ScopeCriteria.all())
        .conflicts(ConflictPolicy.fieldMerge(ConflictPolicy.lastWriterWins(Duration.ofSeconds(2), Side.A)))
        .state(StateStore.directory(work.resolve("state")))
        .build();
  }

  /** Five contacts in the CRM, two applicants only the permitting system knows. */
  void seed() {
    crm.write(List.of(
        contact("c-1", "Ada Lovelace", "ada@example.org", "Thorndon", 1),
        contact("c-2", "Bob Kahn", "bob@example.org", "Karori", 1),
        contact("c-3", "Cy Twombly", "cy@example.org", "Newtown", 1),
        contact("c-4", "Dot Hopper", "dot@example.org", "Kelburn", 1),
        contact("c-5", "Eve Curie", "eve@example.org", "Aro Valley", 1)));
    permits.write(List.of(
        applicant("p-1", "Fay Noether", "fay@example.org", "Island Bay", 1),
        applicant("p-2", "Gus Turing", "gus@example.org", "Miramar", 1)));
  }

  /**
   * Between rounds: the CRM corrects Ada's email while permits move her to Te Aro (different
   * fields); both change Bob's suburb, permits later; the CRM deletes Cy.
   */
  void edit() {
    Fields ada = crm.get("c-1").payload();
    Fields bob = crm.get("c-2").payload();
    crm.write(List.of(
        Change.upsert(new Envelope<>("c-1", 10, ada.with("email", "ada.lovelace@example.org"))),
        Change.upsert(new Envelope<>("c-2", 10, bob.with("suburb", "Brooklyn"))),
        new Change.Delete<>("c-3", 10)));
    Fields adaThere = permits.get("c-1").payload();
    Fields bobThere = permits.get("c-2").payload();
    permits.write(List.of(
        Change.upsert(new Envelope<>("c-1", 20, adaThere.with("suburb", "Te Aro"))),
        Change.upsert(new Envelope<>("c-2", 20_000_000, bobThere.with("suburb", "Khandallah")))));
  }

  private static Change<Fields> contact(String key, String name, String email, String suburb, long at) {
    return Change.upsert(new Envelope<>(key, at, Fields.of("name", name, "email", email, "suburb", suburb)));
  }

  private static Change<Fields> applicant(String key, String name, String email, String suburb, long at) {
    return Change.upsert(new Envelope<>(key, at, Fields.of("applicant", name, "contactEmail", email, "suburb", suburb,
        "permitNumber", "BC-" + key.toUpperCase())));
  }
}
