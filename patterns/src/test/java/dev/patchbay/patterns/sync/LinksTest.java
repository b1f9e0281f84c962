package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.jdbc.JdbcStateStore;
import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.core.state.NamedState;
import dev.patchbay.core.state.StateStore;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A sync's links and position, through every state store the library ships. */
class LinksTest {

  @TempDir
  Path dir;

  private StateStore store(String kind) {
    return switch (kind) {
      case "memory" -> StateStore.inMemory();
      case "directory" -> StateStore.directory(dir);
      default -> JdbcStateStore.of(TestDatabases.valueOf(kind).dataSource(), "links_test");
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "directory", "H2", "POSTGRESQL", "MARIADB"})
  void linksAndPosition_comeBackAsSaved_byEitherKey_afterReopening(String kind) {
    StateStore store = store(kind);
    String sync = "crm-permits-" + UUID.randomUUID();
    Fields base = Fields.of("name", "Ada", "visits", 3L, "balance", new BigDecimal("12.50"), "born", LocalDate.of(1815, 12, 10),
        "seen", LocalDateTime.of(2026, 3, 29, 2, 30, 15), "active", true);
    Link linked = new Link("a-1", "b-1", base, Link.State.LINKED, null);
    Link pending = new Link("a-2", "b-2", Fields.of("name", "Grace"), Link.State.PENDING, Side.B);
    Link deleted = new Link("a-3", "b-3", null, Link.State.DELETED, null);
    SyncPosition position = new SyncPosition(Checkpoint.at("2026-11-23T10:00:00Z|a-9"), Checkpoint.at("G|b-7"),
        Set.of("a-2"), Set.of("b-2", "b-4"));
    try (NamedState state = store.open(sync)) {
      new Links(state, w -> { }).save(List.of(linked, pending, deleted), position);
    }
    try (NamedState state = store.open(sync)) {
      Links links = new Links(state, w -> { });
      assertEquals(Map.of("a-1", linked, "a-2", pending, "a-3", deleted), links.byA(List.of("a-1", "a-2", "a-3", "a-4")));
      assertEquals(Map.of("b-1", linked, "b-3", deleted), links.byB(List.of("b-1", "b-3", "b-9")));
      assertEquals(position, links.position());
      assertEquals(1, links.linkedCount());
      assertEquals(base, links.byA(List.of("a-1")).get("a-1").base(), "a typed base compares equal");

      Link settled = new Link("a-2", "b-2", Fields.of("name", "Grace Hopper"), Link.State.LINKED, null);
      links.save(List.of(settled), SyncPosition.start());
      assertEquals(settled, links.byB(List.of("b-2")).get("b-2"));
      assertEquals(2, links.linkedCount());
      assertEquals(SyncPosition.start(), links.position());

      List<Link> many = new ArrayList<>();
      for (int i = 0; i < 1_200; i++) {   // more keys than one IN list holds
        many.add(new Link("m-" + i, "n-" + i, Fields.of("i", (long) i), Link.State.LINKED, null));
      }
      Link twice = new Link("m-7", "n-7", Fields.of("i", -7L), Link.State.LINKED, null);
      many.add(twice);
      links.save(many, SyncPosition.start());
      assertEquals(1_200, links.byB(many.stream().map(Link::bKey).toList()).size());
      assertEquals(twice, links.byA(List.of("m-7")).get("m-7"), "of one key's links in a save, the last stands");
      assertEquals(1_202, links.linkedCount());
    }
    try (NamedState state = store.open(sync)) {
      assertEquals(3, state.progress(w -> { }).orElseThrow().sequence(), "one save after another: 3 saves");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void twoSyncs_shareTheTables_withoutSeeingEachOthersLinks(TestDatabases db) {
    StateStore store = JdbcStateStore.of(db.dataSource(), "links_test");
    String one = "one-" + UUID.randomUUID();
    String two = "two-" + UUID.randomUUID();
    try (NamedState state = store.open(one)) {
      new Links(state, w -> { }).save(List.of(new Link("k", "k", Fields.of("n", 1L), Link.State.LINKED, null)),
          SyncPosition.start());
    }
    try (NamedState a = store.open(one); NamedState b = store.open(two)) {
      assertEquals(Map.of(), new Links(b, w -> { }).byA(List.of("k")));
      assertEquals(0, new Links(b, w -> { }).linkedCount());
      assertEquals(1, new Links(a, w -> { }).linkedCount());
    }
  }
}
