package dev.patchbay.patterns.correlation;

import java.time.Instant;
import java.util.Objects;

/**
 * One pair of the crosswalk: the records of the two systems a correlation holds to be one entity,
 * and who or what made the link. Kept in the state store; a round keeps, ends or makes links.
 *
 * @param aKey  the record's key on side A
 * @param bKey  the record's key on side B
 * @param by    the rule or a person
 * @param score the rule's score when it linked the pair; null where a person did
 * @param rule  the rule's description when it linked the pair, else the person's note
 * @param at    when the link was made
 */
public record CrosswalkLink(String aKey, String bKey, MadeBy by, Double score, String rule, Instant at) {

  /** Who made a link. */
  public enum MadeBy {
    /** The match rule, at or above the link threshold. */
    RULE,
    /** A person ({@link Correlation#assertLink}); it survives every later round, whatever the rule says. */
    PERSON
  }

  public CrosswalkLink {
    Objects.requireNonNull(aKey, "aKey");
    Objects.requireNonNull(bKey, "bKey");
    Objects.requireNonNull(by, "by");
    Objects.requireNonNull(at, "at");
  }
}
