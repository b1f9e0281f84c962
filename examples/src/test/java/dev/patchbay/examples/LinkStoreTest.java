package dev.patchbay.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.patchbay.connectors.testkit.TestDatabases;
import dev.patchbay.core.Checkpoint;
import dev.patchbay.core.Fields;
import dev.patchbay.patterns.sync.Link;
import dev.patchbay.patterns.sync.LinkStore;
import dev.patchbay.patterns.sync.Side;
import dev.patchbay.patterns.sync.SyncPosition;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The link stores keep what a sync needs across a restart: links by either key, typed bases, the position. */
class LinkStoreTest {

  @TempDir
  Path dir;

  private LinkStore store(String kind, String sync, String prefix) {
    return switch (kind) {
      case "memory" -> LinkStore.inMemory();
      case "file" -> LinkStore.file(dir.resolve(prefix + ".jsonl"));
      default -> LinkStore.jdbc(TestDatabases.valueOf(kind).dataSource(), sync, prefix);
    };
  }

  @ParameterizedTest
  @ValueSource(strings = {"memory", "file", "H2", "POSTGRESQL", "MARIADB"})
  void linksAndPosition_comeBackAsSaved_byEitherKey(String kind) {
    String prefix = "links_" + System.nanoTime();
    LinkStore links = store(kind, "crm-permits", prefix);
    Fields base = Fields.of("name", "Ada", "visits", 3L, "balance", new BigDecimal("12.50"), "born", LocalDate.of(1815, 12, 10),
        "seen", LocalDateTime.of(2026, 3, 29, 2, 30, 15), "active", true);
    Link linked = new Link("a-1", "b-1", base, Link.State.LINKED, null);
    Link pending = new Link("a-2", "b-2", Fields.of("name", "Grace"), Link.State.PENDING, Side.B);
    Link deleted = new Link("a-3", "b-3", null, Link.State.DELETED, null);
    SyncPosition position = new SyncPosition(Checkpoint.at("2026-11-23T10:00:00Z|a-9"), Checkpoint.at("G|b-7"),
        Set.of("a-2"), Set.of("b-2", "b-4"));

    links.save(List.of(linked, pending, deleted), position);

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

    List<Link> many = new java.util.ArrayList<>();
    for (int i = 0; i < 1_200; i++) {   // more keys than one IN list holds
      many.add(new Link("m-" + i, "n-" + i, Fields.of("i", (long) i), Link.State.LINKED, null));
    }
    Link twice = new Link("m-7", "n-7", Fields.of("i", -7L), Link.State.LINKED, null);
    many.add(twice);
    links.save(many, SyncPosition.start());
    List<String> bKeys = many.stream().map(Link::bKey).toList();
    assertEquals(1_200, links.byB(bKeys).size());
    assertEquals(twice, links.byA(List.of("m-7")).get("m-7"), "of one key's links in a save, the last stands");
    assertEquals(1_202, links.linkedCount());
  }

  @Test
  void aFileStore_reopensAsSaved_andDropsALineTornByACrash() throws Exception {
    Path file = dir.resolve("links.jsonl");
    LinkStore first = LinkStore.file(file);
    Link ada = new Link("a-1", "b-1", Fields.of("name", "Ada", "visits", 3L), Link.State.LINKED, null);
    SyncPosition after = new SyncPosition(Checkpoint.at("A|5"), Checkpoint.at("B|9"), Set.of(), Set.of("b-2"));
    first.save(List.of(ada), after);
    Files.writeString(file, "{\"links\":[{\"a\":\"a-2\"", StandardOpenOption.APPEND);   // a save cut short

    LinkStore reopened = LinkStore.file(file);

    assertEquals(Map.of("a-1", ada), reopened.byA(List.of("a-1", "a-2")));
    assertEquals(after, reopened.position());
    Link grace = new Link("a-2", "b-2", Fields.of("name", "Grace"), Link.State.LINKED, null);
    reopened.save(List.of(grace), SyncPosition.start());
    assertEquals(Map.of("b-1", ada, "b-2", grace), LinkStore.file(file).byB(List.of("b-1", "b-2")));
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void twoSyncs_shareTheTables_withoutSeeingEachOthersLinks(TestDatabases db) {
    String prefix = "links_" + System.nanoTime();
    LinkStore one = LinkStore.jdbc(db.dataSource(), "one", prefix);
    LinkStore two = LinkStore.jdbc(db.dataSource(), "two", prefix);
    one.save(List.of(new Link("k", "k", Fields.of("n", 1L), Link.State.LINKED, null)), SyncPosition.start());

    assertEquals(Map.of(), two.byA(List.of("k")));
    assertEquals(0, two.linkedCount());
    assertEquals(1, one.linkedCount());
  }
}
