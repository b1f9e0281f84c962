package dev.patchbay.patterns.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.Fields;
import dev.patchbay.core.state.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A sync's link as its state entry: typed both ways, its fields named. */
class LinkCodecTest {

  @Test
  void aLinkSavedReadsAsItWas_itsFieldsNamed_andATombstoneReadsAsNone() {
    for (Link link : List.of(new Link("a-1", "b-1", Fields.of("name", "Ann", "n", 2L), Link.State.LINKED, null),
        new Link("a-2", "b-2", Fields.of("name", "Bo"), Link.State.PENDING, Side.A),
        new Link("a-3", "b-3", null, Link.State.DELETED, null))) {
      Entry e = Links.CODEC.encode(link.aKey(), link);
      assertEquals(link, Links.CODEC.decode(e));
      assertEquals(link.bKey(), e.alias(), "found by its B key");
      assertTrue(e.value().names().stream().allMatch(n -> n.length() > 1), e.value().names().toString());
    }
    assertNull(Links.CODEC.decode(new Entry("links", "a-4", null, "UNLINKED", Fields.empty())));
  }
}
