package dev.patchbay.patterns.correlation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.patchbay.core.state.Entry;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A correlation's crosswalk links and a person's decisions as state entries: typed both ways, their fields named. */
class CrosswalkCodecTest {

  private static final Instant AT = Instant.parse("2026-12-07T06:00:00.123456Z");

  @Test
  void aLinkSavedReadsAsItWas_andAnEndedOneReadsAsNone() {
    for (CrosswalkLink link : List.of(new CrosswalkLink("a-1", "b-1", CrosswalkLink.MadeBy.RULE, 0.97, "name+dob", AT),
        new CrosswalkLink("a-2", "b-2", CrosswalkLink.MadeBy.PERSON, null, null, AT))) {
      Entry e = Crosswalk.LINK.encode(link.aKey(), link);
      assertEquals(link, Crosswalk.LINK.decode(e));
      assertEquals(link.bKey(), e.alias(), "found by its B key");
      assertTrue(e.value().names().stream().allMatch(n -> n.length() > 1), e.value().names().toString());
    }
    assertNull(Crosswalk.LINK.decode(Crosswalk.ended("a-1", "b-1", "a person rejected the link", AT)));
  }

  @Test
  void aDecisionSavedReadsAsItWas() {
    for (Crosswalk.Decision d : List.of(new Crosswalk.Decision("REJECTED", "not the same shop", AT),
        new Crosswalk.Decision("ASSERTED", null, AT))) {
      Entry e = Crosswalk.DECISION.encode(Crosswalk.pairKey("a", "b"), d);
      assertEquals(d, Crosswalk.DECISION.decode(e));
      assertEquals(d.kind(), e.tag(), "counted by its kind");
    }
  }
}
