package dev.patchbay.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * Maps a source record to the destination's shape.
 *
 * <p>Pure: the same input gives the same output, and the input is never mutated. To reject a
 * record, throw {@link DataException} naming the field and reason: the record ends as
 * {@link Outcome.Failed} at {@link Stage#TRANSFORM}, never as a silent drop. Any other unchecked
 * exception is reported the same way, with the exception's class and message as the reason.
 *
 * @param <S> the source payload type
 * @param <T> the destination payload type
 */
@FunctionalInterface
public interface Transform<S, T> {

  /**
   * Maps one record.
   *
   * @throws DataException if the record cannot be mapped
   */
  Envelope<T> apply(Envelope<S> record);

  /** This, then {@code next}. */
  default <U> Transform<S, U> andThen(Transform<T, U> next) {
    Objects.requireNonNull(next, "next");
    Transform<S, T> first = this;
    return new Transform<>() {
      @Override
      public Envelope<U> apply(Envelope<S> record) {
        return next.apply(first.apply(record));
      }

      /** Both, as they describe themselves: where either is a lambda, so is this (it describes nothing). */
      @Override
      public String toString() {
        return first + " then " + next;
      }
    };
  }

  /** Every record unchanged; describes itself as {@code identity}, so that a checkpoint can tell it from another transform. */
  static <T> Transform<T, T> identity() {
    return new Transform<>() {
      @Override
      public Envelope<T> apply(Envelope<T> record) {
        return record;
      }

      @Override
      public String toString() {
        return "identity";
      }
    };
  }

  /** Maps the payload only; key and version stay. */
  static <S, T> Transform<S, T> payload(Function<? super S, ? extends T> mapping) {
    Objects.requireNonNull(mapping, "mapping");
    return record -> record.withPayload(mapping.apply(record.payload()));
  }
}
