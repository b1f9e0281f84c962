package dev.patchbay.core;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * Which records a pattern may touch. A record out of scope is never written to a destination,
 * never modified and never deleted; it is reported as {@link Outcome.Skipped} with
 * {@link #describe() the scope's description} as the reason.
 *
 * <p>Must be pure and cheap: it is called once per record read, on the reading thread.
 *
 * @param <T> the payload type
 */
@FunctionalInterface
public interface ScopeCriteria<T> {

  /** Whether {@code record} is in scope. */
  boolean includes(Envelope<T> record);

  /** A short description for reports ("open cases since 2020"); lambdas say "unnamed scope". */
  default String describe() {
    return "unnamed scope";
  }

  /** In scope where both are. */
  default ScopeCriteria<T> and(ScopeCriteria<T> other) {
    Objects.requireNonNull(other, "other");
    return where("(" + describe() + " and " + other.describe() + ")", r -> includes(r) && other.includes(r));
  }

  /** In scope where either is. */
  default ScopeCriteria<T> or(ScopeCriteria<T> other) {
    Objects.requireNonNull(other, "other");
    return where("(" + describe() + " or " + other.describe() + ")", r -> includes(r) || other.includes(r));
  }

  /** In scope where this is not. */
  default ScopeCriteria<T> not() {
    return where("not " + describe(), r -> !includes(r));
  }

  /** Every record. */
  static <T> ScopeCriteria<T> all() {
    return where("all records", r -> true);
  }

  /** The records {@code test} accepts, described as {@code description}. */
  static <T> ScopeCriteria<T> where(String description, Predicate<Envelope<T>> test) {
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(test, "test");
    return new ScopeCriteria<>() {
      @Override
      public boolean includes(Envelope<T> record) {
        return test.test(record);
      }

      @Override
      public String describe() {
        return description;
      }

      @Override
      public String toString() {
        return "ScopeCriteria[" + description + "]";
      }
    };
  }
}
