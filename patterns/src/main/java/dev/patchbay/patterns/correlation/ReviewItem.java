package dev.patchbay.patterns.correlation;

import dev.patchbay.patterns.matching.Score;
import java.util.Objects;

/**
 * A pair of the review queue: the rule could not decide it, and a person does
 * ({@link Correlation#assertLink}, {@link Correlation#rejectLink}).
 *
 * @param aKey   the record's key on side A
 * @param bKey   the record's key on side B
 * @param score  the rule's score, field by field
 * @param reason why it waits for a person
 * @param detail for {@link Reason#REQUIRED_FIELD_DIFFERS}, the field; else null
 */
public record ReviewItem(String aKey, String bKey, Score score, Reason reason, String detail) {

  /** Why a pair waits for a person. */
  public enum Reason {
    /** Its score is between the review and the link threshold. */
    BETWEEN_THRESHOLDS,
    /** One of its records has another candidate scoring too close to call; neither is linked. */
    AMBIGUOUS,
    /** It scores above the link threshold, but a required field differs. */
    REQUIRED_FIELD_DIFFERS
  }

  public ReviewItem {
    Objects.requireNonNull(aKey, "aKey");
    Objects.requireNonNull(bKey, "bKey");
    Objects.requireNonNull(score, "score");
    Objects.requireNonNull(reason, "reason");
  }
}
